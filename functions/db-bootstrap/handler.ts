import { readFileSync } from 'node:fs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { Client } from 'pg';
import { connectionConfig } from './bootstrap';
import { logger } from './logger';
import { createOnEvent } from './on-event';
import { runAndAnswer } from './respond';

/**
 * Lambda's Node.js runtimes carry the Amazon RDS CA certificates in this file
 * (from Node.js 20 on they are no longer trusted by default), so the server
 * certificate is verified against exactly the RDS CAs.
 */
const RDS_CA_FILE = process.env.DB_CA_FILE ?? '/var/runtime/ca-cert.pem';

const onEventImpl = createOnEvent(
  new SecretsManagerClient({}),
  (settings, credentials) => new Client(connectionConfig(settings, credentials, readFileSync(RDS_CA_FILE, 'utf8'))),
  logger,
);

/** CloudFormation invokes this function directly and waits for its answer at the response URL. */
export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  logger.addContext(context);
  const fallbackId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : context.logStreamName;
  await runAndAnswer(event, fallbackId, onEventImpl, logger);
}
