import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { HardenedImagePipeline, type HardenedImagePipelineProps } from '../../../src/constructs/compute/image-pipeline';
import { OS_BASELINE_DOCUMENT } from '../../../src/constructs/compute/os-baseline';
import { resourcesOfType, synthesizeExample } from '../../helpers/app';
import { buildChecked } from '../../helpers/nag';

const PARAMETER = '/sra-app/prod/fleet/image-id';

describe('the prod Image stack (hardened image on)', () => {
  const s = synthesizeExample('prod');
  const image = s.templates.Image!;
  const json = s.json.Image!;
  const one = (type: string) => {
    const found = resourcesOfType(json, type);
    expect(found).toHaveLength(1);
    return found[0]![1];
  };

  test('the pipeline builds on the config schedule only when Amazon Linux or a component changed, tests the image and has Inspector scan it', () => {
    expect(one('AWS::ImageBuilder::ImagePipeline')).toMatchObject({
      Status: 'ENABLED',
      ImageScanningConfiguration: { ImageScanningEnabled: true },
      ImageTestsConfiguration: { ImageTestsEnabled: true },
      Schedule: { ScheduleExpression: 'cron(0 4 ? * MON *)', PipelineExecutionStartCondition: 'EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE' },
    });
  });

  test('the recipe starts from the AWS-managed Amazon Linux 2023 image of the fleet architecture (Graviton), no lookup', () => {
    const recipe = one('AWS::ImageBuilder::ImageRecipe');
    expect(JSON.stringify(recipe.ParentImage)).toContain(':aws:image/amazon-linux-2023-arm64/x.x.x');
    expect(recipe.AdditionalInstanceConfiguration).toEqual({ SystemsManagerAgent: { UninstallAfterBuild: false } });
    expect(recipe.BlockDeviceMappings).toEqual([expect.objectContaining({ Ebs: expect.objectContaining({ Encrypted: true }) })]);
    expect(json).not.toHaveProperty('Parameters.SsmParameterValue');
  });

  test('the recipe applies updates, the baseline audit rules, the AWS-managed STIG high component and the CloudWatch agent, then a boot test', () => {
    const [auditId] = resourcesOfType(json, 'AWS::ImageBuilder::Component')[0]!;
    const components = (one('AWS::ImageBuilder::ImageRecipe').Components as { ComponentArn: unknown }[]).map(
      (c) => JSON.stringify(c.ComponentArn).match(/:aws:component\/([a-z0-9-]+)\/x\.x\.x/)?.[1] ?? (JSON.stringify(c.ComponentArn) === JSON.stringify({ 'Fn::GetAtt': [auditId, 'Arn'] }) ? 'own audit rules' : 'unknown'),
    );
    expect(components).toEqual(['update-linux', 'own audit rules', 'stig-build-linux-high', 'amazon-cloudwatch-agent-linux', 'simple-boot-test-linux']);
  });

  test('the audit rules component runs the OS baseline document\'s own audit step, so rules load at first boot even when immutable', () => {
    const component = one('AWS::ImageBuilder::Component');
    expect(component).toMatchObject({ Platform: 'Linux', Name: 'sra-app-prod-fleet-audit-rules' });
    expect(component.Data).toMatch(/^schemaVersion: "1\.0"$/m);
    const data = parse(component.Data as string) as { phases: { name: string; steps: { action: string; inputs: { commands: string[] } }[] }[] };
    const baseline = parse(readFileSync(OS_BASELINE_DOCUMENT, 'utf8')) as { mainSteps: { name: string; inputs: { runCommand: string[] } }[] };
    expect(data.phases).toEqual([{ name: 'build', steps: [expect.objectContaining({ action: 'ExecuteBash', inputs: { commands: baseline.mainSteps.find((st) => st.name === 'auditRules')!.inputs.runCommand } })] }]);
  });

  test('build instances: private app subnet, IMDSv2 only, terminated on failure; no S3 log copy', () => {
    const infra = one('AWS::ImageBuilder::InfrastructureConfiguration');
    expect(infra).toMatchObject({ TerminateInstanceOnFailure: true, InstanceMetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 }, InstanceTypes: ['m7g.large'] });
    expect(infra.Logging).toBeUndefined();
    expect(JSON.stringify(infra.SubnetId)).toMatch(/AppSubnet1/);
    const groupId = (infra.SecurityGroupIds[0] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
    const group = json.Resources[groupId]!.Properties as { SecurityGroupIngress?: unknown; SecurityGroupEgress: { FromPort: number; ToPort: number }[] };
    expect(group.SecurityGroupIngress).toBeUndefined();
    expect(group.SecurityGroupEgress.map((r) => [r.FromPort, r.ToPort])).toEqual([[443, 443]]);
  });

  test('the build role reads AWS components and writes only its own logs: no admin, no wildcard actions', () => {
    const policies = resourcesOfType(json, 'AWS::IAM::ManagedPolicy').flatMap(([, p]) => p.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const actions = policies.flatMap((st) => [st.Action].flat());
    expect(actions.sort()).toEqual(['imagebuilder:GetComponent', 'imagebuilder:GetComponent', 'logs:CreateLogStream', 'logs:PutLogEvents', 's3:GetObject'].sort());
    image.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.arrayWith([Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/AmazonSSMManagedInstanceCore']) ] })]),
    });
  });

  test('the AMI id is published to the parameter the fleet reads, which exists before the first build with the public AL2023 id', () => {
    expect(one('AWS::ImageBuilder::DistributionConfiguration').Distributions).toEqual([
      expect.objectContaining({
        SsmParameterConfigurations: [{ ParameterName: PARAMETER, DataType: 'aws:ec2:image' }],
        AmiDistributionConfiguration: { Name: 'sra-app-prod-fleet-{{ imagebuilder:buildDate }}', Description: expect.any(String), AmiTags: expect.any(Object) },
      }),
    ]);
    expect(one('AWS::SSM::Parameter')).toMatchObject({
      Name: PARAMETER,
      DataType: 'aws:ec2:image',
      Value: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64}}',
    });
    const [pipelineId] = resourcesOfType(json, 'AWS::ImageBuilder::ImagePipeline')[0]!;
    const [parameterId] = resourcesOfType(json, 'AWS::SSM::Parameter')[0]!;
    expect((json.Resources[pipelineId] as { DependsOn?: string[] }).DependsOn).toContain(parameterId);
  });

  test('older images and their snapshots are deleted: the newest three of this recipe are kept', () => {
    const recipe = one('AWS::ImageBuilder::ImageRecipe');
    expect(one('AWS::ImageBuilder::LifecyclePolicy')).toMatchObject({
      ResourceType: 'AMI_IMAGE',
      Status: 'ENABLED',
      PolicyDetails: [{ Action: { Type: 'DELETE', IncludeResources: { Amis: true, Snapshots: true } }, Filter: { Type: 'COUNT', Value: 3 } }],
      ResourceSelection: { Recipes: [{ Name: recipe.Name, SemanticVersion: recipe.Version }] },
    });
  });

  test('the build log group is encrypted with the logs key and expires, and the role writes only there', () => {
    image.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/imagebuilder/sra-app-prod-fleet', KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
    const [groupId] = resourcesOfType(json, 'AWS::Logs::LogGroup')[0]!;
    const logStatements = resourcesOfType(json, 'AWS::IAM::ManagedPolicy')
      .flatMap(([, p]) => p.PolicyDocument.Statement as { Action: string[]; Resource: unknown }[])
      .filter((st) => [st.Action].flat().some((a) => a.startsWith('logs:')));
    expect(logStatements.map((st) => st.Resource)).toEqual([{ 'Fn::GetAtt': [groupId, 'Arn'] }]);
  });
});

