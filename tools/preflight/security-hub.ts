import { DescribeHubCommand, GetEnabledStandardsCommand } from '@aws-sdk/client-securityhub';
import { SECURITY_HUB_STANDARDS, type SecurityHubStandard } from '../../src/constructs/detection/security-hub';
import { isError } from './aws-errors';
import { creates } from './plan';
import { switchSetting } from './remedy';
import { applies, singletonVerdict } from './singleton';
import type { Check, CheckContext, CheckResult } from './types';

/** One Security Hub subscription per account and Region, and each standard enabled once. */
export const securityHub: Check = async (ctx) => {
  if (!applies(ctx, 'securityHub')) return [];
  let hubArn: string | undefined;
  try {
    hubArn = (await ctx.clients.securityHub.send(new DescribeHubCommand({}))).HubArn;
  } catch (error) {
    // Security Hub answers "not subscribed" with InvalidAccessException.
    if (!isError(error, 'InvalidAccessException', 'ResourceNotFoundException')) throw error;
  }
  const results = [singletonVerdict(ctx, 'securityHub', 'security-hub', hubArn && `subscribed, ${hubArn}`, creates(ctx.plan, 'AWS::SecurityHub::Hub'))];
  if (hubArn) results.push(...(await standards(ctx)));
  return results;
};

/** Security Hub refuses to enable a standard that is already enabled ("Standards is already enabled"). */
async function standards(ctx: CheckContext): Promise<CheckResult[]> {
  const response = await ctx.clients.securityHub.send(new GetEnabledStandardsCommand({}));
  const enabled = new Set<SecurityHubStandard>();
  for (const subscription of response.StandardsSubscriptions ?? []) {
    if (subscription.StandardsStatus === 'DELETING' || subscription.StandardsStatus === 'FAILED') continue;
    const name = (Object.keys(SECURITY_HUB_STANDARDS) as SecurityHubStandard[]).find((s) => subscription.StandardsArn?.endsWith(`standards/${SECURITY_HUB_STANDARDS[s]}`));
    if (name) enabled.add(name);
  }
  const declared = ctx.settings.existingResources.enabledSecurityHubStandards;
  const subscribed = ctx.settings.detection.securityHubStandards.filter((s) => !declared.includes(s));
  const twice = subscribed.filter((s) => enabled.has(s));
  if (twice.length > 0) {
    const list = [...new Set([...declared, ...twice])].join(', ');
    const hub = ctx.settings.existingResources.securityHub === 'adopt' ? '' : ' (with securityHub: adopt)';
    return [{ status: 'FAIL', check: 'security-hub-standards', detail: `already enabled: ${twice.join(', ')}; subscribing again would fail`, remedy: `${switchSetting(ctx, 'enabledSecurityHubStandards', `[${list}]`)}${hub}` }];
  }
  return [{ status: 'PASS', check: 'security-hub-standards', detail: `enabled now: ${[...enabled].join(', ') || 'none'}; the stacks subscribe: ${subscribed.join(', ') || 'none'}` }];
}
