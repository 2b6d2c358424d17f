import { KMSClient } from '@aws-sdk/client-kms';
import type { CdkCustomResourceEvent, Context } from 'aws-lambda';
import { logger } from './logger';
import { createOnEvent } from './on-event';

// Entry point for the CDK Provider (onEventHandler). The client is built once per container; its Region and
// credentials come from the Lambda environment. Cross-account keys are addressed by ARN, which KMS accepts.
const onEventImpl = createOnEvent(new KMSClient({}), logger);

export async function onEvent(event: CdkCustomResourceEvent, context: Context) {
  logger.addContext(context);
  return onEventImpl(event);
}
