import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SecureFunction } from '../lambda/secure-function';
import { restrictSecret } from './secret-perimeter';

const ROTATION_HANDLER = join(__dirname, '..', '..', '..', 'functions', 'signing-key-rotation', 'handler.ts');

export interface ServiceSecretProps {
  readonly description: string;
  /** Encrypts the secret (the secrets key). */
  readonly key: kms.IKey;
  /** Days between rotations. */
  readonly rotationDays: number;
  /** Role ARNs (patterns allowed) that may read the value besides this stack's roles: administrators and the service's role. */
  readonly readers: readonly string[];
  readonly vpc: ec2.IVpc;
  /** Subnets of the rotation function; they reach Secrets Manager through its endpoint. */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the rotation function's environment and dead-letter queue. */
  readonly functionKey: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * The service's own secret (the SRA's example of a secret an instance profile
 * reads): a random 64-character signing key, encrypted with the secrets key,
 * rotated on a schedule by a function of its own, retained on removal, and
 * readable only by the named roles whatever IAM policies say.
 */
export class ServiceSecret extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly rotation: SecureFunction;
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: ServiceSecretProps) {
    super(scope, id);
    this.key = props.key;
    this.secret = new secretsmanager.Secret(this, 'Resource', {
      description: props.description,
      encryptionKey: props.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false, requireEachIncludedType: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.rotation = new SecureFunction(this, 'Rotation', {
      entry: ROTATION_HANDLER,
      description: `${props.description}: rotation`,
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.functionKey,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      timeout: Duration.seconds(30),
      reservedConcurrency: 1,
    });
    this.secret.addRotationSchedule('Schedule', { rotationLambda: this.rotation.function, automaticallyAfter: Duration.days(props.rotationDays) });
    restrictSecret(this.secret, { readers: props.readers });
  }

  /** GetSecretValue on this secret only, and decryption with its key only through Secrets Manager. */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions: ['secretsmanager:GetSecretValue'], resourceArns: [this.secret.secretArn] });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': this.secret.secretArn } },
    });
    return grant;
  }
}
