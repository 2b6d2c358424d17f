import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { resolveEnvironments } from '../../../src/config';
import { WorkloadVpc } from '../../../src/constructs/network/workload-vpc';
import { Match } from 'aws-cdk-lib/assertions';
import { configFrom, resourcesOfType, synthesizeExample } from '../../helpers/app';

describe('WorkloadVpc', () => {
  test.each([
    ['dev', 2],
    ['prod', 3],
  ] as const)('%s spans %i zones with a public, app and data subnet in each', (name, zones) => {
    const { json } = synthesizeExample(name);
    const subnets = resourcesOfType(json.Network!, 'AWS::EC2::Subnet');
    expect(subnets).toHaveLength(zones * 3);
    for (const tier of ['Public', 'App', 'Data']) {
      const inTier = subnets.filter(([id]) => id.startsWith(`Vpc${tier}Subnet`));
      expect(new Set(inTier.map(([, p]) => p.AvailabilityZone)).size).toBe(zones);
    }
  });

  test('no subnet assigns public IPv4 addresses on launch', () => {
    const { json } = synthesizeExample('dev');
    for (const [, subnet] of resourcesOfType(json.Network!, 'AWS::EC2::Subnet')) {
      expect(subnet.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('data subnets have no route to a NAT or internet gateway', () => {
    const { json } = synthesizeExample('prod');
    const routes = resourcesOfType(json.Network!, 'AWS::EC2::Route');
    expect(routes.filter(([id]) => id.startsWith('VpcData'))).toEqual([]);
    // and the app subnets do reach NAT, so the filter above would see a data route if one existed
    expect(routes.filter(([id, r]) => id.startsWith('VpcApp') && r.NatGatewayId)).toHaveLength(3);
    // Only public subnets route to the internet gateway (the rule packs' finding on them is acknowledged once, for the VPC).
    expect(routes.filter(([, r]) => r.GatewayId).map(([id]) => id.replace(/Subnet\d.*/, ''))).toEqual(['VpcPublic', 'VpcPublic', 'VpcPublic']);
  });

  test('subnet CIDRs are the planned ones, so the NACLs can name them', () => {
    const { json } = synthesizeExample('dev');
    const cidrs = resourcesOfType(json.Network!, 'AWS::EC2::Subnet').map(([, s]) => s.CidrBlock).sort();
    expect(cidrs).toEqual(['10.20.0.0/22', '10.20.12.0/24', '10.20.13.0/24', '10.20.4.0/24', '10.20.5.0/24', '10.20.8.0/22']);
  });

  test("the default security group is stripped by the project's own function, in the VPC, not by the CDK's provider outside it", () => {
    const { json, templates } = synthesizeExample('dev');
    templates.Network!.hasResourceProperties('Custom::VpcRestrictDefaultSG', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BaselineFunction'), 'Arn'] },
      DefaultSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vpc'), 'DefaultSecurityGroup'] },
    });
    // Every function of the stack is in the VPC (the CDK's provider was a bare function the rule packs skip).
    const functions = Object.values(json.Network!.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) expect(fn.Properties!.VpcConfig).toBeDefined();
    expect(Object.keys(json.Network!.Resources).filter((id) => id.includes('CustomVpcRestrictDefaultSGCustomResourceProvider'))).toEqual([]);
  });

  test('the baseline function may revoke rules of this VPC\'s default group and nothing else', () => {
    const { json } = synthesizeExample('dev');
    const policy = Object.entries(json.Network!.Resources).find(([id, r]) => id.startsWith('BaselineFunctionRolePolicy') && r.Type === 'AWS::IAM::ManagedPolicy')!;
    const statements = (policy[1].Properties!.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
    const revoke = statements.find((s) => JSON.stringify(s.Action).includes('Revoke'))!;
    expect(revoke.Action).toEqual(['ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress']);
    expect(JSON.stringify(revoke.Resource)).toMatch(/security-group\/".*DefaultSecurityGroup/);
    const securityGroupWrites = statements.flatMap((s) => [s.Action].flat()).filter((a) => /SecurityGroup|Authorize|Modify/.test(a) && !a.startsWith('ec2:Describe'));
    expect(securityGroupWrites.sort()).toEqual(['ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress']);
  });

  test('NAT follows the profile: one shared in development, one per zone in production, none on request', () => {
    expect(resourcesOfType(synthesizeExample('dev').json.Network!, 'AWS::EC2::NatGateway')).toHaveLength(1);
    expect(resourcesOfType(synthesizeExample('prod').json.Network!, 'AWS::EC2::NatGateway')).toHaveLength(3);
    // The construct supports no NAT (the config refuses it until the guardrails have a private path).
    const settings = resolveEnvironments(configFrom('dev'))[0]!.network;
    const stack = new Stack(new App(), 'NoNat', { env: { account: '111111111111', region: 'eu-west-1' } });
    new WorkloadVpc(stack, 'Vpc', { settings: { ...settings, natGateways: 'none' } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect(Object.keys(template.findResources('AWS::EC2::Route')).filter((id) => id.startsWith('VpcApp'))).toEqual([]);
  });

  test('zones come from the config, never from a lookup', () => {
    const { built } = synthesizeExample('prod');
    expect(built.app.node.metadata.filter((m) => m.type === 'aws:cdk:missing-context')).toEqual([]);
    const assembly = built.app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });
});
