import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { createRefresh, type ParameterChangeEvent, type RefreshResult } from './refresh';

const logger = new Logger({ serviceName: 'fleet-image-refresh' });

const refresh = createRefresh(
  // Region and credentials come from the Lambda environment; the endpoint is reached through NAT or the VPC endpoint.
  new AutoScalingClient({}),
  {
    groupName: required('GROUP_NAME'),
    parameterName: required('PARAMETER_NAME'),
    minHealthyPercentage: Number(required('MIN_HEALTHY_PERCENTAGE')),
    instanceWarmupSeconds: Number(required('INSTANCE_WARMUP_SECONDS')),
  },
  logger,
);

export async function handler(event: ParameterChangeEvent, context: Context): Promise<RefreshResult> {
  logger.addContext(context);
  return refresh(event);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
