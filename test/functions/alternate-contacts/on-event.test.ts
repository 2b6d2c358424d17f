import { AccountClient, GetAlternateContactCommand, PutAlternateContactCommand, ResourceNotFoundException } from '@aws-sdk/client-account';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceEvent } from 'aws-lambda';
import { createOnEvent } from '../../../functions/alternate-contacts/on-event';
import { parseProperties } from '../../../functions/alternate-contacts/properties';
import { MOTO_ACCOUNT, resetMoto } from '../../helpers/moto';

const REQUEST = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/detection/1',
  RequestId: 'request-1',
  LogicalResourceId: 'AlternateContacts',
  ResourceType: 'Custom::AlternateContacts',
};
const CONTACTS = {
  Security: { Name: 'Security Operations', Title: 'Security team', EmailAddress: 'security-alerts@example.com', PhoneNumber: '+1 555 0100' },
  Operations: { Name: 'Platform Operations', Title: 'Operations team', EmailAddress: 'platform-ops@example.com', PhoneNumber: '+1 555 0101' },
  Billing: { Name: 'Finance', Title: 'Cloud billing', EmailAddress: 'cloud-billing@example.com', PhoneNumber: '+1 555 0102' },
};
const props = (contacts: object = CONTACTS) => ({ ServiceToken: REQUEST.ServiceToken, AccountId: MOTO_ACCOUNT, Contacts: contacts });

let account: AccountClient;
let onEvent: ReturnType<typeof createOnEvent>;
const contactOf = async (type: 'SECURITY' | 'OPERATIONS' | 'BILLING') => (await account.send(new GetAlternateContactCommand({ AlternateContactType: type }))).AlternateContact;

beforeAll(async () => {
  const server = await resetMoto();
  account = new AccountClient(server.clientConfig('us-east-1'));
  onEvent = createOnEvent(account, new Logger({ logLevel: 'SILENT' }));
});

test('Create sets the security, operations and billing contacts of the account', async () => {
  const result = await onEvent({ ...REQUEST, RequestType: 'Create', ResourceProperties: props() } as CdkCustomResourceEvent);
  expect(result.PhysicalResourceId).toBe(`alternate-contacts:${MOTO_ACCOUNT}`);
  expect(await contactOf('SECURITY')).toMatchObject({ ...CONTACTS.Security, AlternateContactType: 'SECURITY' });
  expect(await contactOf('OPERATIONS')).toMatchObject({ ...CONTACTS.Operations, AlternateContactType: 'OPERATIONS' });
  expect(await contactOf('BILLING')).toMatchObject({ ...CONTACTS.Billing, AlternateContactType: 'BILLING' });
});

test('Update replaces a changed contact and keeps the physical id', async () => {
  const changed = { ...CONTACTS, Security: { ...CONTACTS.Security, EmailAddress: 'soc@example.com' } };
  const result = await onEvent({
    ...REQUEST,
    RequestType: 'Update',
    PhysicalResourceId: `alternate-contacts:${MOTO_ACCOUNT}`,
    ResourceProperties: props(changed),
    OldResourceProperties: props(),
  } as CdkCustomResourceEvent);
  expect(result.PhysicalResourceId).toBe(`alternate-contacts:${MOTO_ACCOUNT}`);
  expect((await contactOf('SECURITY'))?.EmailAddress).toBe('soc@example.com');
});

test('Delete leaves the contacts on the account', async () => {
  await onEvent({ ...REQUEST, RequestType: 'Delete', PhysicalResourceId: `alternate-contacts:${MOTO_ACCOUNT}`, ResourceProperties: props() } as CdkCustomResourceEvent);
  expect(await contactOf('SECURITY')).toBeDefined();
  expect(await contactOf('BILLING')).toBeDefined();
});

test('a contact the handler never set reads back as not found (the state moto keeps is real)', async () => {
  const server = await resetMoto();
  const fresh = new AccountClient(server.clientConfig('us-east-1'));
  await expect(fresh.send(new GetAlternateContactCommand({ AlternateContactType: 'BILLING' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  // Restore what the other tests of this file wrote, for readers of moto state after it.
  await fresh.send(new PutAlternateContactCommand({ AlternateContactType: 'BILLING', ...CONTACTS.Billing }));
});

describe('properties', () => {
  test.each([
    ['a missing contact type', { AccountId: MOTO_ACCOUNT, Contacts: { Security: CONTACTS.Security, Operations: CONTACTS.Operations } }, /Contacts\.Billing is missing/],
    ['an empty phone', { AccountId: MOTO_ACCOUNT, Contacts: { ...CONTACTS, Billing: { ...CONTACTS.Billing, PhoneNumber: '' } } }, /Contacts\.Billing\.PhoneNumber must be a non-empty string/],
    ['an unknown contact type', { AccountId: MOTO_ACCOUNT, Contacts: { ...CONTACTS, Legal: CONTACTS.Billing } }, /Unknown contact type Legal/],
    ['a malformed account', { AccountId: '12345', Contacts: CONTACTS }, /AccountId must be a 12-digit/],
    ['an unknown property', { AccountId: MOTO_ACCOUNT, Contacts: CONTACTS, DeleteOnDelete: 'true' }, /Unknown property DeleteOnDelete/],
  ])('refuses %s', (_name, raw, message) => {
    expect(() => parseProperties(raw)).toThrow(message);
  });
});
