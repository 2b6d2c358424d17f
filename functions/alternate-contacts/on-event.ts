import { type AccountClient, PutAlternateContactCommand } from '@aws-sdk/client-account';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { logger as defaultLogger } from './logger';
import { parseProperties } from './properties';

export type OnEventHandler = (event: CdkCustomResourceEvent) => Promise<CdkCustomResourceResponse & { PhysicalResourceId: string }>;

/**
 * The account's security, operations and billing contacts as a
 * CloudFormation resource. Create and Update put all three (PutAlternateContact
 * replaces a contact whole). Delete leaves them in place: removing the stack
 * must not silence the security notices AWS sends, and the contacts are the
 * account's, not the stack's; the next owner changes them.
 *
 * The call names no AccountId, so it changes the caller's own account (naming
 * one is reserved to the organization's management account).
 */
export function createOnEvent(client: AccountClient, logger: Logger = defaultLogger): OnEventHandler {
  return async (event) => {
    if (event.RequestType === 'Delete') {
      logger.info('stack resource removed; the alternate contacts stay on the account', { physicalId: event.PhysicalResourceId });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const { accountId, contacts } = parseProperties(event.ResourceProperties);
    for (const [type, contact] of Object.entries(contacts)) {
      await client.send(new PutAlternateContactCommand({ AlternateContactType: type as keyof typeof contacts, ...contact }));
    }
    // Names and addresses are personal data: logged by type only.
    logger.info('alternate contacts set', { accountId, types: Object.keys(contacts) });
    return { PhysicalResourceId: `alternate-contacts:${accountId}` };
  };
}
