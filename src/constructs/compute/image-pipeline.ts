import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as imagebuilder from 'aws-cdk-lib/aws-imagebuilder';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { parse, stringify } from 'yaml';
import { acknowledge } from '../../compliance';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import { AL2023_AMI_PARAMETERS } from './app-fleet';
import { OS_BASELINE_DOCUMENT } from './os-baseline';

/** AWS-managed STIG components for Linux; high applies every category-I, II and III setting. */
export type HardeningComponent = 'stig-build-linux-high' | 'stig-build-linux-medium' | 'stig-build-linux-low';

export interface HardenedImagePipelineProps {
  /** Prefix of every name, e.g. `sra-app-dev`. */
  readonly name: string;
  /** Name of the SSM parameter the pipeline publishes the AMI id to, e.g. `/sra-app/dev/fleet/image-id`. */
  readonly parameterName: string;
  /** CPU architecture of the fleet; the parent image and the build instance follow it. */
  readonly architecture: ec2.InstanceArchitecture;
  /** Build and test instance type, of the same architecture. */
  readonly instanceType: string;
  readonly hardening: HardeningComponent;
  /** When the pipeline looks for a newer parent image or component (cron, UTC). */
  readonly schedule: string;
  readonly vpc: ec2.IVpc;
  /** Private subnets with a path to Systems Manager, S3 and the Amazon Linux repositories; the build runs in the first. */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the build log group. */
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
}

/** Images (AMIs with their snapshots) kept; older ones are deleted by the lifecycle policy. */
export const IMAGES_KEPT = 3;

/** The public parameter of the latest Amazon Linux 2023 AMI: the fleet's image until the first build. */
export function publicImageParameter(architecture: ec2.InstanceArchitecture): string {
  const parameter = AL2023_AMI_PARAMETERS[architecture];
  if (!parameter) throw new Error(`no Amazon Linux 2023 image for architecture ${architecture}`);
  return parameter;
}

/**
 * An EC2 Image Builder pipeline building the fleet's image in this account:
 * Amazon Linux 2023 (the AWS-managed parent image, latest version), OS updates,
 * the AWS-managed STIG hardening component, the CloudWatch agent, the SSM Agent
 * kept, a boot test and an Amazon Inspector scan of the image. The AMI id is
 * published to an SSM parameter the fleet's launch template resolves at each
 * launch. The build instance runs in a private subnet with IMDSv2 only, no
 * inbound rule, a role that reads AWS components and writes only its log
 * group (encrypted with the logs key), and is terminated when a build fails.
 * A lifecycle policy keeps the newest images only.
 */
export class HardenedImagePipeline extends Construct {
  readonly pipeline: imagebuilder.CfnImagePipeline;
  readonly recipe: imagebuilder.CfnImageRecipe;
  readonly infrastructure: imagebuilder.CfnInfrastructureConfiguration;
  readonly distribution: imagebuilder.CfnDistributionConfiguration;
  /** The parameter the fleet reads; created with the public AMI id, overwritten by each build. */
  readonly parameter: ssm.CfnParameter;
  readonly parameterName: string;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly securityGroup: ec2.SecurityGroup;
  /** The OS baseline's audit rules, applied at build time. */
  readonly auditComponent: imagebuilder.CfnComponent;
  /** Deletes images beyond the newest IMAGES_KEPT. */
  readonly lifecycle: imagebuilder.CfnLifecyclePolicy;

