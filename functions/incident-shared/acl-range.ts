/**
 * The rule numbers the network tier leaves free below every allow rule
 * (src/constructs/network/tier-network-acls.ts keeps the same block; a test
 * checks they agree). Handlers do not import from src/.
 */
export const CONTAINMENT_RULE_NUMBERS = { first: 1, last: 99 } as const;
