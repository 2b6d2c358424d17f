import { describeQuota, quota } from './quota';
import type { Check } from './types';

/** Rules per network ACL, counted per direction. */
export const NACL_RULE_QUOTA = { serviceCode: 'vpc', quotaCode: 'L-2AEEBF1A', documentedDefault: 20 } as const;

/** The tier ACLs grow with the ingress CIDRs and zones; each direction of one ACL holds at most the quota. */
export const naclRules: Check = async ({ clients, plan }) => {
  if (plan.maxNaclRulesPerDirection === 0) return [];
  const q = await quota(clients, NACL_RULE_QUOTA.serviceCode, NACL_RULE_QUOTA.quotaCode, NACL_RULE_QUOTA.documentedDefault);
  const detail = `largest network ACL needs ${plan.maxNaclRulesPerDirection} rules in one direction; quota ${describeQuota(q)}`;
  if (plan.maxNaclRulesPerDirection > q.value) {
    return [{ status: 'FAIL', check: 'quota-nacl-rules', detail, remedy: `request at least ${plan.maxNaclRulesPerDirection} (Service Quotas vpc ${NACL_RULE_QUOTA.quotaCode}, at most 40) or list fewer network.ingressCidrs` }];
  }
  return [{ status: 'PASS', check: 'quota-nacl-rules', detail }];
};