describe('the fleet follows the image parameter', () => {
  test.each(['dev', 'prod'] as const)('%s: the launch template resolves the image parameter at launch, and the Application stack deploys after the Image stack', (name) => {
    const s = synthesizeExample(name);
    const [, template] = resourcesOfType(s.json.Application!, 'AWS::EC2::LaunchTemplate')[0]!;
    expect(template.LaunchTemplateData.ImageId).toBe(`resolve:ssm:/sra-app/${name}/fleet/image-id`);
    const stage = s.built.stages[0]!;
    expect(stage.application.dependencies.map((d) => d.node.id)).toContain('Image');
  });

  test('prod: an image parameter change starts an instance refresh of the fleet group, and only of it', () => {
    const s = synthesizeExample('prod');
    const app = s.templates.Application!;
    app.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ssm'], 'detail-type': ['Parameter Store Change'], detail: { name: [PARAMETER], operation: ['Update'] } },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    const [groupId] = resourcesOfType(s.json.Application!, 'AWS::AutoScaling::AutoScalingGroup')[0]!;
    app.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { GROUP_NAME: { Ref: groupId }, PARAMETER_NAME: PARAMETER, MIN_HEALTHY_PERCENTAGE: '100' } },
    });
    const refresh = resourcesOfType(s.json.Application!, 'AWS::IAM::ManagedPolicy')
      .flatMap(([, p]) => p.PolicyDocument.Statement as { Action: string; Resource: unknown }[])
      .filter((st) => st.Action === 'autoscaling:StartInstanceRefresh');
    expect(refresh).toHaveLength(1);
    expect(JSON.stringify(refresh[0]!.Resource)).toContain(`autoScalingGroup:*:autoScalingGroupName/",{"Ref":"${groupId}"}`);
  });
});

