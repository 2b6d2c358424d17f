import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** Encrypt and decrypt, named one by one: no wildcard actions, so the policy says exactly what it allows. */
export const KEY_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:DescribeKey',
];

/**
 * A customer-managed policy letting `role` use `keys` (the key policies still
 * restrict use to the services named there). Customer-managed rather than the
 * inline policy `grant*` would write, which three of the rule packs refuse.
 */
export function attachKeyUsePolicy(scope: Construct, id: string, role: iam.IRole, keys: readonly kms.IKey[], description: string): iam.ManagedPolicy {
  return new iam.ManagedPolicy(scope, id, {
    description,
    roles: [role],
    statements: [new iam.PolicyStatement({ actions: KEY_USE_ACTIONS, resources: keys.map((k) => k.keyArn) })],
  });
}
