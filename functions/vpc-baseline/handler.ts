import { EC2Client } from '@aws-sdk/client-ec2';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { runAndAnswer } from '../db-bootstrap/respond';
import { logger } from './logger';
import { createOnEvent } from './on-event';

const onEventImpl = createOnEvent(new EC2Client({}), logger);

/** CloudFormation invokes this function directly and waits for its answer at the response URL. */
export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  logger.addContext(context);
  const fallbackId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : context.logStreamName;
  await runAndAnswer(event, fallbackId, onEventImpl, logger);
}
