import type { StackTemplate } from './templates';

/** Something the account must have before a deploy that no CloudFormation resource can create. */
export interface AccountServicePrerequisite {
  readonly service: string;
  /** Why the stacks need it: the resources that depend on it. */
  readonly neededBy: readonly string[];
  /** How to get it. */
  readonly how: string;
}

/**
 * Account-level subscriptions the templates rely on. Shield Advanced's
 * subscription has no CloudFormation resource: AWS::Shield::Protection fails
 * without it, and the Response Team's access and proactive engagement need a
 * Business or Enterprise Support plan as well.
 */
export function accountServicePrerequisites(stacks: readonly StackTemplate[]): AccountServicePrerequisite[] {
  const of = (...types: string[]) =>
    stacks.flatMap((s) => Object.entries(s.template.Resources).filter(([, r]) => types.includes(r.Type)).map(([id, r]) => `${s.id}/${id} (${r.Type})`));
  const result: AccountServicePrerequisite[] = [];
  const shield = of('AWS::Shield::Protection', 'AWS::Shield::ProtectionGroup');
  if (shield.length > 0) {
    result.push({
      service: 'AWS Shield Advanced subscription ($3,000/month per organization, one-year commitment)',
      neededBy: shield,
      how: 'subscribe once per organization in the payer account, or in this account: aws shield create-subscription (check: aws shield get-subscription-state)',
    });
  }
  const responseTeam = of('AWS::Shield::DRTAccess', 'AWS::Shield::ProactiveEngagement');
  if (responseTeam.length > 0) {
    result.push({
      service: 'AWS Business Support or Enterprise Support plan (for the Shield Response Team)',
      neededBy: responseTeam,
      how: 'Shield refuses Response Team access and proactive engagement without it: subscribe in the AWS Support Center, or set application.shieldAdvanced.responseTeamAccess and proactiveEngagement to false',
    });
  }
  return result;
}
