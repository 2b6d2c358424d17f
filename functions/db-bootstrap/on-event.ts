import type { Logger } from '@aws-lambda-powertools/logger';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { applyGrants, type SqlClient } from './bootstrap';
import { readMasterCredentials, type MasterCredentials } from './master-secret';
import { parseProperties, type BootstrapSettings } from './properties';

export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

type Log = Pick<Logger, 'info'>;

export type SqlClientFactory = (settings: BootstrapSettings, credentials: MasterCredentials) => SqlClient;

/**
 * Create and Update apply the grants with the master credentials; Delete does
 * nothing, so the role, its schema and the service's data outlive the stack.
 */
export function createOnEvent(secrets: SecretsManagerClient, sql: SqlClientFactory, log: Log) {
  return async (event: CloudFormationCustomResourceEvent): Promise<OnEventResponse> => {
    const settings = parseProperties(event.ResourceProperties);
    const physicalId = `${settings.host}/${settings.database}/${settings.appUsername}`;
    if (event.RequestType === 'Delete') {
      log.info('delete: role and schema retained', { database: settings.database, role: settings.appUsername });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const credentials = await readMasterCredentials(secrets, settings.masterSecretArn);
    const applied = await applyGrants(sql(settings, credentials), settings);
    log.info('grants applied', { database: settings.database, role: settings.appUsername, schema: settings.schema, statements: applied });
    return { PhysicalResourceId: physicalId, Data: { Role: settings.appUsername, Schema: settings.schema } };
  };
}
