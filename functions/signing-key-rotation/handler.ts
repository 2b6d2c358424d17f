import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { createRotation, type RotationEvent } from './rotate';

// Region and credentials come from the Lambda environment; the endpoint is the VPC's interface endpoint by private DNS.
const rotate = createRotation(new SecretsManagerClient({}), logger);

export async function handler(event: RotationEvent, context: Context): Promise<void> {
  logger.addContext(context);
  logger.appendKeys({ step: event.Step });
  await rotate(event);
}
