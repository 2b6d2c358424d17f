import { join } from 'node:path';
import { Aws, CustomResource } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SecureProvider } from '../lambda/secure-provider';

export const ALTERNATE_CONTACTS_HANDLER = join(__dirname, '..', '..', '..', 'functions', 'alternate-contacts', 'handler.ts');

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
  readonly vpc: ec2.IVpc;
  /** Private subnets with a path to the Account API (it has no VPC endpoint, so through NAT). */
  readonly subnets: ec2.SubnetSelection;
  readonly key: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * The account's security, operations and billing alternate contacts, so AWS's
 * security notices, operational events and billing messages reach the teams
 * and not only the root address. Set through the Account API by a custom
 * resource; deleting the stack leaves them in place (see the handler).
 */
export class AlternateContacts extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: AlternateContactsProps) {
    super(scope, id);
    const provider = new SecureProvider(this, 'Provider', {
      entry: ALTERNATE_CONTACTS_HANDLER,
      description: 'Account alternate contacts',
      withIsComplete: false,
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
    });
    provider.onEvent.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PutThisAccountsContacts',
        actions: ['account:PutAlternateContact'],
        // The caller's own account: the call names no AccountId, and no other account's contacts are reachable.
        resources: [`arn:${Aws.PARTITION}:account::${Aws.ACCOUNT_ID}:account`],
        conditions: { 'ForAllValues:StringEquals': { 'account:AlternateContactTypes': ['SECURITY', 'OPERATIONS', 'BILLING'] } },
      }),
    );
    const contact = (c: AlternateContact) => ({ Name: c.name, Title: c.title, EmailAddress: c.email, PhoneNumber: c.phone });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.provider.serviceToken,
      resourceType: 'Custom::AlternateContacts',
      serviceTimeout: provider.serviceTimeout,
      properties: {
        AccountId: Aws.ACCOUNT_ID,
        Contacts: { Security: contact(props.security), Operations: contact(props.operations), Billing: contact(props.billing) },
      },
    });
  }
}
