import { HOURS_PER_MONTH, idleCost, PRICES } from '../../tools/cost-model';
import { synthesizeExample } from '../helpers/app';

describe('idle cost model', () => {
  test('prices NAT gateways, interface endpoints per zone, keys and mirror sessions', () => {
    const { json } = synthesizeExample('prod');
    const lines = Object.fromEntries(idleCost(Object.values(json)).map((l) => [l.item, l]));
    expect(lines['NAT gateway (with its public IPv4)']).toEqual({ item: expect.any(String), count: 3, monthly: 3 * (PRICES.natGatewayHour + PRICES.publicIpv4Hour) * HOURS_PER_MONTH });
    expect(lines['interface endpoint, per zone']!.count).toBe(9 * 3);
    // prod uses the security account's keys (central mode): none billed here
    expect(lines['KMS customer-managed key']).toBeUndefined();
    expect(lines['Traffic Mirroring session']!.count).toBe(1);
  });

  test('leaves out what the template does not create', () => {
    const items = idleCost(Object.values(synthesizeExample('dev').json)).map((l) => l.item);
    expect(items).not.toContain('Traffic Mirroring session');
    expect(idleCost(Object.values(synthesizeExample('dev').json)).find((l) => l.item === 'KMS customer-managed key')!.count).toBe(5);
  });
});
