import { CreateGrantCommand, type GrantOperation, InvalidGrantIdException, type KMSClient, NotFoundException, RetireGrantCommand } from '@aws-sdk/client-kms';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { logger as defaultLogger } from './logger';
import { type GrantProperties, parseProperties, sameGrant } from './properties';

export interface GrantData {
  readonly GrantId: string;
}

export type OnEventHandler = (event: CdkCustomResourceEvent) => Promise<CdkCustomResourceResponse<GrantData> & { PhysicalResourceId: string }>;

/**
 * A KMS grant as a CloudFormation resource; its physical id is the grant id.
 * Create makes the grant. Update with a changed key, grantee, operations or
 * name makes a new grant and returns its id; CloudFormation then sends Delete
 * for the old id once the whole update has succeeded, which retires the old
 * grant (so a rollback still finds it). Delete retires the grant; one already
 * gone counts as retired.
 */
export function createOnEvent(client: KMSClient, logger: Logger = defaultLogger): OnEventHandler {
  return async (event) => {
    switch (event.RequestType) {
      case 'Create':
        return create(client, logger, parseProperties(event.ResourceProperties));
      case 'Update': {
        const wanted = parseProperties(event.ResourceProperties);
        const previous = parseProperties(event.OldResourceProperties);
        if (sameGrant(wanted, previous)) return { PhysicalResourceId: event.PhysicalResourceId, Data: { GrantId: event.PhysicalResourceId } };
        logger.info('grant changed; creating its replacement', { key: wanted.keyArn, grantee: wanted.granteePrincipal, replaces: event.PhysicalResourceId });
        return create(client, logger, wanted);
      }
      case 'Delete':
        await retire(client, logger, event.ResourceProperties, event.PhysicalResourceId);
        return { PhysicalResourceId: event.PhysicalResourceId };
    }
  };
}

async function create(client: KMSClient, logger: Logger, props: GrantProperties) {
  const result = await client.send(
    new CreateGrantCommand({
      KeyId: props.keyArn,
      GranteePrincipal: props.granteePrincipal,
      RetiringPrincipal: props.retiringPrincipal,
      Operations: props.operations as GrantOperation[],
      Name: props.name,
    }),
  );
  if (!result.GrantId) throw new Error(`KMS returned no grant id for grant ${props.name} on ${props.keyArn}`);
  logger.info('grant created', { key: props.keyArn, grantee: props.granteePrincipal, grantId: result.GrantId, operations: props.operations });
  return { PhysicalResourceId: result.GrantId, Data: { GrantId: result.GrantId } };
}

async function retire(client: KMSClient, logger: Logger, raw: Record<string, unknown> | undefined, grantId: string): Promise<void> {
  const keyArn = typeof raw?.KeyArn === 'string' ? raw.KeyArn : undefined;
  if (!keyArn) {
    logger.info('nothing to retire: no key', { grantId });
    return;
  }
  try {
    await client.send(new RetireGrantCommand({ KeyId: keyArn, GrantId: grantId }));
    logger.info('grant retired', { key: keyArn, grantId });
  } catch (error) {
    // Already retired or revoked, or the provider's placeholder id after a Create that failed before KMS answered.
    if (!(error instanceof NotFoundException || error instanceof InvalidGrantIdException)) throw error;
    logger.info('no such grant; nothing to retire', { key: keyArn, grantId });
  }
}
