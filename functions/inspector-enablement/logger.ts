import { Logger } from '@aws-lambda-powertools/logger';

/** Shared by both handlers; level comes from POWERTOOLS_LOG_LEVEL. Tests inject their own. */
export const logger = new Logger({ serviceName: 'inspector-enablement' });
