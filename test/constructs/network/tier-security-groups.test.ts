import { configFrom, resourcesOfType, synthesize, synthesizeExample, type Synthesized } from '../../helpers/app';

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

/** Egress to the AWS APIs: endpoints and gateway prefix lists, and HTTPS to 0.0.0.0/0 only where a named service has no endpoint. */
describe('egress with intent', () => {
  const dev = synthesizeExample('dev');
  const egressOf = (json: Synthesized['json'][string], groupPrefix: string) => {
    const inline = resourcesOfType(json, 'AWS::EC2::SecurityGroup')
      .filter(([id]) => id.startsWith(groupPrefix))
      .flatMap(([, g]) => (g.SecurityGroupEgress as Record<string, unknown>[] | undefined) ?? []);
    const separate = resourcesOfType(json, 'AWS::EC2::SecurityGroupEgress')
      .filter(([, r]) => idOf(r.GroupId).startsWith(groupPrefix))
      .map(([, r]) => r);
    return [...inline, ...separate];
  };
  const toAnywhere = (rules: Record<string, unknown>[]) => rules.filter((r) => r.CidrIp === '0.0.0.0/0');

  test('the app fleet sends HTTPS to the endpoints, the S3 and DynamoDB prefix lists and the VPC, never to 0.0.0.0/0', () => {
    const rules = egressOf(dev.json.Network!, 'SecurityGroupsApp');
    expect(toAnywhere(rules)).toEqual([]);
    const prefixLists = rules.filter((r) => r.DestinationPrefixListId).map((r) => (r.DestinationPrefixListId as { 'Fn::GetAtt': string[] })['Fn::GetAtt']);
    expect(prefixLists).toEqual([
      ['VpcBaselineDefaultSecurityGroup', 'S3PrefixListId'],
      ['VpcBaselineDefaultSecurityGroup', 'DynamoDbPrefixListId'],
    ]);
    expect(rules.filter((r) => r.CidrIp).map((r) => [r.CidrIp, r.FromPort])).toEqual([['10.20.0.0/16', 443]]);
  });

  test('an endpoint left out of the config sends only that service through NAT, named in the rule', () => {
    const s = synthesize(configFrom('dev', (c) => (c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'logs' && e !== 'monitoring'))));
    expect(toAnywhere(egressOf(s.json.Network!, 'SecurityGroupsApp'))).toEqual([
      expect.objectContaining({ FromPort: 443, ToPort: 443, Description: 'Through NAT, no endpoint here: logs API, monitoring API' }),
    ]);
  });

  test('HTTPS to 0.0.0.0/0 remains only on the documented list of groups, each naming why', () => {
    const open: Record<string, string> = {};
    for (const [stack, json] of Object.entries(dev.json)) {
      for (const [id, g] of resourcesOfType(json, 'AWS::EC2::SecurityGroup')) {
        for (const r of toAnywhere((g.SecurityGroupEgress as Record<string, unknown>[] | undefined) ?? [])) {
          if (r.IpProtocol === '-1') continue; // the containment "untrack" group, which admits nothing in and carries no instance traffic out
          open[`${stack}/${id.replace(/[0-9A-F]{8}$/, '')}`] = String(r.Description);
        }
      }
    }
    expect(open).toEqual({
      'Network/BaselineFunctionSecurityGroup': 'Through NAT: EC2 API and the CloudFormation response bucket, before the prefix lists are known',
      'Detection/AWS679f53fac002430cb0da5b7982bd2287SecurityGroup': 'HTTPS to the IAM, EC2 and S3 Control APIs',
      'Application/InspectorProviderOnEventSecurityGroup': 'Through NAT, no endpoint here: inspector2 API, lambda API, states API',
      'Application/InspectorProviderIsCompleteSecurityGroup': 'Through NAT, no endpoint here: inspector2 API',
      'Response/WorkflowsStepsSecurityGroup': 'Through NAT, no endpoint here: autoscaling API, elasticloadbalancing API, iam API, sns API',
      'Application/ImageRefreshHandlerSecurityGroup': 'Through NAT, no endpoint here: autoscaling API',
      // The image build instance: Image Builder's API and component downloads, and the Amazon Linux repositories.
      'Image/HardenedImageBuildGroup': 'AWS APIs, Amazon Linux repositories and components over HTTPS',
    });
  });
});
