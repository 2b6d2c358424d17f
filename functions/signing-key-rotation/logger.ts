import { Logger } from '@aws-lambda-powertools/logger';

/** Level from POWERTOOLS_LOG_LEVEL. The secret's value is never logged. */
export const logger = new Logger({ serviceName: 'signing-key-rotation' });
