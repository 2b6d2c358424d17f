import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { AccountSettings } from '../guardrails/account-settings';

export interface AlternateContact {
  readonly name: string;
  readonly title: string;
  readonly email: string;
  readonly phone: string;
}

export interface AlternateContactsProps {
  readonly security: AlternateContact;
  readonly operations: AlternateContact;
  readonly billing: AlternateContact;
  /** The stack's account-settings function (e.g. `AccountGuardrails.settings`); the Account API has no VPC endpoint, so it calls through NAT. */
  readonly settings: AccountSettings;
}

/** Contact types, in the Account API's names. */
export const CONTACT_TYPES = ['SECURITY', 'OPERATIONS', 'BILLING'] as const;

/**
 * The account's security, operations and billing alternate contacts, so AWS's
 * security notices, operational events and billing messages reach the teams
 * and not only the root address. Each is a PutAlternateContact (a whole
 * replacement, so create and update are the same call). Nothing is deleted
 * when the stack is: removing the stack must not silence AWS's security
 * notices, and the contacts are the account's, not the stack's.
 *
 * The calls name no AccountId, so they change the caller's own account; the
 * role may put these three contact types of this account and nothing else.
 */
export class AlternateContacts extends Construct {
  readonly contacts: Readonly<Record<(typeof CONTACT_TYPES)[number], cr.AwsCustomResource>>;

  constructor(scope: Construct, id: string, props: AlternateContactsProps) {
    super(scope, id);
    props.settings.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PutThisAccountsContacts',
        actions: ['account:PutAlternateContact'],
        resources: [`arn:${Aws.PARTITION}:account::${Aws.ACCOUNT_ID}:account`],
        conditions: { 'ForAllValues:StringEquals': { 'account:AlternateContactTypes': [...CONTACT_TYPES] } },
      }),
    );
    const put = (type: (typeof CONTACT_TYPES)[number], c: AlternateContact) =>
      props.settings.set(`AlternateContact${type.charAt(0)}${type.slice(1).toLowerCase()}`, {
        apply: {
          service: 'Account',
          action: 'PutAlternateContact',
          parameters: { AlternateContactType: type, Name: c.name, Title: c.title, EmailAddress: c.email, PhoneNumber: c.phone },
          physicalResourceId: cr.PhysicalResourceId.of(`alternate-contact-${type.toLowerCase()}`),
          // The response is empty; nothing (least of all the contact's personal data) needs to be logged.
          logging: cr.Logging.withDataHidden(),
        },
        // Granted above, scoped to this account and the three types.
        actions: [],
      });
    this.contacts = { SECURITY: put('SECURITY', props.security), OPERATIONS: put('OPERATIONS', props.operations), BILLING: put('BILLING', props.billing) };
  }
}
