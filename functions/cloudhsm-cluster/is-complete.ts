/** The provider framework's isComplete, polled until it reports completion (or the provider's total timeout). */
import type { CloudHSMV2Client } from '@aws-sdk/client-cloudhsm-v2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceIsCompleteEvent, CdkCustomResourceIsCompleteResponse } from 'aws-lambda';
import { deleteProgress } from './delete';
import { newLogger } from './logger';
import { clusterProgress } from './progress';
import { parseProperties } from './properties';

export type IsCompleteHandler = (event: CdkCustomResourceIsCompleteEvent) => Promise<CdkCustomResourceIsCompleteResponse>;

/** The HSM ids onEvent asked CloudHSM to delete; the framework passes onEvent's response fields on to isComplete. */
function hsmIdsBeingDeleted(event: CdkCustomResourceIsCompleteEvent): string[] {
  const ids: unknown = event.HsmIdsBeingDeleted;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

export function createIsComplete(client: CloudHSMV2Client, logger: Logger = newLogger()): IsCompleteHandler {
  return async (event) => {
    const props = parseProperties(event.ResourceProperties);
    // On a create, the framework copies onEvent's PhysicalResourceId (the cluster id) into this event.
    const clusterId = event.PhysicalResourceId;
    if (!clusterId) throw new Error('isComplete received no PhysicalResourceId; onEvent must return the cluster id');
    return event.RequestType === 'Delete'
      ? deleteProgress(client, logger, clusterId, props, hsmIdsBeingDeleted(event))
      : clusterProgress(client, logger, clusterId, props, hsmIdsBeingDeleted(event));
  };
}
