import { DisableCommand, EnableCommand, type Inspector2Client } from '@aws-sdk/client-inspector2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type {
  CdkCustomResourceEvent,
  CdkCustomResourceResponse,
  CloudFormationCustomResourceDeleteEvent,
} from 'aws-lambda';
import { assertCanEnable, assertNoFailedAccounts, getAccountState } from './account-status';
import { logger as defaultLogger } from './logger';
import { formatPhysicalId, ownedTypes, parsePhysicalId } from './physical-id';
import { parseProperties } from './properties';
import {
  type InspectorResourceType,
  RESOURCE_TYPES,
  isOn,
  isResourceType,
  joinTypes,
  stateOf,
} from './resource-types';

/** Attributes readable with Fn::GetAtt. */
export interface EnablementData {
  /** Comma-joined scan types this resource counts as enabled by the stack (requested and not on before it). */
  readonly EnabledByStack: string;
}

/**
 * What onEvent returns. The provider framework passes the extra top-level fields on to isComplete (they are not
 * resource attributes): which types this event actually asked Inspector to enable or disable.
 */
export interface OnEventResponse extends CdkCustomResourceResponse<EnablementData> {
  PhysicalResourceId: string;
  EnableSentFor?: string;
  DisableSentFor?: string;
}

export type OnEventHandler = (event: CdkCustomResourceEvent) => Promise<OnEventResponse>;

/** Create/Update enable the missing scan types; Delete leaves Inspector on unless DisableOnDelete is "true". */
export function createOnEvent(client: Inspector2Client, logger: Logger = defaultLogger): OnEventHandler {
  return async (event) => {
    switch (event.RequestType) {
      case 'Create':
        return enable(client, logger, event.RequestId, event.ResourceProperties);
      case 'Update':
        return enable(client, logger, event.RequestId, event.ResourceProperties, {
          physicalId: event.PhysicalResourceId,
          oldProperties: event.OldResourceProperties,
        });
      case 'Delete':
        return disable(client, logger, event);
    }
  };
}

interface PreviousResource {
  readonly physicalId: string;
  readonly oldProperties: Record<string, unknown> | undefined;
}

async function enable(
  client: Inspector2Client,
  logger: Logger,
  requestId: string,
  properties: Record<string, unknown>,
  previous?: PreviousResource,
): Promise<OnEventResponse> {
  const { accountId, resourceTypes } = parseProperties(properties);
  const account = await getAccountState(client, accountId);
  assertCanEnable(account);

  const recorded = previous ? parsePhysicalId(previous.physicalId) : undefined;
  // The baseline is taken once, when the resource is created. A changed AccountId is a different resource: take a
  // fresh baseline, so the new id makes CloudFormation replace it and the old id's Delete handles the old account.
  const baseline =
    recorded?.accountId === accountId
      ? recorded.baseline
      : RESOURCE_TYPES.filter((type) => isOn(stateOf(account.resourceState, type)?.status));

  const toEnable: InspectorResourceType[] = [];
  for (const type of resourceTypes) {
    const status = stateOf(account.resourceState, type)?.status;
    if (isOn(status)) continue;
    if (status === 'DISABLING' || status === 'SUSPENDING' || status === 'SUSPENDED') {
      throw new Error(
        `Amazon Inspector ${type} scanning is ${status} in account ${accountId}; it cannot be enabled now. ` +
          'Wait until it is DISABLED (or the suspension is resolved) and deploy again.',
      );
    }
    toEnable.push(type);
  }

  if (recorded?.accountId === accountId) {
    warnAboutOwnership(logger, resourceTypes, baseline, toEnable, previous?.oldProperties);
  }

  if (toEnable.length > 0) {
    const response = await client.send(
      // RequestId as idempotency token: a retried invocation of the same CloudFormation request is not a new Enable.
      new EnableCommand({ accountIds: [accountId], resourceTypes: toEnable, clientToken: requestId }),
    );
    assertNoFailedAccounts(response.failedAccounts, `Enable (${toEnable.join(', ')})`);
    logger.info('Asked Amazon Inspector to enable scan types', { accountId, resourceTypes: toEnable });
  } else {
    logger.info('Every requested scan type is already on; no Enable sent', { accountId, resourceTypes });
  }

  return {
    PhysicalResourceId: formatPhysicalId({ accountId, baseline }),
    Data: { EnabledByStack: joinTypes(ownedTypes(resourceTypes, baseline)) },
    EnableSentFor: joinTypes(toEnable),
  };
}

