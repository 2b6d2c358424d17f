import { Signer } from '@aws-sdk/rds-signer';
import type { PasswordProvider } from './pool';

/**
 * RDS IAM authentication: a signed token (valid 15 minutes) stands in for the password. Signing
 * is local (SigV4 with the instance profile's credentials), so a token per new connection costs
 * no network call.
 */
export function iamPassword(options: {
  hostname: string;
  port: number;
  username: string;
  region: string;
  credentials?: NonNullable<ConstructorParameters<typeof Signer>[0]>['credentials'];
}): PasswordProvider {
  const signer = new Signer({
    hostname: options.hostname,
    port: options.port,
    username: options.username,
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return () => signer.getAuthToken();
}
