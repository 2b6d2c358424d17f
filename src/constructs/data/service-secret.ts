import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
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
      calls: ['secretsmanager'],
    });
    this.scheduleRotation(props.rotationDays);
    // The rotation function's own role, exactly: it reads and writes the value.
    restrictSecret(this.secret, { readers: [...props.readers, this.rotation.role.roleArn] });
  }

  /**
   * The schedule and the function's rights, written out rather than by `addRotationSchedule`, which
   * would add the function's role to the secrets key's policy and make the security stack depend on this one.
   */
  private scheduleRotation(days: number): void {
    const fn = this.rotation.function;
    const permission = new lambda.CfnPermission(this, 'SecretsManagerInvokes', {
      action: 'lambda:InvokeFunction',
      functionName: fn.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceArn: this.secret.secretArn,
    });
    this.rotation.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resources: [this.secret.secretArn],
      }),
    );
    this.rotation.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] }));
    this.rotation.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': this.secret.secretArn } },
      }),
    );
    const schedule = new secretsmanager.CfnRotationSchedule(this, 'Schedule', {
      secretId: this.secret.secretArn,
      rotationLambdaArn: fn.functionArn,
      rotationRules: { scheduleExpression: `rate(${Duration.days(days).toDays()} days)` },
    });
    schedule.node.addDependency(permission);
    schedule.node.addDependency(this.rotation.role);
  }

  /** GetSecretValue on this secret only, and decryption with its key only through Secrets Manager, for this secret. */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    return grantSecretValue(grantee, this.secret, this.key);
  }
}

/**
 * Reading one secret's value, written on the grantee's policy only: the key
 * (in the security stack) keeps its policy, so no stack comes to depend on the
 * grantee's. Decryption is held to Secrets Manager and to this secret's
 * encryption context.
 */
export function grantSecretValue(grantee: iam.IGrantable, secret: secretsmanager.ISecret, key: kms.IKey): iam.Grant {
  const grant = iam.Grant.addToPrincipal({ grantee, actions: ['secretsmanager:GetSecretValue'], resourceArns: [secret.secretArn] });
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['kms:Decrypt'],
    resourceArns: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secret.secretArn } },
  });
  return grant;
}
