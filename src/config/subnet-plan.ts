import { allocate, formatCidr, parseCidr } from './cidr';

/** The three subnet tiers of the SRA application VPC, in the order the VPC declares them. */
export const TIERS = ['public', 'app', 'data'] as const;
export type Tier = (typeof TIERS)[number];

export type SubnetPrefixes = Readonly<Record<Tier, number>>;
export type SubnetPlan = Readonly<Record<Tier, readonly string[]>>;

/**
 * Lays out one subnet per tier per zone inside `vpcCidr`. Larger blocks go
 * first so aligned allocation wastes no space; the result is deterministic,
 * so a subnet never moves (and is never replaced) unless its inputs change.
 * Returns undefined when the subnets do not fit.
 */
export function planSubnets(vpcCidr: string, zoneCount: number, prefixes: SubnetPrefixes): SubnetPlan | undefined {
  const parent = parseCidr(vpcCidr);
  if (!parent) return undefined;
  const requests = TIERS.flatMap((tier) => Array.from({ length: zoneCount }, (_, zone) => ({ tier, zone, prefix: prefixes[tier] })));
  const ordered = [...requests].sort((a, b) => a.prefix - b.prefix);
  const blocks = allocate(
    parent,
    ordered.map((r) => r.prefix),
  );
  if (!blocks) return undefined;
  const plan: Record<Tier, string[]> = { public: [], app: [], data: [] };
  ordered.forEach((request, i) => {
    plan[request.tier][request.zone] = formatCidr(blocks[i]!);
  });
  return plan;
}
