import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

export interface SecretPerimeterProps {
  /** Role ARNs (administrators, the deployment role, explicitly granted roles) that may read the value. */
  readonly readers: readonly string[];
}

/**
 * A resource policy that denies reading or changing the secret to every
 * principal outside the listed roles and the roles this stack creates (the
 * rotation function's role lives in a nested stack named after this stack,
 * so its name starts with the stack name). IAM policies alone could otherwise
 * grant any role of the account the database password.
 */
export function restrictSecret(secret: secretsmanager.ISecret, props: SecretPerimeterProps): void {
  const stack = Stack.of(secret);
  const stackRoles = `arn:${Aws.PARTITION}:iam::${stack.account}:role/${stack.stackName}-*`;
  secret.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'OnlyNamedRolesReadOrChange',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecret', 'secretsmanager:UpdateSecretVersionStage'],
      resources: ['*'],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': [...props.readers, stackRoles] } },
    }),
  );
  secret.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'NoOtherAccounts',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['secretsmanager:*'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'aws:PrincipalAccount': stack.account } },
    }),
  );
}
