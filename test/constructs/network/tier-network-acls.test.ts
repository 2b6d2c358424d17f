import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { resolveEnvironments } from '../../../src/config';
import { CONTAINMENT_RULE_NUMBERS, TierNetworkAcls } from '../../../src/constructs/network/tier-network-acls';
import { WorkloadVpc } from '../../../src/constructs/network/workload-vpc';
import { configFrom, resourcesOfType, synthesize, synthesizeExample, type Synthesized } from '../../helpers/app';
import { hostIn, NetworkAcls } from '../../helpers/nacl';

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

  test('each tier has its own ACL associated with each of its subnets', () => {
    expect(resourcesOfType(dev.json.Network!, 'AWS::EC2::NetworkAcl')).toHaveLength(3);
    expect(resourcesOfType(dev.json.Network!, 'AWS::EC2::SubnetNetworkAclAssociation')).toHaveLength(6);
  });

  test('the only explicit deny is the app port in the app ACL; everything else falls to the implicit deny', () => {
    expect(all.filter((e) => e.action === 'deny')).toEqual([expect.objectContaining({ acl: 'App', egress: false, cidr: '0.0.0.0/0', from: 8080, to: 8080 })]);
  });

  test('every rule sits above the block reserved for containment deny entries (1-99)', () => {
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

  test('return traffic is admitted on every ephemeral port from both halves of the address space, never as 0.0.0.0/0', () => {
    for (const acl of ['Public', 'App']) {
      const ephemeral = all.filter((e) => e.acl === acl && !e.egress && e.action === 'allow' && e.to === 65535);
      expect(ephemeral.map((e) => [e.cidr, e.from, e.to])).toEqual([
        ['0.0.0.0/1', 1024, 65535],
        ['128.0.0.0/1', 1024, 65535],
      ]);
    }
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

/** The ACLs as EC2 evaluates them, for the packets the tiers must admit and refuse. */
describe.each(['dev', 'prod'] as const)('TierNetworkAcls evaluated in rule order (%s)', (name) => {
  const s = synthesizeExample(name);
  const acls = new NetworkAcls(s.json.Network as never);
  const settings = resolveEnvironments(configFrom(name))[0]!;
  const plan = settings.network.subnets;
  const appPort = settings.application.port;
  const dbPort = settings.data.port;
  const hosts = { public: plan.public.map(hostIn), app: plan.app.map(hostIn), data: plan.data.map(hostIn) };
  const INTERNET = '203.0.113.9';
  const aclOf = (ip: string) => acls.aclOf(ip)!;

  test('every subnet of the plan has an ACL', () => {
    for (const ip of [...hosts.public, ...hosts.app, ...hosts.data]) expect(acls.aclOf(ip)).toBeDefined();
  });

  test('the app port on every app subnet is refused from the internet and from the other tiers, and admitted from each public subnet', () => {
    for (const app of hosts.app) {
      for (const src of [INTERNET, '10.99.0.1', ...hosts.data]) expect([src, app, acls.admits({ src, dst: app, port: appPort })]).toEqual([src, app, false]);
      for (const src of hosts.public) expect([src, app, acls.admits({ src, dst: app, port: appPort })]).toEqual([src, app, true]);
    }
  });

  test('the database port is admitted from the app subnets only', () => {
    for (const data of hosts.data) {
      for (const src of hosts.app) expect(acls.admits({ src, dst: data, port: dbPort })).toBe(true);
      for (const src of [INTERNET, ...hosts.public]) expect([src, acls.admits({ src, dst: data, port: dbPort })]).toEqual([src, false]);
    }
  });

  test('nothing reaches the data subnets from the internet or the public subnets, on any port', () => {
    const refused = (src: string, dst: string) => {
      for (let port = 1; port <= 65535; port++) if (acls.admits({ src, dst, port })) return port;
      return undefined;
    };
    for (const src of [INTERNET, hosts.public[0]!]) expect(refused(src, hosts.data[0]!)).toBeUndefined();
  });

  test('the app tier reaches the internet through NAT on 443, and the NAT return traffic passes on every port from 1024 to 65535', () => {
    const [nat] = hosts.public;
    for (const app of hosts.app) {
      // app → NAT (crosses the app ACL out and the public ACL in), NAT → internet (public ACL out)
      expect(acls.admits({ src: app, dst: INTERNET, port: 443 }) && acls.decide(aclOf(nat!), false, app, 443)).toBe(true);
    }
    expect(acls.decide(aclOf(nat!), true, INTERNET, 443)).toBe(true);
    const dropped: string[] = [];
    for (let port = 1024; port <= 65535; port++) {
      // internet → NAT: the public ACL inbound, on the port the NAT gateway chose
      for (const natHost of hosts.public) if (!acls.decide(aclOf(natHost), false, INTERNET, port)) dropped.push(`public ${natHost}:${port}`);
      // NAT → instance: out of the public ACL and into the app ACL, source still the internet address.
      // The app port is the one port refused (its deny entry); Linux and Lambda never pick it as a source port here.
      if (port === appPort) continue;
      for (const app of hosts.app) {
        if (!acls.decide(aclOf(nat!), true, app, port) || !acls.decide(aclOf(app), false, INTERNET, port)) dropped.push(`app ${app}:${port}`);
      }
    }
    expect(dropped).toEqual([]);
  });

  test('the tiers answer each other: load balancer ↔ app, app ↔ database, app ↔ endpoints', () => {
    for (const app of hosts.app) {
      for (const lb of hosts.public) expect(acls.admits({ src: app, dst: lb, port: 40000 })).toBe(true);
      for (const data of hosts.data) expect(acls.admits({ src: data, dst: app, port: 40000 })).toBe(true);
      for (const other of hosts.app) expect(acls.admits({ src: other, dst: app, port: 443 }) && acls.admits({ src: app, dst: other, port: 40000 })).toBe(true);
    }
  });

  test('the load balancer takes 443 and 80 from the allowed sources, nothing below 1024 else', () => {
    for (const lb of hosts.public) {
      expect(acls.admits({ src: INTERNET, dst: lb, port: 443 }) && acls.admits({ src: INTERNET, dst: lb, port: 80 })).toBe(true);
      for (const port of [22, 25, 53, 445, 1023]) expect(acls.admits({ src: INTERNET, dst: lb, port })).toBe(false);
    }
  });
});
