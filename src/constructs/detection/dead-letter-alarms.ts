import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterAlarmsProps {
  /** Where each alarm goes, e.g. `FindingsRouting.topic`; an encrypted topic's key must admit CloudWatch. */
  readonly topic: sns.ITopic;
}

/**
 * One alarm per dead-letter queue: a message in it is an event or invocation
 * that was lost to its consumer (a finding not notified, a workflow not
 * started, a rotation not done), so the first one alerts.
 */
export class DeadLetterAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: DeadLetterAlarmsProps,
  ) {
    super(scope, id);
  }

  /** Alarms when `queue` holds any message. */
  watch(queue: sqs.IQueue, id: string): cloudwatch.Alarm {
    const alarm = queue
      .metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5) })
      .createAlarm(this, id, {
        alarmDescription: `Undelivered messages in the dead-letter queue ${queue.node.path}`,
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    alarm.addAlarmAction(new actions.SnsAction(this.props.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  /** Watches every queue created under `scope` (this app's queues are all dead-letter queues). */
  watchAll(scope: Construct): void {
    for (const queue of scope.node.findAll().filter((c): c is sqs.Queue => c instanceof sqs.Queue)) {
      const path = queue.node.path.slice(Stack.of(queue).node.path.length + 1);
      this.watch(queue, path.replace(/[^A-Za-z0-9]/g, ''));
    }
  }
}
