import { Inspector2Client } from '@aws-sdk/client-inspector2';
import type {
  CdkCustomResourceEvent,
  CdkCustomResourceIsCompleteEvent,
  CdkCustomResourceIsCompleteResponse,
  Context,
} from 'aws-lambda';
import { createIsComplete } from './is-complete';
import { logger } from './logger';
import { type OnEventResponse, createOnEvent } from './on-event';

// Entry points for the CDK Provider (onEventHandler / isCompleteHandler). The client is built once per container;
// its Region and credentials come from the Lambda environment.
const client = new Inspector2Client({});
const onEventImpl = createOnEvent(client, logger);
const isCompleteImpl = createIsComplete(client, logger);

export async function onEvent(event: CdkCustomResourceEvent, context: Context): Promise<OnEventResponse> {
  logger.addContext(context);
  return onEventImpl(event);
}

export async function isComplete(
  event: CdkCustomResourceIsCompleteEvent,
  context: Context,
): Promise<CdkCustomResourceIsCompleteResponse> {
  logger.addContext(context);
  return isCompleteImpl(event);
}
