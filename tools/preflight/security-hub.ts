import { DescribeHubCommand } from '@aws-sdk/client-securityhub';
import { isError } from './aws-errors';
import { creates } from './plan';
import { applies, singletonVerdict } from './singleton';
import type { Check } from './types';

/** One Security Hub subscription per account and Region. */
export const securityHub: Check = async (ctx) => {
  if (!applies(ctx, 'securityHub')) return [];
  let hubArn: string | undefined;
  try {
    hubArn = (await ctx.clients.securityHub.send(new DescribeHubCommand({}))).HubArn;
  } catch (error) {
    // Security Hub answers "not subscribed" with InvalidAccessException.
    if (!isError(error, 'InvalidAccessException', 'ResourceNotFoundException')) throw error;
  }
  return [singletonVerdict(ctx, 'securityHub', 'security-hub', hubArn && `subscribed, ${hubArn}`, creates(ctx.plan, 'AWS::SecurityHub::Hub'))];
};
