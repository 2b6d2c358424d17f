import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Match } from 'aws-cdk-lib/assertions';
import { CloudHsmCluster } from '../../../src/constructs/keys/cloudhsm-cluster';
import { UNSCOPED_ACTIONS } from '../../../src/constructs/lambda/unscoped-actions';
import { buildChecked } from '../../helpers/nag';

describe('CloudHsmCluster', () => {
  const { template, findings } = buildChecked(({ stack, vpc, key }) => {
    const client = new ec2.SecurityGroup(stack, 'Client', { vpc, allowAllOutbound: false, description: 'CloudHSM client' });
    new CloudHsmCluster(stack, 'Hsm', {
      vpc,
      clients: [client],
      hsmSubnets: { subnetGroupName: 'Data' },
      functionSubnets: { subnetGroupName: 'App' },
      key,
      logsKey: key,
      logRetentionDays: 365,
    });
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('asks for two HSMs in the data subnets and retains the cluster on removal', () => {
    template.hasResourceProperties('Custom::CloudHsmCluster', {
      SubnetIds: [Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('DataSubnet1') }), Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('DataSubnet2') })],
      HsmCount: '2',
      BackupRetentionDays: '90',
      RemovalPolicy: 'retain',
    });
  });

  test("waits in the Step Functions waiter for 57 minutes, and CloudFormation gives up at its hour's limit", () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { DefinitionString: Match.anyValue() });
    const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toMatch(/MaxAttempts\\?":\s*57\b|"MaxAttempts\\":57/);
    template.hasResourceProperties('Custom::CloudHsmCluster', { ServiceTimeout: '3600' });
  });

  test('clients get ports 2223-2225 to the cluster security group, in both groups', () => {
    const clusterGroup = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Hsm'), 'SecurityGroupId'] };
    const clientGroup = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Client'), 'GroupId'] };
    const ports = { IpProtocol: 'tcp', FromPort: 2223, ToPort: 2225 };
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { ...ports, GroupId: clusterGroup, SourceSecurityGroupId: clientGroup });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { ...ports, GroupId: clientGroup, DestinationSecurityGroupId: clusterGroup });
  });

  test('the handlers may create service-linked roles only for CloudHSM', () => {
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const slr = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[]).filter((s) => [s.Action].flat().includes('iam:CreateServiceLinkedRole'));
    expect(slr.length).toBeGreaterThan(0);
    for (const s of slr) expect(s.Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': 'cloudhsm.amazonaws.com' } });
  });

  test('Resource "*" only for actions that take no resource', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::ManagedPolicy'))) {
      for (const s of policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
        if (s.Resource === '*') for (const a of [s.Action].flat()) expect(UNSCOPED_ACTIONS).toContain(a);
      }
    }
  });
});
