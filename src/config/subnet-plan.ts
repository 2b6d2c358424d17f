import { allocate, blockSize, formatCidr, parseCidr } from './cidr';

/** The three subnet tiers of the SRA application VPC, in the order the VPC declares them. */
export const TIERS = ['public', 'app', 'data'] as const;
export type Tier = (typeof TIERS)[number];

export type SubnetPrefixes = Readonly<Record<Tier, number>>;
export type SubnetPlan = Readonly<Record<Tier, readonly string[]>>;

/**
 * Lays out one subnet per tier per zone inside `vpcCidr`. Each zone gets an
 * equal, aligned block at a fixed offset (zone i at i × block), so adding a
 * zone appends a block and never moves an existing subnet: a moved subnet
 * would be replaced, and everything in it with it. Inside a zone's block the
 * larger subnets come first, so alignment wastes nothing. Returns undefined
 * when the zones do not fit.
 */
export function planSubnets(vpcCidr: string, zoneCount: number, prefixes: SubnetPrefixes): SubnetPlan | undefined {
  const parent = parseCidr(vpcCidr);
  if (!parent) return undefined;
  const ordered = [...TIERS].sort((a, b) => prefixes[a] - prefixes[b]);
  const perZone = ordered.reduce((sum, tier) => sum + blockSize(prefixes[tier]), 0);
  const zonePrefix = 32 - Math.ceil(Math.log2(perZone));
  const zones = allocate(parent, Array.from({ length: zoneCount }, () => zonePrefix));
  if (!zones) return undefined;
  const plan: Record<Tier, string[]> = { public: [], app: [], data: [] };
  for (const zone of zones) {
    const blocks = allocate(
      zone,
      ordered.map((tier) => prefixes[tier]),
    );
    if (!blocks) return undefined;
    ordered.forEach((tier, i) => plan[tier].push(formatCidr(blocks[i]!)));
  }
  return plan;
}
