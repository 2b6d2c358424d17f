import { planSubnets, type SubnetPlan, type SubnetPrefixes, TIERS } from '../../src/config';
import { blockSize, type Cidr, overlaps, parseCidr } from '../../src/config/cidr';

const DEFAULT_PREFIXES: SubnetPrefixes = { public: 24, app: 22, data: 24 };

const c = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`not a CIDR: ${text}`);
  return parsed;
};

/** Checks the properties every plan must have, whatever its layout. */
function expectSound(plan: SubnetPlan | undefined, vpcCidr: string, zones: number, prefixes: SubnetPrefixes): void {
  expect(plan).toBeDefined();
  const vpc = c(vpcCidr);
  const all: Cidr[] = [];
  for (const tier of TIERS) {
    const subnets = plan![tier];
    expect(subnets).toHaveLength(zones);
    for (const text of subnets) {
      const subnet = c(text); // also proves it is on its network boundary
      expect(subnet.prefix).toBe(prefixes[tier]);
      expect(subnet.base).toBeGreaterThanOrEqual(vpc.base);
      expect(subnet.base + blockSize(subnet.prefix)).toBeLessThanOrEqual(vpc.base + blockSize(vpc.prefix));
      all.push(subnet);
    }
  }
  all.forEach((a, i) => all.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
}

describe('planSubnets', () => {
  test('two zones in a /16 with the default prefixes', () => {
    const plan = planSubnets('10.20.0.0/16', 2, DEFAULT_PREFIXES);
    expectSound(plan, '10.20.0.0/16', 2, DEFAULT_PREFIXES);
    // The layout is part of the contract: a subnet that moves is replaced.
    expect(plan).toEqual({
      public: ['10.20.4.0/24', '10.20.12.0/24'],
      app: ['10.20.0.0/22', '10.20.8.0/22'],
      data: ['10.20.5.0/24', '10.20.13.0/24'],
    });
  });

  test('three zones in a /16 with the default prefixes', () => {
    const plan = planSubnets('10.30.0.0/16', 3, DEFAULT_PREFIXES);
    expectSound(plan, '10.30.0.0/16', 3, DEFAULT_PREFIXES);
    expect(plan).toEqual({
      public: ['10.30.4.0/24', '10.30.12.0/24', '10.30.20.0/24'],
      app: ['10.30.0.0/22', '10.30.8.0/22', '10.30.16.0/22'],
      data: ['10.30.5.0/24', '10.30.13.0/24', '10.30.21.0/24'],
    });
  });

  test.each([2, 3, 4, 5])('adding a zone to %i never moves an existing subnet', (zones) => {
    const before = planSubnets('10.20.0.0/16', zones, DEFAULT_PREFIXES)!;
    const after = planSubnets('10.20.0.0/16', zones + 1, DEFAULT_PREFIXES)!;
    for (const tier of TIERS) expect(after[tier].slice(0, zones)).toEqual(before[tier]);
  });

  test.each([
    ['10.0.0.0/20', 2, DEFAULT_PREFIXES],
    ['172.16.0.0/19', 3, DEFAULT_PREFIXES],
    ['10.1.0.0/16', 6, DEFAULT_PREFIXES],
    ['192.168.10.0/24', 2, { public: 27, app: 26, data: 27 }],
    ['10.2.0.0/21', 3, { public: 28, app: 24, data: 26 }],
  ])('%s with %i zones is sound', (vpc, zones, prefixes) => {
    expectSound(planSubnets(vpc, zones, prefixes), vpc, zones, prefixes);
  });

  test('a plan that fills the VPC exactly', () => {
    const prefixes = { public: 27, app: 26, data: 27 };
    expect(planSubnets('10.0.0.0/24', 2, prefixes)).toEqual({
      public: ['10.0.0.64/27', '10.0.0.192/27'],
      app: ['10.0.0.0/26', '10.0.0.128/26'],
      data: ['10.0.0.96/27', '10.0.0.224/27'],
    });
    expect(planSubnets('10.0.0.0/24', 3, prefixes)).toBeUndefined();
  });

  test('is deterministic', () => {
    const first = planSubnets('10.20.0.0/16', 3, DEFAULT_PREFIXES);
    const second = planSubnets('10.20.0.0/16', 3, { data: 24, app: 22, public: 24 });
    expect(second).toEqual(first);
    expect(planSubnets('10.20.0.0/16', 3, DEFAULT_PREFIXES)).toEqual(first);
  });

  test('adding a zone does not move the subnets of the existing zones of the largest tier', () => {
    const two = planSubnets('10.20.0.0/16', 2, DEFAULT_PREFIXES)!;
    const three = planSubnets('10.20.0.0/16', 3, DEFAULT_PREFIXES)!;
    expect(three.app.slice(0, 2)).toEqual(two.app);
  });

  test.each([
    ['10.0.0.0/24 with the default prefixes', '10.0.0.0/24', 2, DEFAULT_PREFIXES],
    ['a /21 for two zones of /22 app subnets plus /24s', '10.0.0.0/21', 2, DEFAULT_PREFIXES],
    ['a /20 for three zones', '10.0.0.0/20', 3, DEFAULT_PREFIXES],
    ['subnets larger than the VPC', '10.0.0.0/24', 2, { public: 23, app: 24, data: 24 }],
    ['six /16 subnets in a /16', '10.0.0.0/16', 2, { public: 16, app: 16, data: 16 }],
  ])('returns undefined when they do not fit: %s', (_why, vpc, zones, prefixes) => {
    expect(planSubnets(vpc, zones, prefixes)).toBeUndefined();
  });

  test('returns undefined for a malformed VPC CIDR', () => {
    expect(planSubnets('10.20.0.1/16', 2, DEFAULT_PREFIXES)).toBeUndefined();
    expect(planSubnets('not a cidr', 2, DEFAULT_PREFIXES)).toBeUndefined();
  });
});
