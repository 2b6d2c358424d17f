/**
 * Rule arithmetic of the tier network ACLs (src/constructs/network/tier-network-acls.ts),
 * kept here so the loader can refuse a config whose ACLs would exceed the quota.
 * The construct writes exactly the rules listed below; keep the two in step
 * (test/config/limits-in-templates.test.ts counts the entries in the template).
 */

/** Rules per direction per network ACL: the default quota; 40 at most after a quota increase. */
export const DEFAULT_NACL_RULES_PER_DIRECTION = 20;
export const MAX_NACL_RULES_PER_DIRECTION = 40;

/**
 * Entries kept free in every ACL and direction for incident response, which
 * adds deny entries for a contained instance's addresses at run time (with
 * rule numbers below the allow rules).
 */
export const RESERVED_DENY_ENTRIES = 2;

/** Inbound return-traffic rules: ports 1024-65535 from each half of the IPv4 space (0.0.0.0/1, 128.0.0.0/1); outbound one range. */
export const EPHEMERAL_IN_RANGES = 2;
/** The app ACL's deny entry for the app port from anywhere, ahead of the return-traffic rules. */
export const APP_PORT_DENY_ENTRIES = 1;
export const EPHEMERAL_OUT_RANGES = 1;

export interface NaclInput {
  readonly ingressCidrs: number;
  readonly zones: number;
  readonly natEgress: boolean;
}

export interface NaclCount {
  readonly tier: 'public' | 'app' | 'data';
  readonly direction: 'inbound' | 'outbound';
  readonly rules: number;
  /** How the count is made, for the message. */
  readonly formula: string;
}

/** Entries each tier ACL gets, per direction (WAF rules are separate and not counted). */
export function naclRuleCounts({ ingressCidrs: i, zones: z, natEgress }: NaclInput): NaclCount[] {
  const nat = natEgress ? 1 : 0;
  return [
    { tier: 'public', direction: 'inbound', rules: 2 * i + nat * z + EPHEMERAL_IN_RANGES, formula: `${i} ingress CIDRs × 2 ports (443, 80)${nat ? ` + ${z} app subnets (NAT)` : ''} + ${EPHEMERAL_IN_RANGES} return-traffic ranges` },
    { tier: 'public', direction: 'outbound', rules: z + nat + EPHEMERAL_OUT_RANGES, formula: `${z} app subnets${nat ? ' + 1 (NAT 443)' : ''} + ${EPHEMERAL_OUT_RANGES} return-traffic range` },
    { tier: 'app', direction: 'inbound', rules: 2 * z + APP_PORT_DENY_ENTRIES + EPHEMERAL_IN_RANGES, formula: `${z} public + ${z} app subnets + ${APP_PORT_DENY_ENTRIES} app-port deny + ${EPHEMERAL_IN_RANGES} return-traffic ranges` },
    { tier: 'app', direction: 'outbound', rules: 3 * z + 1, formula: `${z} data + 1 (443) + ${z} public + ${z} app subnets` },
    { tier: 'data', direction: 'inbound', rules: z, formula: `${z} app subnets` },
    { tier: 'data', direction: 'outbound', rules: z, formula: `${z} app subnets` },
  ];
}

/** The counts that, with the reserved deny entries, exceed `quota`. */
export function naclOverBudget(input: NaclInput, quota = DEFAULT_NACL_RULES_PER_DIRECTION): NaclCount[] {
  return naclRuleCounts(input).filter((c) => c.rules + RESERVED_DENY_ENTRIES > quota);
}

/** The most ingress CIDRs the public ACL admits under `quota`. */
export function maxIngressCidrs(input: Omit<NaclInput, 'ingressCidrs'>, quota = DEFAULT_NACL_RULES_PER_DIRECTION): number {
  const fixed = (input.natEgress ? input.zones : 0) + EPHEMERAL_IN_RANGES + RESERVED_DENY_ENTRIES;
  return Math.max(0, Math.floor((quota - fixed) / 2));
}
