/** One service name for every log line of this custom resource. */
import { Logger } from '@aws-lambda-powertools/logger';

export const newLogger = (): Logger => new Logger({ serviceName: 'cloudhsm-cluster' });
