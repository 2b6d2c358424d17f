import { Aws, Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { addStatements, eventDeliveryKeyStatements } from './service-delivery-policies';

/** How EventBridge retries a target before giving the event to its dead-letter queue. */
export interface RetryPolicy {
  /** 0–185. */
  readonly attempts: number;
  /** 60 seconds to 24 hours. */
  readonly maxEventAge: Duration;
}

export interface DeliveryOptions {
  readonly deadLetterQueue: sqs.IQueue;
  /** Unset only for targets whose retry policy EventBridge does not let us set (event buses: 24 hours, 185 attempts). */
  readonly retry?: RetryPolicy;
}

/**
 * Wraps a target so that every rule it is added to, in any stack of the
 * account, retries it as given and sends what still fails to its dead-letter
 * queue. The queue's policy admits the account's rules as a whole (see
 * `eventDeadLetterQueue`), so sharing the target across stacks creates no
 * reference back to each rule.
 */
export class DeliveredTarget implements events.IRuleTarget {
  constructor(
    private readonly inner: events.IRuleTarget,
    private readonly options: DeliveryOptions,
  ) {}

  bind(rule: events.IRuleRef, id?: string): events.RuleTargetConfig {
    const config = this.inner.bind(rule, id);
    const retry = this.options.retry;
    return {
      ...config,
      deadLetterConfig: { arn: this.options.deadLetterQueue.queueArn },
      retryPolicy: retry ? { maximumRetryAttempts: retry.attempts, maximumEventAgeInSeconds: retry.maxEventAge.toSeconds() } : config.retryPolicy,
    };
  }
}

/**
 * An SNS topic as a target, without the L2 target's unconditional grant to
 * every EventBridge rule in AWS: the topic's own policy admits this account's
 * EventBridge only.
 */
export class PolicyGovernedTopic implements events.IRuleTarget {
  constructor(private readonly topic: sns.ITopic) {}

  bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, targetResource: this.topic };
  }
}

/**
 * A dead-letter queue for EventBridge targets: KMS-encrypted (the key must
 * admit EventBridge, see `eventDeliveryKeyStatements`: added here to a key of
 * this app, its owner's to add to a central key), TLS only, 14 days to
 * inspect and redrive, and writable only by EventBridge rules of this account.
 */
export function eventDeadLetterQueue(scope: Construct, id: string, key: kms.IKey, what: string): sqs.Queue {
  // Without it the queue accepts nothing: EventBridge sends as itself and SQS encrypts with the key on its behalf.
  addStatements(key, eventDeliveryKeyStatements());
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  queue.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'EventBridgeRulesOfThisAccount',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/*` },
      },
    }),
  );
  acknowledge(queue, {
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter queue of ${what}; a dead-letter queue of a dead-letter queue would only move the same events`,
  });
  return queue;
}
