import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { resolveEnvironments } from '../../../src/config';
import { CONTAINMENT_RULE_NUMBERS, TierNetworkAcls } from '../../../src/constructs/network/tier-network-acls';
import { WorkloadVpc } from '../../../src/constructs/network/workload-vpc';
import { configFrom, resourcesOfType, synthesize, synthesizeExample, type Synthesized } from '../../helpers/app';

interface Entry {
  acl: string;
  egress: boolean;
  cidr: string;
  from: number;
  to: number;
  action: string;
  number: number;
}

function entries(s: Synthesized): Entry[] {
  return resourcesOfType(s.json.Network!, 'AWS::EC2::NetworkAclEntry').map(([, e]) => ({
    acl: (e.NetworkAclId as { Ref: string }).Ref.replace(/^NetworkAcls/, '').replace(/[0-9A-F]{8}$/, ''),
    egress: e.Egress as boolean,
    cidr: e.CidrBlock as string,
    from: (e.PortRange as { From: number }).From,
    to: (e.PortRange as { To: number }).To,
    action: e.RuleAction as string,
    number: e.RuleNumber as number,
  }));
}

const covers = (e: Entry, port: number) => e.from <= port && port <= e.to;

describe('TierNetworkAcls', () => {
  const dev = synthesizeExample('dev');
  const all = entries(dev);
  const appCidrs = ['10.20.0.0/22', '10.20.8.0/22'];
  const publicCidrs = ['10.20.4.0/24', '10.20.12.0/24'];

  test('each tier has its own ACL associated with each of its subnets', () => {
    expect(resourcesOfType(dev.json.Network!, 'AWS::EC2::NetworkAcl')).toHaveLength(3);
    expect(resourcesOfType(dev.json.Network!, 'AWS::EC2::SubnetNetworkAclAssociation')).toHaveLength(6);
  });

  test('every rule allows; everything else falls to the implicit deny', () => {
    expect(all.every((e) => e.action === 'allow')).toBe(true);
  });

  test('every allow rule sits above the block reserved for containment deny entries (1-99)', () => {
    expect(CONTAINMENT_RULE_NUMBERS).toEqual({ first: 1, last: 99 });
    expect(Math.min(...all.map((e) => e.number))).toBe(CONTAINMENT_RULE_NUMBERS.last + 1);
    expect(all.filter((e) => e.number <= CONTAINMENT_RULE_NUMBERS.last)).toEqual([]);
  });

  test('data subnets accept only the database port from the app subnets, and answer only the app subnets', () => {
    const data = all.filter((e) => e.acl === 'Data');
    expect(data.filter((e) => !e.egress)).toEqual(appCidrs.map((cidr) => expect.objectContaining({ cidr, from: 5432, to: 5432 })));
    expect(data.filter((e) => e.egress).map((e) => e.cidr)).toEqual(appCidrs);
    expect(data.filter((e) => e.egress).every((e) => e.from === 1024 && e.to === 65535)).toBe(true);
  });

  test('app subnets accept the app port only from the public subnets', () => {
    const appPortIn = all.filter((e) => e.acl === 'App' && !e.egress && covers(e, 8080) && e.from === 8080);
    expect(appPortIn.map((e) => e.cidr)).toEqual(publicCidrs);
  });

  test('rules exist in both directions for every tier (ACLs are stateless)', () => {
    for (const acl of ['Public', 'App', 'Data']) {
      expect(all.some((e) => e.acl === acl && e.egress)).toBe(true);
      expect(all.some((e) => e.acl === acl && !e.egress)).toBe(true);
    }
  });

  test.each(['dev', 'prod'] as const)('%s: no inbound rule admits 0.0.0.0/0 to 22 or 3389', (name) => {
    const open = entries(synthesizeExample(name)).filter((e) => !e.egress && e.cidr === '0.0.0.0/0' && (covers(e, 22) || covers(e, 3389)));
    expect(open).toEqual([]);
  });

  test('return traffic from anywhere is admitted on ephemeral ports, around 3389', () => {
    const ephemeral = all.filter((e) => e.acl === 'App' && !e.egress && e.cidr === '0.0.0.0/0');
    expect(ephemeral.map((e) => [e.from, e.to])).toEqual([
      [1024, 3388],
      [3390, 65535],
    ]);
  });

  test('ingress sources from the config bound the public subnets', () => {
    const s = synthesize(configFrom('dev', (c) => (c.network.ingressCidrs = ['203.0.113.0/24'])));
    const https = entries(s).filter((e) => e.acl === 'Public' && !e.egress && e.from === 443);
    expect(https.map((e) => e.cidr)).toEqual(['203.0.113.0/24', ...appCidrs]);
  });

  test('without NAT the public subnets carry no app HTTPS egress', () => {
    const settings = resolveEnvironments(configFrom('dev'))[0]!.network;
    const stack = new Stack(new App(), 'NoNat', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new WorkloadVpc(stack, 'Vpc', { settings: { ...settings, natGateways: 'none' } }).vpc;
    new TierNetworkAcls(stack, 'NetworkAcls', { vpc, plan: settings.subnets, ingressCidrs: ['0.0.0.0/0'], appPort: 8080, databasePort: 5432, natEgress: false });
    const publicHttps = Object.values(Template.fromStack(stack).findResources('AWS::EC2::NetworkAclEntry'))
      .map((r) => r.Properties)
      .filter((e) => JSON.stringify(e.NetworkAclId).includes('Public') && e.PortRange.From === 443 && (e.Egress || appCidrs.includes(e.CidrBlock)));
    expect(publicHttps).toEqual([]);
  });
});
