import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export interface SecretPerimeterProps {
  /** Role ARNs (exact, or a pattern where the role is named by convention) that may read or change the value. */
  readers: readonly string[];
  /**
   * For a secret this stack does not declare as an `AWS::SecretsManager::Secret` (one RDS manages): where the
   * `AWS::SecretsManager::ResourcePolicy` goes. @default - the secret's own policy
   */
  scope?: Construct;
  /** `rds`: RDS rotates the secret through its service-linked role, which stays admitted. @default - a rotation role among `readers` */
  rotatedBy?: 'rds';
}

/** The service-linked role RDS manages master user secrets with. */
const RDS_SERVICE_LINKED_ROLE = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS`;

/**
 * A resource policy that denies reading or changing the secret to every
 * principal outside the listed roles, named exactly: no wildcard over this
 * stack's role names, which any later role of the stack would match. IAM
 * policies alone could otherwise grant any role of the account the value.
 */
export function restrictSecret(secret: secretsmanager.ISecret, props: SecretPerimeterProps): void {
  const account = Stack.of(props.scope ?? secret).account;
  const admitted = [...props.readers, ...(props.rotatedBy === 'rds' ? [RDS_SERVICE_LINKED_ROLE] : [])];
  const statements = [
    new iam.PolicyStatement({
      sid: 'OnlyNamedRolesReadOrChange',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecret', 'secretsmanager:UpdateSecretVersionStage'],
      resources: ['*'],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': admitted } },
    }),
    new iam.PolicyStatement({
      sid: 'NoOtherAccounts',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['secretsmanager:*'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'aws:PrincipalAccount': account } },
    }),
  ];
  if (secret instanceof secretsmanager.Secret || !props.scope) {
    for (const statement of statements) secret.addToResourcePolicy(statement);
    return;
  }
  new secretsmanager.CfnResourcePolicy(props.scope, 'SecretPolicy', {
    secretId: secret.secretArn,
    resourcePolicy: new iam.PolicyDocument({ statements }),
    blockPublicPolicy: true,
  });
}
