import { Logger } from '@aws-lambda-powertools/logger';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { IncidentClients } from '../incident-shared/clients';
import { settingsFromEnvironment } from '../incident-shared/clients';
import { runStep, type StepEvent } from './dispatch';

const logger = new Logger({ serviceName: 'incident-response' });
// The SDK's own retries absorb brief throttling; the state machine's Retry takes over with longer backoff.
const config = { maxAttempts: 3 };
const clients: IncidentClients = {
  ec2: new EC2Client(config),
  autoscaling: new AutoScalingClient(config),
  elbv2: new ElasticLoadBalancingV2Client(config),
  iam: new IAMClient(config),
  s3: new S3Client(config),
  sns: new SNSClient(config),
  ssm: new SSMClient(config),
};
const settings = settingsFromEnvironment(process.env);

export async function handler(event: StepEvent): Promise<unknown> {
  const c = (event as { case?: { caseId?: string; instanceId?: string; dryRun?: boolean } }).case;
  logger.appendKeys({ step: event.step, caseId: c?.caseId, instanceId: c?.instanceId ?? (event as { instanceId?: string }).instanceId });
  try {
    const result = await runStep(clients, settings, event);
    logger.info('step finished', { result: result as Record<string, unknown> });
    return result;
  } catch (error) {
    logger.error('step failed', error as Error);
    throw error;
  }
}
