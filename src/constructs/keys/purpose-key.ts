import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface PurposeKeyProps {
  /** Alias without the `alias/` prefix, e.g. `sra-app/dev/logs`. */
  readonly alias: string;
  /** What the key protects, shown in the console and in CloudTrail. */
  readonly description: string;
}

/**
 * A customer-managed KMS key for one purpose. Rotation is on, deletion waits
 * the longest window (30 days) and the key is retained when its stack is
 * deleted, so nothing it encrypted is ever made unreadable by a deploy.
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
    });
  }
}
