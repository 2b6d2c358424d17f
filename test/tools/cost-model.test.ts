import { HOURS_PER_MONTH, idleCost, INSTANCE_HOUR, PRICES } from '../../tools/cost-model';
import { configFrom, synthesize, synthesizeExample } from '../helpers/app';

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

  test('a created general-purpose Private CA shows its $400 a month', () => {
    const withCa = synthesize(configFrom('dev', (c) => (c.application.certificate = { kind: 'private', domainName: 'app.internal', createCertificateAuthority: { commonName: 'root' } })));
    expect(idleCost(Object.values(withCa.json)).find((l) => l.item === 'Private CA, general purpose')).toMatchObject({ count: 1, monthly: 400 });
    expect(lines('dev')['Private CA, general purpose']).toBeUndefined();
  });
});
