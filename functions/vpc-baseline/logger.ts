import { Logger } from '@aws-lambda-powertools/logger';

/** Level comes from POWERTOOLS_LOG_LEVEL. Tests inject their own. */
export const logger = new Logger({ serviceName: 'vpc-baseline' });
