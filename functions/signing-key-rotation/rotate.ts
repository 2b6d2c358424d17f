import type { Logger } from '@aws-lambda-powertools/logger';
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

/** What Secrets Manager sends the rotation function at each of the four steps. */
export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
}

/** Length of a generated signing key, in characters of [A-Za-z0-9] (about 380 bits). */
export const SIGNING_KEY_LENGTH = 64;

type Log = Pick<Logger, 'info'>;

/**
 * Rotation of a random signing key, which nothing outside the service checks:
 * createSecret stores a new random value as AWSPENDING, setSecret has no
 * system to update, testSecret checks the pending value's shape, and
 * finishSecret makes it AWSCURRENT (the old one stays readable as AWSPREVIOUS,
 * so links signed just before the rotation still verify). Every step is safe to repeat.
 */
export function createRotation(client: SecretsManagerClient, log: Log) {
  return async (event: RotationEvent): Promise<void> => {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    const description = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    if (!description.RotationEnabled) throw new Error(`Rotation is not enabled for ${secretId}`);
    const stages = description.VersionIdsToStages?.[token];
    if (!stages) throw new Error(`Version ${token} of ${secretId} has no stage`);
    if (stages.includes('AWSCURRENT') && step !== 'finishSecret') {
      log.info('version already current; nothing to do', { step });
      return;
    }
    if (!stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT')) throw new Error(`Version ${token} of ${secretId} is not pending`);
    switch (step) {
      case 'createSecret':
        return createSecret(client, secretId, token, log);
      case 'setSecret':
        log.info('no downstream system holds the key');
        return;
      case 'testSecret':
        return testSecret(client, secretId, token);
      case 'finishSecret':
        return finishSecret(client, secretId, token, description.VersionIdsToStages ?? {}, log);
      default:
        throw new Error(`Unknown rotation step ${JSON.stringify(step)}`);
    }
  };
}

async function createSecret(client: SecretsManagerClient, secretId: string, token: string, log: Log): Promise<void> {
  try {
    await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
    log.info('pending version exists');
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const random = await client.send(new GetRandomPasswordCommand({ PasswordLength: SIGNING_KEY_LENGTH, ExcludePunctuation: true, IncludeSpace: false, RequireEachIncludedType: true }));
  await client.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: token, SecretString: random.RandomPassword!, VersionStages: ['AWSPENDING'] }));
  log.info('pending version created');
}

async function testSecret(client: SecretsManagerClient, secretId: string, token: string): Promise<void> {
  const pending = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
  if (!new RegExp(`^[A-Za-z0-9]{${SIGNING_KEY_LENGTH}}$`).test(pending.SecretString ?? '')) {
    throw new Error(`The pending version of ${secretId} is not a ${SIGNING_KEY_LENGTH}-character key`);
  }
}

async function finishSecret(client: SecretsManagerClient, secretId: string, token: string, versions: Record<string, string[]>, log: Log): Promise<void> {
  const current = Object.entries(versions).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
  if (current === token) {
    log.info('version already current');
    return;
  }
  await client.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: current }));
  log.info('pending version made current');
}
