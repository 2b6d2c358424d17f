import { GetAccountSettingsCommand } from '@aws-sdk/client-lambda';
import type { Check } from './types';

/** Lambda keeps this much of the account's concurrency unreserved; a reservation that would leave less is refused. */
export const MINIMUM_UNRESERVED = 100;

/**
 * The stacks reserve concurrency for their functions; Lambda refuses a
 * reservation that leaves under 100 unreserved. New accounts often have a
 * concurrency limit of 10, which refuses any.
 */
export const lambdaConcurrency: Check = async ({ clients, plan }) => {
  if (plan.reservedConcurrency === 0) return [];
  const limit = (await clients.lambda.send(new GetAccountSettingsCommand({}))).AccountLimit;
  const unreserved = limit?.UnreservedConcurrentExecutions ?? 0;
  const detail = `the stacks reserve ${plan.reservedConcurrency}; account limit ${limit?.ConcurrentExecutions}, ${unreserved} unreserved (at least ${MINIMUM_UNRESERVED} must stay unreserved)`;
  if (unreserved - plan.reservedConcurrency < MINIMUM_UNRESERVED) {
    return [
      {
        status: 'FAIL',
        check: 'quota-lambda-concurrency',
        detail,
        remedy: `request a concurrent executions quota of at least ${(limit?.ConcurrentExecutions ?? 0) - unreserved + plan.reservedConcurrency + MINIMUM_UNRESERVED} (Service Quotas lambda L-B99A9384); on a redeployment the stacks' own reservations are already counted`,
      },
    ];
  }
  return [{ status: 'PASS', check: 'quota-lambda-concurrency', detail }];
};
