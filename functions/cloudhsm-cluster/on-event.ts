/** The provider framework's onEvent: validates the properties, then starts a create, an update or a safe delete. */
import type { CloudHSMV2Client } from '@aws-sdk/client-cloudhsm-v2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { createCluster } from './create';
import { startDelete } from './delete';
import { newLogger } from './logger';
import { parseProperties } from './properties';
import { updateCluster } from './update';

export type OnEventHandler = (event: CdkCustomResourceEvent) => Promise<CdkCustomResourceResponse>;

export function createOnEvent(client: CloudHSMV2Client, logger: Logger = newLogger()): OnEventHandler {
  return async (event) => {
    const props = parseProperties(event.ResourceProperties);
    logger.info('onEvent', { requestType: event.RequestType, logicalResourceId: event.LogicalResourceId });
    switch (event.RequestType) {
      case 'Create':
        return createCluster(client, logger, props);
      case 'Update':
        return updateCluster(client, logger, event.PhysicalResourceId, props, parseProperties(event.OldResourceProperties, 'previous'));
      case 'Delete':
        return startDelete(client, logger, event.PhysicalResourceId, props);
    }
  };
}
