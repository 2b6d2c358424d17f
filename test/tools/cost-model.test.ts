import { athenaQueryCost, HOURS_PER_MONTH, IMAGE_BUILD, idleCost, INSTANCE_HOUR, optInCosts, PRICES } from '../../tools/cost-model';
import { configFrom, synthesize, synthesizeExample } from '../helpers/app';
import { SHIELD_AND_FLEET_MIRRORING } from '../helpers/variants';

describe('idle cost model', () => {
  const lines = (name: 'dev' | 'prod') => Object.fromEntries(idleCost(Object.values(synthesizeExample(name).json)).map((l) => [l.item, l]));

  test('prices NAT gateways, interface endpoints per zone and mirror sessions from the template', () => {
    const prod = lines('prod');
    expect(prod['NAT gateway (with its public IPv4)']).toEqual({ item: expect.any(String), count: 3, monthly: 3 * (PRICES.natGatewayHour + PRICES.publicIpv4Hour) * HOURS_PER_MONTH });
    expect(prod['interface endpoint, per zone']!.count).toBe(9 * 3);
    expect(prod['Traffic Mirroring session']!.count).toBe(1);
  });

  test('keys are billed only where they are created (prod uses the security account keys)', () => {
    expect(lines('prod')['KMS customer-managed key']).toBeUndefined();
    // The key ring's five and the account's EBS default key (Security), the evidence key (Response) and, in local key mode,
    // the token vault's own key (Data): the vault gets a key no other data store shares, where prod's central mode puts it
    // under the security account's data key.
    expect(lines('dev')['KMS customer-managed key']!.count).toBe(8);
    const keysIn = (stack: string) => idleCost([synthesizeExample('dev').json[stack]]).find((l) => l.item === 'KMS customer-managed key')?.count;
    expect([keysIn('Security'), keysIn('Data'), keysIn('Response')]).toEqual([6, 1, 1]);
  });

  test('Aurora: paused Serverless v2 costs nothing idle; production pays for a writer and a reader', () => {
    expect(lines('dev')['Aurora Serverless v2 at 0 ACU (paused)']).toMatchObject({ count: 1, monthly: 0 });
    expect(lines('prod')['Aurora provisioned instances (db.r7g.large)']).toEqual({ item: expect.any(String), count: 2, monthly: 2 * INSTANCE_HOUR['db.r7g.large']! * HOURS_PER_MONTH });
  });

  test('log analytics costs nothing idle: the catalog is within the free tier, Athena bills per TB scanned, capped per query by the scan limit', () => {
    const dev = lines('dev');
    // The database and five tables: flow logs, CloudTrail, ALB access and connection logs, S3 access logs (no WAF table: dev logs WAF to CloudWatch Logs).
    expect(dev['Glue Data Catalog databases and tables (free up to 1,000,000 objects)']).toEqual({ item: expect.any(String), count: 6, monthly: 0 });
    expect(dev['Athena workgroup (usage only: $5 per TB scanned; a query at the scan limit costs at most $0.049)']).toEqual({ item: expect.any(String), count: 1, monthly: 0 });
    expect(athenaQueryCost(1024 ** 4)).toBe(5);
    expect(athenaQueryCost(1)).toBe(athenaQueryCost(10 * 1024 ** 2));
  });

  test('the load balancer, WAF rules and the fleet at its minimum size are counted', () => {
    const dev = lines('dev');
    expect(dev['Application Load Balancer (hours, before LCUs)']!.count).toBe(1);
    expect(dev['WAF web ACL and rules']!.monthly).toBeGreaterThan(PRICES.webAclMonth);
    expect(dev['app fleet at minimum size (t4g.small)']!.count).toBe(1);
  });

  test('the clean room, when enabled, adds its workstation, its key and one zone of five endpoints', () => {
    const withRoom = Object.fromEntries(idleCost(Object.values(synthesize(configFrom('dev', (c) => (c.response = { cleanRoom: { enabled: true } }))).json)).map((l) => [l.item, l]));
    const dev = lines('dev');
    expect(withRoom['EC2 instances outside the fleet, e.g. the forensic workstation (m7g.large)']).toEqual({ item: expect.any(String), count: 1, monthly: INSTANCE_HOUR['m7g.large']! * HOURS_PER_MONTH });
    expect(withRoom['KMS customer-managed key']!.count - dev['KMS customer-managed key']!.count).toBe(1);
    expect(withRoom['interface endpoint, per zone']!.count - dev['interface endpoint, per zone']!.count).toBe(5);
    expect(Object.keys(dev).some((item) => item.startsWith('EC2 instances outside the fleet'))).toBe(false);
  });

  test('Shield Advanced shows its $3,000 a month and its health checks; fleet mirroring a session per instance', () => {
    const withEdge = Object.fromEntries(idleCost(Object.values(synthesize(configFrom('dev', SHIELD_AND_FLEET_MIRRORING)).json)).map((l) => [l.item, l]));
    expect(withEdge['Shield Advanced subscription (per organization, one-year commitment)']).toMatchObject({ count: 1, monthly: 3000 });
    expect(withEdge['Route 53 health check']).toMatchObject({ count: 3, monthly: 1.5 });
    expect(withEdge['Traffic Mirroring session per fleet instance (at minimum size)']).toMatchObject({ count: 1, monthly: PRICES.trafficMirrorSessionHour * HOURS_PER_MONTH });
    const dev = lines('dev');
    expect(Object.keys(dev).filter((item) => /Shield|Route 53|per fleet instance/.test(item))).toEqual([]);
  });

  test('a created general-purpose Private CA shows its $400 a month', () => {
    const withCa = synthesize(configFrom('dev', (c) => (c.application.certificate = { kind: 'private', domainName: 'app.internal', createCertificateAuthority: { commonName: 'root' } })));
    expect(idleCost(Object.values(withCa.json)).find((l) => l.item === 'Private CA, general purpose')).toMatchObject({ count: 1, monthly: 400 });
    expect(lines('dev')['Private CA, general purpose']).toBeUndefined();
  });

  test('the hardened image: about weekly builds on the fleet type and three kept 8 GiB AMIs; nothing with the public image', () => {
    const prod = lines('prod')['hardened image builds (m7g.large) and kept AMI snapshots']!;
    expect(prod).toEqual({ item: expect.any(String), count: 1, monthly: IMAGE_BUILD.buildsPerMonth * INSTANCE_HOUR['m7g.large']! + 3 * 8 * PRICES.ebsSnapshotGbMonth });
    expect(prod.monthly).toBeLessThan(2);
    const dev = lines('dev')['hardened image builds (t4g.small) and kept AMI snapshots']!;
    expect(dev.monthly).toBeCloseTo(IMAGE_BUILD.buildsPerMonth * INSTANCE_HOUR['t4g.small']! + 1.2, 5);
  });

  test('opt-ins: what each would add, and "included" once the templates have it', () => {
    const byOption = (name: 'dev' | 'prod', types: string[] = []) =>
      Object.fromEntries(optInCosts(idleCost(Object.values(synthesizeExample(name).json)), name === 'dev' ? 2 : 3, new Set(types)).map((o) => [o.option.replace(/ \(.*$/, ''), o]));
    const dev = byOption('dev');
    expect(dev['ACM Private CA']).toMatchObject({ included: false, monthly: 400 });
    expect(dev['CloudHSM']).toMatchObject({ included: false, monthly: 2 * PRICES.hsmHour * HOURS_PER_MONTH });
    expect(dev['Traffic Mirroring']).toMatchObject({ included: false, monthly: PRICES.trafficMirrorSessionHour * HOURS_PER_MONTH });
    expect(dev['Shield Advanced']).toMatchObject({ included: false, monthly: 3000 });
    expect(dev['Network Firewall']!.monthly).toBeCloseTo(2 * PRICES.networkFirewallEndpointHour * HOURS_PER_MONTH);
    expect(byOption('prod')['Traffic Mirroring']!.included).toBe(true);
    expect(byOption('dev', ['AWS::Shield::Protection'])['Shield Advanced']!.included).toBe(true);
  });
});

describe('idle cost of the account-level services', () => {
  const lines = (json: Record<string, Parameters<typeof idleCost>[0][number]>) => Object.fromEntries(idleCost(Object.values(json)).map((l) => [l.item, l]));

  test('dev (standalone): Macie per bucket, Inspector per Lambda function, weekly CIS scans of the fleet; prod (organization) pays none of them here', () => {
    const dev = lines(synthesizeExample('dev').json);
    const buckets = Object.values(synthesizeExample('dev').json).flatMap((t) => Object.values(t.Resources)).filter((r) => r.Type === 'AWS::S3::Bucket').length;
    expect(dev['Macie automated discovery, bucket monitoring (per bucket; inspected GB extra)']).toEqual({ item: expect.any(String), count: buckets, monthly: buckets * PRICES.macieBucketMonth });
    const lambda = dev['Inspector Lambda standard and code scanning, per function']!;
    expect(lambda.monthly).toBeCloseTo(lambda.count * (PRICES.inspectorLambdaFunctionMonth + PRICES.inspectorLambdaCodeFunctionMonth));
    expect(dev['Inspector CIS scans of the fleet (instance-scans a month, unverified price)']!.count).toBeCloseTo(4.35);
    const prod = lines(synthesizeExample('prod').json);
    expect(Object.keys(prod).filter((item) => /Macie|Inspector Lambda|CIS/.test(item))).toEqual([]);
  });

  test('an Audit Manager assessment is priced per resource assessed', () => {
    const withAudit = synthesize(
      configFrom('dev', (c) => (c.detection.auditManager = { enabled: true, frameworkIds: ['0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d'], processOwnerRoleName: 'audit-owner' })),
    );
    const line = lines(withAudit.json)['Audit Manager assessments (upper bound: every resource assessed daily)']!;
    const resources = Object.values(withAudit.json).flatMap((t) => Object.values(t.Resources)).length;
    expect(line).toEqual({ item: expect.any(String), count: 1, monthly: (resources * 30 * PRICES.auditManagerThousandAssessments) / 1000 });
    expect(lines(synthesizeExample('dev').json)['Audit Manager assessments (upper bound: every resource assessed daily)']).toBeUndefined();
  });
});
