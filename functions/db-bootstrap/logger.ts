import { Logger } from '@aws-lambda-powertools/logger';

/** Level from POWERTOOLS_LOG_LEVEL. Never logs the master secret or a connection string. */
export const logger = new Logger({ serviceName: 'db-bootstrap' });
