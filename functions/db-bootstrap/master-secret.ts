import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface MasterCredentials {
  readonly username: string;
  readonly password: string;
}

/** The master user's current credentials, from the secret RDS generated and rotation keeps current. */
export async function readMasterCredentials(client: SecretsManagerClient, secretArn: string): Promise<MasterCredentials> {
  const value = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.SecretString ?? '');
  } catch {
    throw new Error(`The master secret ${secretArn} does not hold JSON`);
  }
  const { username, password } = (parsed ?? {}) as { username?: unknown; password?: unknown };
  if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
    throw new Error(`The master secret ${secretArn} lacks username or password`);
  }
  return { username, password };
}