  constructor(scope: Construct, id: string, props: HardenedImagePipelineProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9-]{1,100}$/.test(props.name)) throw new Error(`${this.node.path}: name may use letters, digits and "-" only (got ${JSON.stringify(props.name)})`);
    if (!/^\/[A-Za-z0-9_.\-/]{1,1000}$/.test(props.parameterName)) throw new Error(`${this.node.path}: parameterName must be a path like /app/env/fleet/image-id (got ${JSON.stringify(props.parameterName)})`);
    if (!/^cron\(.+\)$/.test(props.schedule)) throw new Error(`${this.node.path}: schedule must be a cron() expression (got ${JSON.stringify(props.schedule)})`);
    if (new ec2.InstanceType(props.instanceType).architecture !== props.architecture) {
      throw new Error(`${this.node.path}: instanceType ${props.instanceType} is not ${props.architecture}, the fleet's architecture`);
    }
    const imageName = `${props.name}-fleet`;
    this.parameterName = props.parameterName;

    // Created here so it exists before the first build: the public AMI id, resolved at deploy time. CloudFormation
    // writes it only when this resource's properties change; builds overwrite it in between.
    this.parameter = new ssm.CfnParameter(this, 'ImageId', {
      name: props.parameterName,
      type: 'String',
      dataType: 'aws:ec2:image',
      value: `{{resolve:ssm:${publicImageParameter(props.architecture)}}}`,
      description: `AMI id of the ${props.name} fleet: the public Amazon Linux 2023 image until the pipeline's first build, then the hardened image`,
      tier: 'Standard',
    });

    this.logGroup = new logs.LogGroup(this, 'BuildLogs', {
      // Image Builder's build log goes to /aws/imagebuilder/<recipe name>; created here to be encrypted with the logs key
      // and expire. It is the build's only log: an S3 copy would add a second store of the same lines.
      logGroupName: `/aws/imagebuilder/${imageName}`,
      encryptionKey: props.logsKey,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.auditComponent = this.buildAuditComponent(imageName);
    this.role = this.buildRole(imageName);
    const profile = new iam.InstanceProfile(this, 'InstanceProfile', { role: this.role });
    this.securityGroup = new ec2.SecurityGroup(this, 'BuildGroup', {
      vpc: props.vpc,
      description: `Image Builder build and test instances of ${imageName}: HTTPS out only, nothing in`,
      allowAllOutbound: false,
    });
    // Systems Manager, S3, the Amazon Linux repositories and the component artifacts, all over HTTPS.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs, Amazon Linux repositories and components over HTTPS');

    const subnetId = props.vpc.selectSubnets(props.subnets).subnetIds[0];
    if (!subnetId) throw new Error(`${this.node.path}: subnets selects no subnet`);
    this.infrastructure = new imagebuilder.CfnInfrastructureConfiguration(this, 'Infrastructure', {
      name: imageName,
      description: `Build and test instances of ${imageName}`,
      instanceProfileName: profile.instanceProfileName,
      instanceTypes: [props.instanceType],
      subnetId,
      securityGroupIds: [this.securityGroup.securityGroupId],
      terminateInstanceOnFailure: true,
      instanceMetadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      resourceTags: { Purpose: 'image-build', Image: imageName },
    });

    const arch = props.architecture === ec2.InstanceArchitecture.ARM_64 ? 'arm64' : 'x86';
    const awsComponent = (name: string) => `arn:${Aws.PARTITION}:imagebuilder:${Aws.REGION}:aws:component/${name}/x.x.x`;
    // The OS baseline's audit rules go in before the STIG component: a hardened image may make audit rules immutable
    // until reboot, and rules baked into the image load at first boot.
    const componentArns = [
      awsComponent('update-linux'),
      this.auditComponent.attrArn,
      awsComponent(props.hardening),
      awsComponent('amazon-cloudwatch-agent-linux'),
      awsComponent('simple-boot-test-linux'),
    ];
    const components = ['update-linux', `os-baseline-audit-rules@${this.auditComponent.version}`, props.hardening, 'amazon-cloudwatch-agent-linux', 'simple-boot-test-linux'];
    const recipe = {
      name: imageName,
      description: `Amazon Linux 2023 (${arch}), updated, OS baseline audit rules, ${props.hardening}, CloudWatch agent; SSM Agent kept`,
      parentImage: `arn:${Aws.PARTITION}:imagebuilder:${Aws.REGION}:aws:image/amazon-linux-2023-${arch}/x.x.x`,
      components: componentArns.map((componentArn) => ({ componentArn })),
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { encrypted: true, volumeType: 'gp3', volumeSize: 8, deleteOnTermination: true } },
      ],
      // Amazon Linux ships the agent; kept so Systems Manager manages instances from their first boot.
      additionalInstanceConfiguration: { systemsManagerAgent: { uninstallAfterBuild: false } },
    };
    this.recipe = new imagebuilder.CfnImageRecipe(this, 'Recipe', {
      ...recipe,
      version: recipeVersion({ arch, components, blockDeviceMappings: recipe.blockDeviceMappings, ssm: recipe.additionalInstanceConfiguration }),
    });

    this.distribution = new imagebuilder.CfnDistributionConfiguration(this, 'Distribution', {
      name: imageName,
      description: `Publishes ${imageName} in this region and its id to ${props.parameterName}`,
      distributions: [
        {
          region: Aws.REGION,
          // A JSON-typed property in the L1: written with CloudFormation's own (capitalised) keys.
          amiDistributionConfiguration: {
            Name: `${imageName}-{{ imagebuilder:buildDate }}`,
            Description: `Hardened Amazon Linux 2023 for the ${props.name} fleet`,
            AmiTags: { Image: imageName, Hardening: props.hardening },
          },
          ssmParameterConfigurations: [{ parameterName: props.parameterName, dataType: 'aws:ec2:image' }],
        },
      ],
    });

    this.pipeline = new imagebuilder.CfnImagePipeline(this, 'Pipeline', {
      name: imageName,
      description: `Hardened Amazon Linux 2023 image of the ${props.name} fleet`,
      imageRecipeArn: this.recipe.attrArn,
      infrastructureConfigurationArn: this.infrastructure.attrArn,
      distributionConfigurationArn: this.distribution.attrArn,
      status: 'ENABLED',
      enhancedImageMetadataEnabled: true,
      imageTestsConfiguration: { imageTestsEnabled: true, timeoutMinutes: 90 },
      // Amazon Inspector scans the image before it is distributed; its findings reach Security Hub with the fleet's.
      imageScanningConfiguration: { imageScanningEnabled: true },
      schedule: { scheduleExpression: props.schedule, pipelineExecutionStartCondition: 'EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE' },
    });
    // A build overwrites the parameter: it must exist (with the public AMI id) first.
    this.pipeline.addResourceDependency(this.parameter);
    this.lifecycle = this.buildLifecycle(imageName, this.recipe);
  }

  /** Keeps the newest IMAGES_KEPT images of the recipe (the parameter names the newest); older AMIs and their snapshots are deleted. */
  private buildLifecycle(imageName: string, recipe: imagebuilder.CfnImageRecipe): imagebuilder.CfnLifecyclePolicy {
    const role = new ManagedPolicyRole(this, 'LifecycleRole', {
      assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: `Image Builder lifecycle of ${imageName}: deletes its older AMIs and snapshots`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/EC2ImageBuilderLifecycleExecutionPolicy')],
    });
    acknowledge(role, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy]',
      reason: 'The AWS managed policy Image Builder lifecycle policies are documented with; it acts only on images a lifecycle policy selects, and AWS extends it as lifecycle actions are added',
    });
    return new imagebuilder.CfnLifecyclePolicy(this, 'Lifecycle', {
      name: imageName,
      description: `Keeps the newest ${IMAGES_KEPT} images of ${imageName}`,
      executionRole: role.roleArn,
      resourceType: 'AMI_IMAGE',
      status: 'ENABLED',
      policyDetails: [{ action: { type: 'DELETE', includeResources: { amis: true, snapshots: true } }, filter: { type: 'COUNT', value: IMAGES_KEPT } }],
      resourceSelection: { recipes: [{ name: recipe.name, semanticVersion: recipe.version }] },
    });
  }

  /** The OS baseline document's audit-rules step as an Image Builder component (the same script, run at build). */
  private buildAuditComponent(imageName: string): imagebuilder.CfnComponent {
    const document = parse(readFileSync(OS_BASELINE_DOCUMENT, 'utf8')) as { mainSteps: { name: string; inputs: { runCommand: string[] } }[] };
    const step = document.mainSteps.find((s) => s.name === 'auditRules');
    if (!step) throw new Error(`${OS_BASELINE_DOCUMENT} has no auditRules step`);
    const data = stringify({
      name: 'os-baseline-audit-rules',
      description: 'Writes the OS baseline audit rules (identity, sudoers, time, modules, privileged commands)',
      // AWSTOE reads the version as text; a number would be written as 1.
      schemaVersion: '1.0',
      phases: [{ name: 'build', steps: [{ name: 'AuditRules', action: 'ExecuteBash', inputs: { commands: step.inputs.runCommand } }] }],
    });
    return new imagebuilder.CfnComponent(this, 'AuditRules', {
      name: `${imageName}-audit-rules`,
      description: 'OS baseline audit rules, baked in so they load at first boot',
      platform: 'Linux',
      version: recipeVersion(data),
      data,
    });
  }

  /**
   * What the build and test instances need, scoped: Systems Manager (how Image Builder drives them), AWS-managed
   * components, the AWSTOE artifacts, and writing to their own log group and bucket prefix.
   */
  private buildRole(imageName: string): iam.Role {
    const role = new ManagedPolicyRole(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Image Builder instances of ${imageName}: Systems Manager, AWS components, own logs`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    acknowledge(role, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'Image Builder drives build and test instances through SSM Agent; AmazonSSMManagedInstanceCore is its minimum and follows the agent, which a copy would not',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AwsManagedComponents',
        actions: ['imagebuilder:GetComponent'],
        resources: [`arn:${Aws.PARTITION}:imagebuilder:${Aws.REGION}:aws:component/*`],
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'OwnComponent', actions: ['imagebuilder:GetComponent'], resources: [this.auditComponent.attrArn] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ComponentArtifacts',
        actions: ['s3:GetObject'],
        resources: [`arn:${Aws.PARTITION}:s3:::ec2imagebuilder*`],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'BuildLog',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    acknowledge(role, {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:imagebuilder:<AWS::Region>:aws:component/*]',
      reason: 'Only AWS-owned components (account "aws") can be read; their versions change with each release, so they are named by wildcard',
    });
    acknowledge(role, {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::ec2imagebuilder*]',
      reason: 'The AWS-owned buckets AWSTOE and component artifacts are downloaded from; their regional names share this prefix, as in the AWS managed EC2InstanceProfileForImageBuilder policy',
    });
    return role;
  }
}

/**
 * Image Builder recipes are immutable per name and version, and CloudFormation replaces a changed recipe by creating
 * the new one first: the version follows the content (what the recipe installs, not its deploy-time tokens), so a
 * changed recipe gets a new version instead of a name conflict.
 */
function recipeVersion(content: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(content)).digest();
  return `1.0.${digest.readUInt32BE(0) % 1_000_000}`;
}
