import type { Inspector2Client } from '@aws-sdk/client-inspector2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceIsCompleteEvent, CdkCustomResourceIsCompleteResponse } from 'aws-lambda';
import { assertCanEnable, getAccountState } from './account-status';
import { logger as defaultLogger } from './logger';
import { parsePhysicalId } from './physical-id';
import { parseProperties } from './properties';
import { type InspectorResourceType, reasonOf, splitTypes, stateOf } from './resource-types';

export type IsCompleteHandler = (event: CdkCustomResourceIsCompleteEvent) => Promise<CdkCustomResourceIsCompleteResponse>;

/**
 * Polled by the provider framework's state machine (which owns the waiting) after onEvent. Create/Update: done when
 * every requested type is ENABLED. Delete: done when every type onEvent disabled is DISABLED.
 */
export function createIsComplete(client: Inspector2Client, logger: Logger = defaultLogger): IsCompleteHandler {
  return async (event) => {
    if (event.RequestType === 'Delete') {
      return disabled(client, logger, event, event.PhysicalResourceId);
    }
    return enabled(client, logger, event);
  };
}

async function enabled(
  client: Inspector2Client,
  logger: Logger,
  event: CdkCustomResourceIsCompleteEvent,
): Promise<CdkCustomResourceIsCompleteResponse> {
  const { accountId, resourceTypes } = parseProperties(event.ResourceProperties);
  const enableSent = sentTypes(event, 'EnableSentFor');
  const account = await getAccountState(client, accountId);
  assertCanEnable(account);

  const pending: Partial<Record<InspectorResourceType, string>> = {};
  for (const type of resourceTypes) {
    const state = stateOf(account.resourceState, type);
    const status = state?.status;
    if (status === 'ENABLED') continue;
    if (status === undefined || status === 'DISABLED' || status === 'SUSPENDED') {
      // Terminal: waiting would only end in the framework's timeout, with a less useful message.
      const reason = reasonOf(state) ?? 'Inspector gave no reason';
      const shown = status ?? 'not reported';
      throw new Error(
        enableSent.includes(type)
          ? `Enabling Amazon Inspector ${type} scanning in account ${accountId} failed: it is ${shown} (${reason}). ` +
              'Fix the cause (permissions, Region support, service quotas) and deploy again.'
          : `Amazon Inspector ${type} scanning in account ${accountId} is ${shown} (${reason}) although it was on ` +
              'when this deployment started: it was turned off outside this stack. Deploy again to enable it.',
      );
    }
    pending[type] = status;
  }

  if (Object.keys(pending).length > 0) {
    logger.info('Waiting for Amazon Inspector scan types to be ENABLED', { accountId, pending });
    return { IsComplete: false };
  }
  logger.info('Amazon Inspector scan types are ENABLED', { accountId, resourceTypes });
  return { IsComplete: true };
}

async function disabled(
  client: Inspector2Client,
  logger: Logger,
  event: CdkCustomResourceIsCompleteEvent,
  physicalId: string,
): Promise<CdkCustomResourceIsCompleteResponse> {
  const disableSent = sentTypes(event, 'DisableSentFor');
  // Nothing was disabled (the default): nothing to wait for, and no API call.
  if (disableSent.length === 0) return { IsComplete: true };

  const { accountId } = parsePhysicalId(physicalId);
  const account = await getAccountState(client, accountId);
  const pending = disableSent.filter((type) => {
    const status = stateOf(account.resourceState, type)?.status;
    return status !== undefined && status !== 'DISABLED';
  });
  if (pending.length > 0) {
    logger.info('Waiting for Amazon Inspector scan types to be DISABLED', { accountId, pending });
    return { IsComplete: false };
  }
  logger.info('Amazon Inspector scan types enabled by this resource are DISABLED', { accountId, disableSent });
  return { IsComplete: true };
}

/** Reads the list onEvent passed along (see OnEventResponse); always present when onEvent is ours. */
function sentTypes(event: CdkCustomResourceIsCompleteEvent, field: 'EnableSentFor' | 'DisableSentFor'): InspectorResourceType[] {
  const value: unknown = event[field];
  if (typeof value !== 'string') {
    throw new Error(`isComplete expected "${field}" from onEvent, got ${JSON.stringify(value) ?? 'undefined'}; is onEvent this module's createOnEvent?`);
  }
  return splitTypes(value, field);
}
