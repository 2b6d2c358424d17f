import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { describeError } from './aws-errors';
import type { Clients } from './types';

export interface Quota {
  readonly value: number;
  /** applied: the account's own value; default: AWS's default for the Region; assumed: the documented default, Service Quotas could not be read. */
  readonly source: 'applied' | 'default' | 'assumed';
  readonly note?: string;
}

/** A quota's applied value, else its AWS default, else the documented default (an account without a raised quota has none applied). */
export async function quota(clients: Clients, serviceCode: string, quotaCode: string, documentedDefault: number): Promise<Quota> {
  try {
    const value = (await clients.serviceQuotas.send(new GetServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }))).Quota?.Value;
    if (typeof value === 'number') return { value, source: 'applied' };
  } catch {
    // NoSuchResourceException when no value is applied; fall back to the default.
  }
  try {
    const value = (await clients.serviceQuotas.send(new GetAWSDefaultServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }))).Quota?.Value;
    if (typeof value === 'number') return { value, source: 'default' };
  } catch (error) {
    return { value: documentedDefault, source: 'assumed', note: describeError(error) };
  }
  return { value: documentedDefault, source: 'assumed' };
}

export const describeQuota = (q: Quota) => `${q.value} (${q.source}${q.note ? `: ${q.note}` : ''})`;
