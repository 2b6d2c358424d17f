import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
    this.key = new kms.Key(this, 'Resource', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy: keyPolicy({ administrators: props.administrators, deploymentRole: props.deploymentRole, viaServices: props.viaServices }),
    });
  }
}
