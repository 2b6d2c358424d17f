import { Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { WebhookFormat } from '../../../functions/finding-notifier/format';
import { SecureFunction } from '../lambda/secure-function';

const ENTRY = join(__dirname, '..', '..', '..', 'functions', 'finding-notifier', 'handler.ts');

export interface FindingWebhookProps {
  /** Secret holding `{"url": "https://...", "authorization"?: "..."}`; the function may read this secret and nothing else. */
  readonly secret: secretsmanager.ISecret;
  /** Key that encrypts the secret; the function may decrypt with it only through Secrets Manager, for this secret. */
  readonly secretKey: kms.IKey;
  /** Message shape the webhook expects. */
  readonly format: WebhookFormat;
  /** The workload VPC. */
  readonly vpc: ec2.IVpc;
  /** Private subnets with a path to Secrets Manager and to the webhook's host (NAT). */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the function's environment and its dead-letter queue. */
  readonly key: kms.IKey;
  /** Encrypts the function's log group. */
  readonly logsKey: kms.IKey;
  /** Days the function's logs are kept (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Lambda retries an event twice, for at most this long, before its dead-letter queue. @default 6 hours */
  readonly maxEventAge?: Duration;
}

/**
 * The finding-notifier handler deployed as a SecureFunction: posts each
 * routed event to a chat or ticketing webhook whose URL is a secret.
 * Asynchronous invocations are retried twice, then land in the function's
 * KMS-encrypted dead-letter queue.
 */
export class FindingWebhook extends Construct {
  readonly function: SecureFunction;

  constructor(scope: Construct, id: string, props: FindingWebhookProps) {
    super(scope, id);
    this.function = new SecureFunction(this, 'Notifier', {
      entry: ENTRY,
      description: 'Posts security findings to the webhook',
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      timeout: Duration.seconds(60),
      environment: { WEBHOOK_SECRET_ARN: props.secret.secretArn, WEBHOOK_FORMAT: props.format },
      calls: ['secretsmanager'],
      // The host is in the secret, so it cannot be named here; a Network Firewall allow-list can pin it.
      internet: ['the findings webhook (URL in its secret)'],
    });
    this.function.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: props.maxEventAge ?? Duration.hours(6) });

    // Written out rather than `secret.grantRead`, which adds DescribeSecret and, for a secret it knows the key of, a broader decrypt.
    const secretArn = props.secret.secretFullArn ?? `${props.secret.secretArn}-??????`;
    this.function.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }));
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.secretKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` }, StringLike: { 'kms:EncryptionContext:SecretARN': secretArn } },
      }),
    );
  }
}
