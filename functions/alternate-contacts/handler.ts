import { AccountClient } from '@aws-sdk/client-account';
import type { CdkCustomResourceEvent, Context } from 'aws-lambda';
import { logger } from './logger';
import { createOnEvent } from './on-event';

// Entry point for the CDK Provider (onEventHandler). The Account API is global; the SDK resolves its endpoint.
const onEventImpl = createOnEvent(new AccountClient({}), logger);

export async function onEvent(event: CdkCustomResourceEvent, context: Context) {
  logger.addContext(context);
  return onEventImpl(event);
}
