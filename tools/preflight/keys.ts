import { DescribeCustomKeyStoresCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { describeError, isError, parseArn } from './aws-errors';
import type { Check, CheckContext, CheckResult } from './types';

/** The existing keys the config names, by field. */
function namedKeys(ctx: CheckContext): { field: string; arn: string; hsm: boolean }[] {
  const k = ctx.settings.keys;
  const out = Object.entries(k.centralKeyArns ?? {}).map(([purpose, arn]) => ({ field: `keys.centralKeyArns.${purpose}`, arn, hsm: false }));
  if (k.hsmBackedKeyArns.data) out.push({ field: 'keys.hsmBackedKeyArns.data', arn: k.hsmBackedKeyArns.data, hsm: true });
  return out;
}

/**
 * Central and HSM-backed keys: in the environment's Region (KMS keys are
 * regional), enabled, symmetric encryption keys; an HSM-backed key's custom
 * key store must be connected, or every use of the key fails.
 */
export const keys: Check = async (ctx) => {
  const results: CheckResult[] = [];
  for (const key of namedKeys(ctx)) results.push(await checkKey(ctx, key.field, key.arn, key.hsm));
  return results;
};

async function checkKey(ctx: CheckContext, field: string, arn: string, hsm: boolean): Promise<CheckResult> {
  const check = 'kms-key';
  const parts = parseArn(arn)!;
  if (parts.region !== ctx.settings.region) {
    return { status: 'FAIL', check, detail: `${field} ${arn} is in ${parts.region}; KMS keys are regional and the environment is in ${ctx.settings.region}`, remedy: `set ${field} to a key in ${ctx.settings.region} (a multi-Region replica will do)` };
  }
  let meta;
  try {
    meta = (await ctx.clients.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata;
  } catch (error) {
    if (!isError(error, 'NotFoundException', 'AccessDeniedException')) throw error;
    const owner = parts.account === ctx.settings.account ? '' : ` (its policy in ${parts.account} must let ${ctx.settings.account} call kms:DescribeKey)`;
    return { status: 'FAIL', check, detail: `${field} ${arn} cannot be read: ${describeError(error)}${owner}`, remedy: `set ${field} to an existing key${owner ? ', and add the statements `npm run prerequisites` prints to its policy' : ''}` };
  }
  const problems: string[] = [];
  if (meta?.KeyState !== 'Enabled') problems.push(`state ${meta?.KeyState}`);
  if (meta?.KeySpec !== 'SYMMETRIC_DEFAULT') problems.push(`spec ${meta?.KeySpec}`);
  if (meta?.KeyUsage !== 'ENCRYPT_DECRYPT') problems.push(`usage ${meta?.KeyUsage}`);
  if (hsm && !meta?.CustomKeyStoreId) problems.push('not in a custom key store');
  if (problems.length) return { status: 'FAIL', check, detail: `${field} ${arn}: ${problems.join(', ')}; needs an enabled SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key`, remedy: `enable the key or set ${field} to one that is` };
  if (hsm) {
    const store = (await ctx.clients.kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: meta!.CustomKeyStoreId }))).CustomKeyStores?.[0];
    if (store?.ConnectionState !== 'CONNECTED') {
      return { status: 'FAIL', check, detail: `${field}: custom key store ${meta!.CustomKeyStoreId} is ${store?.ConnectionState ?? 'missing'}, not CONNECTED`, remedy: `aws kms connect-custom-key-store --custom-key-store-id ${meta!.CustomKeyStoreId} (npm run cloudhsm-runbook)` };
    }
  }
  return { status: 'PASS', check, detail: `${field} enabled, SYMMETRIC_DEFAULT${hsm ? ', custom key store CONNECTED' : ''}` };
}