/** Update-only: the two cases where the stable baseline cannot reflect what really happened. */
function warnAboutOwnership(
  logger: Logger,
  requested: readonly InspectorResourceType[],
  baseline: readonly InspectorResourceType[],
  toEnable: readonly InspectorResourceType[],
  oldProperties: Record<string, unknown> | undefined,
): void {
  const oldRequested = previouslyRequested(oldProperties);
  for (const type of requested) {
    if (baseline.includes(type) && toEnable.includes(type)) {
      logger.warn('Re-enabling a scan type that was on before this resource existed; it is not counted as enabled by the stack', { type });
    }
    if (!baseline.includes(type) && !toEnable.includes(type) && !oldRequested.includes(type)) {
      logger.warn('Newly requested scan type is already on although it was off when this resource was created; it is counted as enabled by the stack', { type });
    }
  }
}

/** Only feeds a warning, so a malformed old value (e.g. during a rollback from an invalid update) just yields []. */
function previouslyRequested(oldProperties: Record<string, unknown> | undefined): InspectorResourceType[] {
  const raw = oldProperties?.ResourceTypes;
  if (raw === undefined) return ['EC2'];
  return Array.isArray(raw) ? raw.filter(isResourceType) : [];
}

async function disable(
  client: Inspector2Client,
  logger: Logger,
  event: CloudFormationCustomResourceDeleteEvent,
): Promise<OnEventResponse> {
  const physicalId = event.PhysicalResourceId;
  const { resourceTypes, disableOnDelete } = parseProperties(event.ResourceProperties);
  if (!disableOnDelete) {
    logger.info('DisableOnDelete is not "true": Amazon Inspector stays on and its findings are kept', { physicalId });
    return { PhysicalResourceId: physicalId, DisableSentFor: '' };
  }

  // Disabling a scan type deletes that type's findings (the account's vulnerability history), which is why it is
  // opt-in, and why only types this resource enabled are touched, never ones that were on before it.
  const { accountId, baseline } = parsePhysicalId(physicalId);
  const owned = ownedTypes(resourceTypes, baseline);
  if (owned.length === 0) {
    logger.info('This resource enabled no scan type; nothing to disable', { accountId, baseline });
    return { PhysicalResourceId: physicalId, DisableSentFor: '' };
  }

  const account = await getAccountState(client, accountId);
  const isOnNow = (type: InspectorResourceType): boolean => isOn(stateOf(account.resourceState, type)?.status);
  let toDisable = owned.filter(isOnNow);
  // Disabling LAMBDA also disables LAMBDA_CODE; keep LAMBDA if someone else turned Lambda code scanning on.
  if (toDisable.includes('LAMBDA') && !owned.includes('LAMBDA_CODE') && isOnNow('LAMBDA_CODE')) {
    logger.warn('Leaving LAMBDA on: disabling it would also disable LAMBDA_CODE, which this resource did not enable', { accountId });
    toDisable = toDisable.filter((type) => type !== 'LAMBDA');
  }
  if (toDisable.length === 0) {
    logger.info('Scan types this resource enabled are already off; nothing to disable', { accountId, owned });
    return { PhysicalResourceId: physicalId, DisableSentFor: '' };
  }

  const response = await client.send(new DisableCommand({ accountIds: [accountId], resourceTypes: toDisable }));
  assertNoFailedAccounts(response.failedAccounts, `Disable (${toDisable.join(', ')})`);
  logger.info('Asked Amazon Inspector to disable the scan types this resource enabled', { accountId, resourceTypes: toDisable });
  return { PhysicalResourceId: physicalId, DisableSentFor: joinTypes(toDisable) };
}
