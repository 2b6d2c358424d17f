import {
  type AccountState,
  BatchGetAccountStatusCommand,
  type FailedAccount,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { reasonOf } from './resource-types';

/**
 * Throws when Inspector reports the account under failedAccounts. Those are errors about the account itself
 * (access denied, not found, ...) that no amount of waiting fixes.
 */
export function assertNoFailedAccounts(failed: FailedAccount[] | undefined, action: string): void {
  if (!failed || failed.length === 0) return;
  const details = failed
    .map((account) => `${account.accountId ?? 'unknown account'} (${reasonOf(account) ?? 'no reason given'})`)
    .join('; ');
  throw new Error(`Amazon Inspector ${action} failed for ${details}. Fix the cause and deploy again.`);
}

/** The account's Inspector state (account level and per scan type). */
export async function getAccountState(client: Inspector2Client, accountId: string): Promise<AccountState> {
  const response = await client.send(new BatchGetAccountStatusCommand({ accountIds: [accountId] }));
  assertNoFailedAccounts(response.failedAccounts, `BatchGetAccountStatus for account ${accountId}`);
  const account = response.accounts?.find((candidate) => candidate.accountId === accountId);
  if (!account) {
    throw new Error(`Amazon Inspector BatchGetAccountStatus returned no status for account ${accountId}.`);
  }
  return account;
}

/**
 * Scans cannot be enabled while the account is suspended or being turned off; fail now with the reason rather
 * than send an Enable that cannot succeed. DISABLED is fine: it only means Inspector was never activated.
 */
export function assertCanEnable(account: AccountState): void {
  const status = account.state?.status;
  const reason = reasonOf(account.state);
  const suffix = reason ? ` (${reason})` : '';
  if (status === 'SUSPENDED' || status === 'SUSPENDING') {
    throw new Error(
      `Amazon Inspector is ${status} in account ${account.accountId}${suffix}; scans cannot be enabled in a ` +
        'suspended account. Resolve the suspension (Inspector console or AWS Support) and deploy again.',
    );
  }
  if (status === 'DISABLING') {
    throw new Error(
      `Amazon Inspector is DISABLING in account ${account.accountId}${suffix}. Wait until it is DISABLED and deploy again.`,
    );
  }
}
