import { existsSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ALTERNATE_CONTACTS_HANDLER, AlternateContacts } from '../../../src/constructs/detection/alternate-contacts';
import { buildChecked } from '../../helpers/nag';

const contact = (who: string) => ({ name: `${who} team`, title: who, email: `${who.toLowerCase()}@example.com`, phone: '+1 555 0100' });

function handlerStatements(template: Template): { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) => (p.Properties.Description as string).includes('/Contacts/Provider/OnEvent'));
  return policy!.Properties.PolicyDocument.Statement;
}

describe('AlternateContacts', () => {
  const { template, findings } = buildChecked(({ stack, vpc, key }) => {
    new AlternateContacts(stack, 'Contacts', {
      security: contact('Security'),
      operations: contact('Operations'),
      billing: contact('Billing'),
      vpc,
      subnets: { subnetGroupName: 'App' },
      key,
      logsKey: key,
      logRetentionDays: 90,
    });
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('sets the security, operations and billing contacts of this account', () => {
    expect(existsSync(ALTERNATE_CONTACTS_HANDLER)).toBe(true);
    template.hasResourceProperties('Custom::AlternateContacts', {
      AccountId: { Ref: 'AWS::AccountId' },
      Contacts: {
        Security: { Name: 'Security team', Title: 'Security', EmailAddress: 'security@example.com', PhoneNumber: '+1 555 0100' },
        Operations: Match.objectLike({ EmailAddress: 'operations@example.com' }),
        Billing: Match.objectLike({ EmailAddress: 'billing@example.com' }),
      },
    });
  });

  test('the handler may put contacts of this account only, and delete none', () => {
    const statements = handlerStatements(template);
    const put = statements.find((s) => s.Sid === 'PutThisAccountsContacts');
    expect(put).toMatchObject({
      Action: 'account:PutAlternateContact',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':account::', { Ref: 'AWS::AccountId' }, ':account']] },
      Condition: { 'ForAllValues:StringEquals': { 'account:AlternateContactTypes': ['SECURITY', 'OPERATIONS', 'BILLING'] } },
    });
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('account:DeleteAlternateContact');
  });
});
