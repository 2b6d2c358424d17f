import { Aws, Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import { DeliveredTarget, eventDeadLetterQueue, PolicyGovernedTopic, type RetryPolicy } from './event-delivery';
import * as patterns from './finding-patterns';
import { FindingWebhook, type FindingWebhookProps } from './finding-webhook';
import { addStatements, eventDeliveryKeyStatements } from './service-delivery-policies';

export interface FindingsRoutingProps {
  /**
   * Encrypts the topic and every dead-letter queue. Its policy must let
   * EventBridge and CloudWatch of this account use it
   * (`eventDeliveryKeyStatements`, added here for a key of this stack).
   */
  readonly key: kms.IKey;
  /** Addresses subscribed to the topic; each must confirm the subscription. @default - none */
  readonly emails?: readonly string[];
  /** GuardDuty findings at or above this severity are routed (4 medium, 7 high, 9 critical). @default 7 */
  readonly guardDutyMinimumSeverity?: number;
  /**
   * Also send every routed event to this event bus of the security account.
   * Its resource policy must admit this account's `events:PutEvents`.
   * @default - not forwarded
   */
  readonly centralEventBusArn?: string;
  /** Also post every routed event to a webhook (chat, ticketing). @default - no webhook */
  readonly webhook?: FindingWebhookProps;
  /** Route root-user activity. Turn off when `AccountGuardrails` already alerts the same targets. @default true */
  readonly routeRootActivity?: boolean;
  /** How EventBridge retries the topic and the webhook before their dead-letter queues. @default 185 attempts within 24 hours */
  readonly retry?: RetryPolicy;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 185, maxEventAge: Duration.hours(24) };

/**
 * The Security Pillar's "integrate auditing controls with notification and
 * workflow": EventBridge rules for the findings and changes the security team
 * must act on (GuardDuty, Security Hub, Inspector, Access Analyzer, Config
 * non-compliance, expiring certificates, failed secret rotations, root
 * activity, trail alarms), each sent to an encrypted SNS topic and optionally
 * to the security account's event bus and a webhook. Every target has its own
 * dead-letter queue and an explicit retry policy.
 */
export class FindingsRouting extends Construct {
  /** Encrypted topic that admits only this account's EventBridge and CloudWatch, over TLS. */
  readonly topic: sns.Topic;
  /** The webhook function, when one is configured. */
  readonly webhook?: FindingWebhook;
  private readonly created: events.Rule[] = [];
  private readonly all: events.IRuleTarget[] = [];
  /** Targets that alarms do not already reach through their own actions. */
  private readonly forwarding: events.IRuleTarget[] = [];

  constructor(scope: Construct, id: string, props: FindingsRoutingProps) {
    super(scope, id);
    const retry = props.retry ?? DEFAULT_RETRY;
    addStatements(props.key, eventDeliveryKeyStatements());
    this.topic = this.createTopic(props);
    this.all.push(new DeliveredTarget(new PolicyGovernedTopic(this.topic), { deadLetterQueue: eventDeadLetterQueue(this, 'TopicDeadLetters', props.key, 'the findings topic target'), retry }));

    if (props.centralEventBusArn) {
      const role = new ManagedPolicyRole(this, 'CentralBusRole', {
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } }),
        description: 'EventBridge: forward security events to the security account event bus',
      });
      const bus = events.EventBus.fromEventBusArn(this, 'CentralBus', props.centralEventBusArn);
      // EventBridge takes no retry policy for event-bus targets: its own 24 hours and 185 attempts apply.
      this.forwarding.push(new DeliveredTarget(new targets.EventBus(bus, { role }), { deadLetterQueue: eventDeadLetterQueue(this, 'CentralBusDeadLetters', props.key, 'the central event bus target') }));
    }
    if (props.webhook) {
      this.webhook = new FindingWebhook(this, 'Webhook', props.webhook);
      const deadLetterQueue = eventDeadLetterQueue(this, 'WebhookDeadLetters', props.key, 'the webhook function target');
      this.forwarding.push(new DeliveredTarget(new targets.LambdaFunction(this.webhook.function.function), { deadLetterQueue, retry }));
    }
    this.all.push(...this.forwarding);

    this.route('GuardDutyFindings', patterns.guardDutyFindings(props.guardDutyMinimumSeverity ?? 7), 'GuardDuty findings at or above the severity threshold');
    this.route('SecurityHubFindings', patterns.securityHubFindings(), 'New, active HIGH and CRITICAL Security Hub findings');
    this.route('InspectorFindings', patterns.inspectorFindings(), 'Active HIGH and CRITICAL Amazon Inspector findings');
    this.route('AccessAnalyzerFindings', patterns.accessAnalyzerFindings(), 'Active IAM Access Analyzer findings');
    this.route('ConfigNonCompliant', patterns.configNonCompliance(), 'AWS Config rule compliance changed to NON_COMPLIANT');
    this.route('CertificateExpiry', patterns.certificateExpiry(), 'ACM certificate approaching expiration');
    this.route('SecretRotationFailed', patterns.secretRotationFailures(), 'Secrets Manager rotation failed');
    this.route('KeyAndSecretChanges', patterns.keyAndSecretChanges(), 'Key policy, key state or rotation, secret policy, rotation or deletion changed');
    this.route('KeyGrantsByPrincipals', patterns.keyGrantsByPrincipals(), 'A KMS grant created by a principal rather than by an AWS service for a resource');
    this.route('KeyAndSecretConfigurationChanges', patterns.keyAndSecretConfigurationChanges(), 'AWS Config recorded a change to a secret or a key');
    if (props.routeRootActivity ?? true) this.route('RootActivity', patterns.rootActivity(), 'Root user activity');
  }

  /** Every rule this construct has created, `route` and `forwardAlarms` included. */
  get rules(): readonly events.Rule[] {
    return [...this.created];
  }

  /** Sends events matching `pattern` to every target. */
  route(id: string, pattern: events.EventPattern, description?: string): events.Rule {
    return this.addRule(id, pattern, description, this.all);
  }

  /**
   * Forwards alarms entering ALARM (e.g. `AuditTrail.alarms`) to the central
   * bus and the webhook. Not to the topic: the alarms' own actions publish
   * there. Nothing is created when neither is configured.
   */
  forwardAlarms(alarms: readonly cloudwatch.IAlarm[], id = 'TrailAlarms'): events.Rule | undefined {
    if (!alarms.length || !this.forwarding.length) return undefined;
    return this.addRule(id, patterns.alarmsRaised(alarms.map((a) => a.alarmArn)), 'Alarms entering ALARM', this.forwarding);
  }

  /** The targets (topic, and the central bus and webhook when configured), each with its dead-letter queue and retry policy, for rules built elsewhere. */
  target(): events.IRuleTarget[] {
    return [...this.all];
  }

  private addRule(id: string, eventPattern: events.EventPattern, description: string | undefined, to: readonly events.IRuleTarget[]): events.Rule {
    const rule = new events.Rule(this, id, { eventPattern, description, targets: [...to] });
    this.created.push(rule);
    return rule;
  }

  private createTopic(props: FindingsRoutingProps): sns.Topic {
    const topic = new sns.Topic(this, 'Topic', { displayName: 'Security findings', masterKey: props.key, enforceSSL: true });
    const fromThisAccount = (service: string, sourceArn: string) =>
      new iam.PolicyStatement({
        sid: `${service === 'events' ? 'EventBridge' : 'CloudWatchAlarms'}OfThisAccount`,
        principals: [new iam.ServicePrincipal(`${service}.amazonaws.com`)],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnLike: { 'aws:SourceArn': sourceArn } },
      });
    topic.addToResourcePolicy(fromThisAccount('events', `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/*`));
    topic.addToResourcePolicy(fromThisAccount('cloudwatch', `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`));
    for (const email of props.emails ?? []) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error(`${this.node.path}: "${email}" is not an email address`);
      topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    return topic;
  }
}
