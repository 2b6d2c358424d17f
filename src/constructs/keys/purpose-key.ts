import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { keyPolicy } from './key-policy';

export interface PurposeKeyProps {
  /** Alias without the `alias/` prefix, e.g. `sra-app/dev/logs`. */
  readonly alias: string;
  /** What the key protects, shown in the console and in CloudTrail. */
  readonly description: string;
  /** Role ARNs that administer the key and cannot use it. */
  readonly administrators: readonly string[];
  /** The CloudFormation execution role, which administers and may use the key. */
  readonly deploymentRole: string;
  /** Services through which this account's principals may use it, e.g. `rds`, `s3`. */
  readonly viaServices: readonly string[];
  /** Encryption-context keys under which direct use is admitted (see `KeyPolicyProps`). @default - none */
  readonly directUseEncryptionContextKeys?: readonly string[];
}

/**
 * A customer-managed KMS key for one purpose. Rotation is on, deletion waits
 * the longest window (30 days), the key is retained when its stack is deleted,
 * and its policy separates administration from use (see `keyPolicy`).
 */
export class PurposeKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PurposeKeyProps) {
    super(scope, id);
    this.key = new GrantScopedKey(this, 'Resource', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy: keyPolicy({
        administrators: props.administrators,
        deploymentRole: props.deploymentRole,
        viaServices: props.viaServices,
        directUseEncryptionContextKeys: props.directUseEncryptionContextKeys,
      }),
    });
  }
}

/**
 * A key whose policy admits `kms:CreateGrant` only for AWS resources: statements other constructs
 * add (the Secrets Manager L2 grants `CreateGrant` via the service, with no such condition) have
 * `kms:CreateGrant` split off into a statement that requires `kms:GrantIsForAWSResource`.
 */
class GrantScopedKey extends kms.Key {
  override addToResourcePolicy(statement: iam.PolicyStatement, allowNoOp?: boolean): iam.AddToResourcePolicyResult {
    let result: iam.AddToResourcePolicyResult = { statementAdded: false };
    for (const s of grantsForAwsResourcesOnly(statement)) result = super.addToResourcePolicy(s, allowNoOp);
    return result;
  }
}

/** `statement`, with an allowed `kms:CreateGrant` moved to its own statement that requires `kms:GrantIsForAWSResource`. */
export function grantsForAwsResourcesOnly(statement: iam.PolicyStatement): iam.PolicyStatement[] {
  const json = statement.toStatementJson() as { Sid?: string; Action?: string | string[]; Condition?: Record<string, Record<string, unknown>> };
  const actions = [json.Action ?? []].flat();
  const scoped = json.Condition?.Bool?.['kms:GrantIsForAWSResource'] === 'true';
  if (statement.effect !== iam.Effect.ALLOW || !actions.includes('kms:CreateGrant') || scoped) return [statement];
  const rest = actions.filter((a) => a !== 'kms:CreateGrant');
  const grant = iam.PolicyStatement.fromJson({
    ...json,
    ...(json.Sid ? { Sid: `${json.Sid}GrantsForAwsResources` } : {}),
    Action: 'kms:CreateGrant',
    Condition: { ...json.Condition, Bool: { ...json.Condition?.Bool, 'kms:GrantIsForAWSResource': 'true' } },
  });
  return rest.length ? [iam.PolicyStatement.fromJson({ ...json, Action: rest }), grant] : [grant];
}
