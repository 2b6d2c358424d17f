import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Check } from './types';

/** The credentials belong to the environment's account: deploying with others would create the stacks elsewhere, or fail. */
export const identity: Check = async ({ clients, settings }) => {
  const caller = await clients.sts.send(new GetCallerIdentityCommand({}));
  if (caller.Account === settings.account) return [{ status: 'PASS', check: 'identity', detail: `credentials are ${caller.Arn} in account ${caller.Account}` }];
  return [
    {
      status: 'FAIL',
      check: 'identity',
      detail: `credentials are for account ${caller.Account} (${caller.Arn}), the environment is account ${settings.account}`,
      remedy: `use credentials of account ${settings.account} (--profile <name>), or correct environments[].account`,
    },
  ];
};
