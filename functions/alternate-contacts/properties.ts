import type { AlternateContactType } from '@aws-sdk/client-account';

export interface Contact {
  readonly Name: string;
  readonly Title: string;
  readonly EmailAddress: string;
  readonly PhoneNumber: string;
}

export interface ContactsProperties {
  readonly accountId: string;
  readonly contacts: Readonly<Record<AlternateContactType, Contact>>;
}

/** Each contact type and the property that holds it. */
export const CONTACT_TYPES: Readonly<Record<string, AlternateContactType>> = { Security: 'SECURITY', Operations: 'OPERATIONS', Billing: 'BILLING' };
const FIELDS = ['Name', 'Title', 'EmailAddress', 'PhoneNumber'] as const;
const RESERVED = ['ServiceToken', 'ServiceTimeout'];

/**
 * Validates the custom resource's properties: the account and all three
 * contacts, each with every field. The config loader has already checked the
 * values against the Account API's limits; this only guards the shape.
 */
export function parseProperties(raw: Record<string, unknown> | undefined): ContactsProperties {
  const props = raw ?? {};
  const unknown = Object.keys(props).filter((key) => !['AccountId', 'Contacts', ...RESERVED].includes(key));
  if (unknown.length > 0) throw new Error(`Unknown property ${unknown.join(', ')}; allowed: AccountId, Contacts.`);
  if (typeof props.AccountId !== 'string' || !/^\d{12}$/.test(props.AccountId)) {
    throw new Error(`Property AccountId must be a 12-digit AWS account id, got ${JSON.stringify(props.AccountId)}.`);
  }
  const given = props.Contacts;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new Error('Property Contacts must be an object with Security, Operations and Billing.');
  const contacts: Partial<Record<AlternateContactType, Contact>> = {};
  for (const [key, type] of Object.entries(CONTACT_TYPES)) {
    const value = (given as Record<string, unknown>)[key];
    if (typeof value !== 'object' || value === null) throw new Error(`Property Contacts.${key} is missing; every contact type (Security, Operations, Billing) is required.`);
    const fields = value as Record<string, unknown>;
    for (const field of FIELDS) {
      if (typeof fields[field] !== 'string' || (fields[field] as string).length === 0) throw new Error(`Property Contacts.${key}.${field} must be a non-empty string.`);
    }
    contacts[type] = { Name: fields.Name as string, Title: fields.Title as string, EmailAddress: fields.EmailAddress as string, PhoneNumber: fields.PhoneNumber as string };
  }
  const extra = Object.keys(given).filter((key) => !(key in CONTACT_TYPES));
  if (extra.length > 0) throw new Error(`Unknown contact type ${extra.join(', ')}; allowed: ${Object.keys(CONTACT_TYPES).join(', ')}.`);
  return { accountId: props.AccountId, contacts: contacts as Record<AlternateContactType, Contact> };
}
