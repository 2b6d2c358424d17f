import { GetRoleCommand } from '@aws-sdk/client-iam';
import { isError, parseArn } from './aws-errors';
import type { Check, CheckResult } from './types';

/**
 * Key administrator roles must exist: KMS refuses a key policy that names a
 * principal that does not exist, so key creation would fail.
 */
export const keyAdministrators: Check = async ({ clients, settings }) => {
  const results: CheckResult[] = [];
  for (const arn of settings.keys.administratorRoleArns) {
    const parts = parseArn(arn)!;
    if (parts.account !== settings.account) {
      results.push({ status: 'WARN', check: 'key-administrator', detail: `${arn} is in account ${parts.account}; cannot be read from ${settings.account}`, remedy: 'make sure the role exists before deploying' });
      continue;
    }
    const name = parts.resource.split('/').pop()!;
    try {
      await clients.iam.send(new GetRoleCommand({ RoleName: name }));
      results.push({ status: 'PASS', check: 'key-administrator', detail: `${arn} exists` });
    } catch (error) {
      if (!isError(error, 'NoSuchEntityException', 'NoSuchEntity')) throw error;
      results.push({ status: 'FAIL', check: 'key-administrator', detail: `${arn} does not exist; KMS refuses a key policy naming it`, remedy: 'create the role, or remove it from keys.administratorRoleArns' });
    }
  }
  return results;
};
