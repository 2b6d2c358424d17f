import { Logger } from '@aws-lambda-powertools/logger';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { type LifecycleAction, onLifecycleAction, settingsFromEnvironment } from './mirror';

const logger = new Logger({ serviceName: 'fleet-mirroring' });
// Built once per container; Region and credentials come from the Lambda environment.
const clients = { ec2: new EC2Client({}), autoscaling: new AutoScalingClient({}) };
const settings = settingsFromEnvironment(process.env);

/** Entry point for the EventBridge rule on the fleet's lifecycle actions. */
export async function handler(event: EventBridgeEvent<string, LifecycleAction>, context: Context) {
  logger.addContext(context);
  return onLifecycleAction(clients, settings, event.detail, logger);
}
