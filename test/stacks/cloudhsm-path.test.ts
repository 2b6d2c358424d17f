import { configFrom, resourcesOfType, synthesize, type Synthesized } from '../helpers/app';

const HSM_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const withHsm = synthesize(configFrom('dev', (c) => void (c.keys.cloudHsm = { enabled: true })));
const withHsmKey = synthesize(
  configFrom('dev', (c) => {
    c.keys.cloudHsm = { enabled: true };
    c.keys.hsmBackedKeyArns = { data: HSM_KEY };
  }),
);

const ipToInt = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(base!) / size);
}

function subnetCidrs(s: Synthesized, group: 'App' | 'Data'): string[] {
  return resourcesOfType(s.json.Network!, 'AWS::EC2::Subnet')
    .filter(([, p]) => (p.Tags as { Key: string; Value: string }[]).some((t) => t.Key === 'aws-cdk:subnet-name' && t.Value === group))
    .map(([, p]) => p.CidrBlock as string);
}

/** What a network ACL decides for one TCP packet: the lowest-numbered matching rule, else the implicit deny. */
function aclDecides(s: Synthesized, acl: 'App' | 'Data', egress: boolean, peer: string, port: number): string {
  const aclId = resourcesOfType(s.json.Network!, 'AWS::EC2::NetworkAcl').find(([id]) => id.startsWith(`NetworkAcls${acl}`))![0];
  const rule = resourcesOfType(s.json.Network!, 'AWS::EC2::NetworkAclEntry')
    .map(([, p]) => p)
    .filter((p) => p.NetworkAclId.Ref === aclId && p.Egress === egress && [6, -1, '6', '-1'].includes(p.Protocol))
    .filter((p) => p.Protocol === -1 || p.Protocol === '-1' || (p.PortRange.From <= port && port <= p.PortRange.To))
    .filter((p) => inCidr(peer, p.CidrBlock))
    .sort((a, b) => a.RuleNumber - b.RuleNumber)[0];
  return rule?.RuleAction ?? 'deny';
}

describe('CloudHSM path: app subnets (clients) to the HSMs in the data subnets', () => {
  const app = subnetCidrs(withHsm, 'App');
  const data = subnetCidrs(withHsm, 'Data');
  const firstHost = (cidr: string) => cidr.replace(/\.0\/\d+$/, '.10');

  test.each([2223, 2224, 2225])('network ACLs pass port %i from every app subnet to every data subnet, and the answers back', (port) => {
    expect(app.length).toBeGreaterThan(1);
    for (const client of app.map(firstHost)) {
      for (const hsm of data.map(firstHost)) {
        expect([aclDecides(withHsm, 'App', true, hsm, port), aclDecides(withHsm, 'Data', false, client, port)]).toEqual(['allow', 'allow']);
        // The client's ephemeral port, on the way back.
        expect([aclDecides(withHsm, 'Data', true, client, 40000), aclDecides(withHsm, 'App', false, hsm, 40000)]).toEqual(['allow', 'allow']);
      }
    }
  });

  test('without CloudHSM the data subnets refuse those ports', () => {
    const plain = synthesize(configFrom('dev'));
    const client = firstHost(subnetCidrs(plain, 'App')[0]!);
    expect(aclDecides(plain, 'Data', false, client, 2223)).toBe('deny');
  });

  test("the cluster's security group admits 2223-2225 from the app group, and the app group may send there", () => {
    const ports = { IpProtocol: 'tcp', FromPort: 2223, ToPort: 2225 };
    const cluster = { 'Fn::GetAtt': [expect.stringMatching(/^CloudHsm/), 'SecurityGroupId'] };
    const appGroup = expect.stringContaining('SecurityGroupsApp');
    const ingress = resourcesOfType(withHsm.json.Data!, 'AWS::EC2::SecurityGroupIngress').map(([, p]) => p);
    const egress = resourcesOfType(withHsm.json.Data!, 'AWS::EC2::SecurityGroupEgress').map(([, p]) => p);
    expect(ingress.filter((p) => p.FromPort === 2223)).toEqual([expect.objectContaining({ ...ports, GroupId: cluster })]);
    expect(JSON.stringify(ingress.find((p) => p.FromPort === 2223)!.SourceSecurityGroupId)).toEqual(appGroup);
    const out = egress.filter((p) => p.FromPort === 2223);
    expect(out).toEqual([expect.objectContaining({ ...ports, DestinationSecurityGroupId: cluster })]);
    expect(JSON.stringify(out[0]!.GroupId)).toEqual(appGroup);
  });
});

// An Aurora cluster's KmsKeyId is replacement-on-change: setting the HSM-backed data key must leave it alone.
describe('an HSM-backed data key set after the first deploy', () => {
  const clusters = (s: Synthesized) => resourcesOfType(s.json.Data!, 'AWS::RDS::DBCluster');
  const instances = (s: Synthesized) => resourcesOfType(s.json.Data!, 'AWS::RDS::DBInstance');

  test('does not change the Aurora cluster: same logical id, same KmsKeyId, same Performance Insights key', () => {
    expect(clusters(withHsmKey).map(([id]) => id)).toEqual(clusters(withHsm).map(([id]) => id));
    expect(clusters(withHsm)[0]![1].KmsKeyId).toBeDefined();
    expect(clusters(withHsmKey)[0]![1].KmsKeyId).toEqual(clusters(withHsm)[0]![1].KmsKeyId);
    expect(JSON.stringify(clusters(withHsmKey)[0]![1].KmsKeyId)).not.toContain(HSM_KEY);
    expect(instances(withHsmKey).map(([id, p]) => [id, p.PerformanceInsightsKMSKeyId])).toEqual(instances(withHsm).map(([id, p]) => [id, p.PerformanceInsightsKMSKeyId]));
  });

  test('keeps the local data key in the stack, for the database and what was written before', () => {
    const keys = (s: Synthesized) => resourcesOfType(s.json.Security!, 'AWS::KMS::Key').map(([id]) => id);
    expect(keys(withHsmKey)).toEqual(keys(withHsm));
    expect(keys(withHsmKey)).toContain('KeysDataC9F9B497');
  });

  test('takes effect where a key can change in place: the data bucket encrypts with the HSM-backed key', () => {
    const [, bucket] = resourcesOfType(withHsmKey.json.Data!, 'AWS::S3::Bucket').find(([id]) => id.startsWith('Bucket'))!;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID).toBe(HSM_KEY);
  });
});
