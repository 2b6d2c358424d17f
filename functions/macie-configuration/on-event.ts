import {
  GetMacieSessionCommand,
  type Macie2Client,
  PutClassificationExportConfigurationCommand,
  PutFindingsPublicationConfigurationCommand,
  UpdateAutomatedDiscoveryConfigurationCommand,
} from '@aws-sdk/client-macie2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { logger as defaultLogger } from './logger';
import { parseProperties } from './properties';

export type OnEventHandler = (event: CdkCustomResourceEvent) => Promise<CdkCustomResourceResponse & { PhysicalResourceId: string }>;

export const PHYSICAL_ID = 'macie-account-configuration';

/**
 * The Macie settings CloudFormation has no resource for, applied to the
 * account's Macie session (AWS::Macie::Session, created before this):
 *
 * - automated sensitive data discovery on (every bucket of the account, sampled daily);
 * - policy and sensitive data findings published to Security Hub;
 * - sensitive data discovery results written to the log archive, SSE-KMS with the logs key.
 *
 * Every call is a put of the whole setting, so Create and Update are the same
 * and a retried event is harmless. Delete changes nothing: the session is
 * retained, and its results repository and discovery stay as they are (turning
 * discovery off loses its bucket statistics).
 */
export function createOnEvent(client: Macie2Client, logger: Logger = defaultLogger): OnEventHandler {
  return async (event) => {
    if (event.RequestType === 'Delete') {
      logger.info('stack resource removed; Macie keeps its configuration', { physicalId: event.PhysicalResourceId });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const props = parseProperties(event.ResourceProperties);
    const session = await client.send(new GetMacieSessionCommand({}));
    if (session.status !== 'ENABLED') {
      throw new Error(`Amazon Macie is ${session.status ?? 'not enabled'} in this account; it must be ENABLED to be configured. Resume it (Macie console or UpdateMacieSession) and deploy again.`);
    }
    // The results repository first: Macie refuses to run discovery without one, and this call checks the bucket and key policies.
    await client.send(
      new PutClassificationExportConfigurationCommand({
        configuration: { s3Destination: { bucketName: props.bucketName, keyPrefix: props.keyPrefix, kmsKeyArn: props.kmsKeyArn } },
      }),
    );
    await client.send(
      new PutFindingsPublicationConfigurationCommand({
        clientToken: event.RequestId,
        securityHubConfiguration: { publishPolicyFindings: true, publishClassificationFindings: true },
      }),
    );
    await client.send(new UpdateAutomatedDiscoveryConfigurationCommand({ status: 'ENABLED' }));
    logger.info('Macie configured', { bucket: props.bucketName, prefix: props.keyPrefix });
    return { PhysicalResourceId: PHYSICAL_ID };
  };
}
