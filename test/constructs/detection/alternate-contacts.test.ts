import type { Template } from 'aws-cdk-lib/assertions';
import { AlternateContacts } from '../../../src/constructs/detection/alternate-contacts';
import { AccountSettings } from '../../../src/constructs/guardrails/account-settings';
import { UNSCOPED_ACTIONS } from '../../../src/constructs/lambda/unscoped-actions';
import { buildChecked } from '../../helpers/nag';
import { accountCall } from './account-calls';

const contact = (who: string) => ({ name: `${who} team`, title: who, email: `${who.toLowerCase()}@example.com`, phone: '+1 555 0100' });

function roleStatements(template: Template): { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) => (p.Properties.Description as string).includes('/Settings/Role'));
  return policy!.Properties.PolicyDocument.Statement;
}

describe('AlternateContacts', () => {
  const { template, findings } = buildChecked(({ stack, vpc, key }) => {
    const settings = new AccountSettings(stack, 'Settings', { vpc, subnets: { subnetGroupName: 'App' }, logsKey: key, logRetentionDays: 90 });
    new AlternateContacts(stack, 'Contacts', { security: contact('Security'), operations: contact('Operations'), billing: contact('Billing'), settings });
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test.each([
    ['AlternateContactSecurity', 'SECURITY', 'Security'],
    ['AlternateContactOperations', 'OPERATIONS', 'Operations'],
    ['AlternateContactBilling', 'BILLING', 'Billing'],
  ])('%s puts the %s contact of this account on create and update, and deletes nothing', (type, contactType, who) => {
    const call = accountCall(template, type);
    const expected = {
      service: 'Account',
      action: 'PutAlternateContact',
      parameters: { AlternateContactType: contactType, Name: `${who} team`, Title: who, EmailAddress: `${who.toLowerCase()}@example.com`, PhoneNumber: '+1 555 0100' },
      physicalResourceId: { id: `alternate-contact-${contactType.toLowerCase()}` },
    };
    expect(call.create).toMatchObject(expected);
    expect(call.update).toMatchObject(expected);
    // No AccountId: the caller's own account. Personal data stays out of the function's logs.
    expect(call.create.parameters).not.toHaveProperty('AccountId');
    expect(call.create.logApiResponseData).toBe(false);
    expect(call.delete).toBeUndefined();
  });

  test('the settings role may put contacts of this account only, of the three types, and delete none', () => {
    const statements = roleStatements(template);
    expect(statements.find((s) => s.Sid === 'PutThisAccountsContacts')).toMatchObject({
      Action: 'account:PutAlternateContact',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':account::', { Ref: 'AWS::AccountId' }, ':account']] },
      Condition: { 'ForAllValues:StringEquals': { 'account:AlternateContactTypes': ['SECURITY', 'OPERATIONS', 'BILLING'] } },
    });
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('account:'))).toEqual(['account:PutAlternateContact']);
    expect(UNSCOPED_ACTIONS).not.toContain('account:PutAlternateContact');
  });
});