describe('the pipeline construct', () => {
  const props = (vpc: ec2.IVpc, key: kms.IKey, over: Partial<HardenedImagePipelineProps> = {}): HardenedImagePipelineProps => ({
    name: 'sra-app-test',
    parameterName: '/sra-app/test/fleet/image-id',
    architecture: ec2.InstanceArchitecture.X86_64,
    instanceType: 'm7i.large',
    hardening: 'stig-build-linux-medium',
    schedule: 'cron(0 4 ? * MON *)',
    vpc,
    subnets: { subnetGroupName: 'App' },
    logsKey: key,
    logRetentionDays: 90,
    ...over,
  });

  test('x86 fleets get the x86 parent image and public parameter; the four packs find nothing', () => {
    const { template, findings } = buildChecked(({ stack, vpc, key }) => {
      new HardenedImagePipeline(stack, 'Image', props(vpc, key));
    });
    expect(findings).toEqual([]);
    const recipe = Object.values(template.findResources('AWS::ImageBuilder::ImageRecipe'))[0]!.Properties;
    expect(JSON.stringify(recipe.ParentImage)).toContain('amazon-linux-2023-x86/x.x.x');
    expect(JSON.stringify(recipe.Components)).toContain('stig-build-linux-medium');
    template.hasResourceProperties('AWS::SSM::Parameter', { Value: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}' });
  });

  test('a recipe with other content gets another version (recipes are immutable per version), the same content the same', () => {
    const version = (over: Partial<HardenedImagePipelineProps>) =>
      Object.values(
        buildChecked(({ stack, vpc, key }) => new HardenedImagePipeline(stack, 'Image', props(vpc, key, over))).template.findResources(
          'AWS::ImageBuilder::ImageRecipe',
        ),
      )[0]!.Properties.Version as string;
    const medium = version({});
    expect(medium).toMatch(/^1\.0\.\d+$/);
    expect(version({ name: 'sra-app-other' })).toBe(medium);
    expect(version({ hardening: 'stig-build-linux-high' })).not.toBe(medium);
  });

  test.each([
    [{ instanceType: 'm7g.large' }, /is not x86_64/],
    [{ schedule: 'rate(7 days)' }, /cron\(\) expression/],
    [{ parameterName: 'no-slash' }, /parameterName/],
  ])('refuses %j', (over, message) => {
    expect(() => buildChecked(({ stack, vpc, key }) => new HardenedImagePipeline(stack, 'Image', props(vpc, key, over)))).toThrow(message);
  });
});
