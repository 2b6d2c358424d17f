import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * What a key administrator may do: manage the key's life, never use it nor rewrite its policy.
 * Listed one by one (no `kms:Create*`): `CreateGrant` would let an administrator grant itself use.
 * `kms:PutKeyPolicy` is not here: an administrator who could rewrite the policy could drop the
 * deny on its own use, so the policy changes only through a deployment (`POLICY_ACTIONS`).
 */
export const ADMINISTRATION_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:UpdateKeyDescription',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:RevokeGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/**
 * Rewriting the key policy: the CloudFormation execution role alone, so every change is a
 * reviewed deployment (and raises the key-policy alarm). Administrators are denied it outright.
 */
export const POLICY_ACTIONS = ['kms:PutKeyPolicy'];

/** What a key user may do, once an IAM policy in this account grants it (the constructs' `grant*` methods do). */
export const USAGE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** Actions nobody but an administrator may take, whatever IAM policies say. */
export const PROTECTED_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:DisableKey', 'kms:DisableKeyRotation'];

export interface KeyPolicyProps {
  /** Role ARNs of the people who administer the key; they are denied its use. */
  readonly administrators: readonly string[];
  /**
   * The CloudFormation execution role: it creates the key and resolves secrets
   * encrypted with it during deployments, so it administers and may use it.
   */
  readonly deploymentRole: string;
  /**
   * AWS services through which IAM principals of this account may use the key
   * (`kms:ViaService`). Empty: direct use, for keys that instances and
   * functions call KMS with themselves (Session Manager, Lambda environments).
   */
  readonly viaServices: readonly string[];
  /**
   * Direct use (no `kms:ViaService`) admitted only with this encryption-context key, for a
   * service whose clients call KMS themselves, e.g. `aws:ssm:SessionId` for Session Manager.
   */
  readonly directUseEncryptionContextKeys?: readonly string[];
}

/**
 * Separation of duties: administrators manage but cannot use; principals of
 * this account use the key only where an IAM policy grants it, and only through
 * the named services; deleting, disabling or re-writing the key's policy is
 * denied to everyone else, whatever their IAM policies say.
 */
export function keyPolicy(props: KeyPolicyProps): iam.PolicyDocument {
  const region = Aws.REGION;
  const managers = [...props.administrators, props.deploymentRole];
  const viaService = props.viaServices.length ? { 'kms:ViaService': props.viaServices.map((s) => `${s}.${region}.amazonaws.com`) } : undefined;
  const denyUseToAdministrators = props.administrators.length
    ? [
        new iam.PolicyStatement({
          // Without this, an administrator could rewrite the policy and lift the deny below.
          sid: 'AdministratorsDoNotRewritePolicy',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: POLICY_ACTIONS,
          resources: ['*'],
          conditions: { ArnLike: { 'aws:PrincipalArn': [...props.administrators] } },
        }),
        new iam.PolicyStatement({
          sid: 'AdministratorsDoNotUse',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: [...USAGE_ACTIONS.filter((a) => a !== 'kms:DescribeKey'), 'kms:CreateGrant'],
          resources: ['*'],
          conditions: { ArnLike: { 'aws:PrincipalArn': [...props.administrators] } },
        }),
      ]
    : [];
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'Administration',
        principals: managers.map((arn) => new iam.ArnPrincipal(arn)),
        actions: ADMINISTRATION_ACTIONS,
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'PolicyChangesOnlyThroughDeployments',
        principals: [new iam.ArnPrincipal(props.deploymentRole)],
        actions: POLICY_ACTIONS,
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'UseThroughIamPoliciesViaServices',
        principals: [new iam.AccountRootPrincipal()],
        actions: USAGE_ACTIONS,
        resources: ['*'],
        conditions: viaService ? { StringEquals: viaService } : undefined,
      }),
      new iam.PolicyStatement({
        // Services encrypting on a principal's behalf (RDS storage, EBS volumes) hold grants, not direct permissions.
        sid: 'GrantsForAwsResources',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        resources: ['*'],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, ...(viaService ? { StringEquals: viaService } : {}) },
      }),
      ...(props.directUseEncryptionContextKeys ?? []).map(
        (contextKey, i) =>
          new iam.PolicyStatement({
            sid: `DirectUseWithEncryptionContext${i || ''}`,
            principals: [new iam.AccountRootPrincipal()],
            actions: USAGE_ACTIONS,
            resources: ['*'],
            conditions: { Null: { [`kms:EncryptionContext:${contextKey}`]: 'false' } },
          }),
      ),
      new iam.PolicyStatement({
        sid: 'OnlyAdministratorsDeleteDisableOrRepolicy',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: PROTECTED_ACTIONS,
        resources: ['*'],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': managers } },
      }),
      ...denyUseToAdministrators,
    ],
  });
}
