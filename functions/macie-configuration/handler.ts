import { Macie2Client } from '@aws-sdk/client-macie2';
import type { CdkCustomResourceEvent, Context } from 'aws-lambda';
import { logger } from './logger';
import { createOnEvent } from './on-event';

// Entry point for the CDK Provider (onEventHandler). The client is built once per container; its Region and
// credentials come from the Lambda environment.
const onEventImpl = createOnEvent(new Macie2Client({}), logger);

export async function onEvent(event: CdkCustomResourceEvent, context: Context) {
  logger.addContext(context);
  return onEventImpl(event);
}
