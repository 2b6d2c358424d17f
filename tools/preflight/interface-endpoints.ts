import { describeQuota, quota } from './quota';
import type { Check } from './types';

/** Interface VPC endpoints per VPC. */
export const INTERFACE_ENDPOINT_QUOTA = { serviceCode: 'vpc', quotaCode: 'L-29B6F2EB', documentedDefault: 50 } as const;

/** The workload VPC's interface endpoints, plus the one GuardDuty Runtime Monitoring adds itself in standalone mode. */
export const interfaceEndpoints: Check = async ({ clients, plan, settings }) => {
  const guardDuty = settings.mode === 'standalone' ? 1 : 0;
  const needed = plan.interfaceEndpoints + guardDuty;
  if (needed === 0) return [];
  const q = await quota(clients, INTERFACE_ENDPOINT_QUOTA.serviceCode, INTERFACE_ENDPOINT_QUOTA.quotaCode, INTERFACE_ENDPOINT_QUOTA.documentedDefault);
  const detail = `${plan.interfaceEndpoints} interface endpoint(s)${guardDuty ? ' + 1 for GuardDuty Runtime Monitoring' : ''}; quota per VPC ${describeQuota(q)}`;
  if (needed > q.value) {
    return [{ status: 'FAIL', check: 'quota-interface-endpoints', detail, remedy: `request at least ${needed} (Service Quotas vpc ${INTERFACE_ENDPOINT_QUOTA.quotaCode}) or list fewer in network.interfaceEndpoints` }];
  }
  return [{ status: 'PASS', check: 'quota-interface-endpoints', detail }];
};
