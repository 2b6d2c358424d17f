import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

const idOf = (ref: unknown) => ((ref as { 'Fn::GetAtt': [string] })['Fn::GetAtt'] ?? [''])[0];

describe('TierSecurityGroups', () => {
  const { json } = synthesizeExample('dev');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const groups: Record<string, Record<string, any>> = Object.fromEntries(
    resourcesOfType(json.Network!, 'AWS::EC2::SecurityGroup').map(([id, p]) => [id.replace(/^SecurityGroups/, '').replace(/[0-9A-F]{8}$/, ''), { id, ...p }]),
  );
  const ingress = resourcesOfType(json.Network!, 'AWS::EC2::SecurityGroupIngress').map(([, p]) => p);
  const egress = resourcesOfType(json.Network!, 'AWS::EC2::SecurityGroupEgress').map(([, p]) => p);

  test('load balancer → app → database are chained by group reference, each on its one port', () => {
    const chain = ingress.map((r) => [idOf(r.SourceSecurityGroupId), idOf(r.GroupId), r.FromPort, r.ToPort]);
    expect(chain).toEqual(
      expect.arrayContaining([
        [groups.LoadBalancer!.id, groups.App!.id, 8080, 8080],
        [groups.App!.id, groups.Database!.id, 5432, 5432],
        [groups.App!.id, groups.Endpoints!.id, 443, 443],
      ]),
    );
    expect(ingress.every((r) => r.CidrIp === undefined)).toBe(true);
  });

  test('the database and app groups admit nothing by CIDR', () => {
    expect(groups.Database!.SecurityGroupIngress).toBeUndefined();
    expect(groups.App!.SecurityGroupIngress).toBeUndefined();
  });

  test('no group allows all outbound traffic', () => {
    for (const group of Object.values(groups)) {
      for (const rule of (group.SecurityGroupEgress as { IpProtocol: string }[] | undefined) ?? []) {
        expect(rule.IpProtocol).not.toBe('-1');
      }
    }
    expect(egress.every((r) => r.IpProtocol === 'tcp')).toBe(true);
  });

  test('endpoints admit 443 from the VPC CIDR only', () => {
    expect(groups.Endpoints!.SecurityGroupIngress).toEqual([expect.objectContaining({ CidrIp: '10.20.0.0/16', FromPort: 443, ToPort: 443 })]);
  });

  test('the load balancer admits 443 and 80 from the configured sources only', () => {
    const s = synthesize(configFrom('dev', (c) => (c.network.ingressCidrs = ['198.51.100.0/24'])));
    const lb = resourcesOfType(s.json.Network!, 'AWS::EC2::SecurityGroup').find(([id]) => id.startsWith('SecurityGroupsLoadBalancer'))![1];
    expect((lb.SecurityGroupIngress as { CidrIp: string; FromPort: number }[]).map((r) => [r.CidrIp, r.FromPort])).toEqual([
      ['198.51.100.0/24', 443],
      ['198.51.100.0/24', 80],
    ]);
  });

  test('no group opens 22 or 3389', () => {
    const all = [...ingress, ...Object.values(groups).flatMap((g) => (g.SecurityGroupIngress as Record<string, number>[] | undefined) ?? [])];
    expect(all.filter((r) => (r.FromPort! <= 22 && 22 <= r.ToPort!) || (r.FromPort! <= 3389 && 3389 <= r.ToPort!))).toEqual([]);
  });
});
