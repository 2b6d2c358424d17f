import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Moto } from './moto';

/** A sample event as EventBridge receives it: its source, detail type and detail. */
export interface SampleEvent {
  readonly name: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

/**
 * Which of `samples` an EventBridge rule with `pattern` delivers, evaluated by moto's EventBridge over
 * real HTTP: the pattern becomes a rule with an SQS target, each sample is put on the default bus, and
 * the names of the samples that reach the queue are returned.
 */
export async function delivered(moto: Moto, ruleName: string, pattern: unknown, samples: readonly SampleEvent[]): Promise<string[]> {
  const events = new EventBridgeClient(moto.clientConfig());
  const sqs = new SQSClient(moto.clientConfig());
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${ruleName}-matched` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await events.send(new PutRuleCommand({ Name: ruleName, EventPattern: JSON.stringify(pattern), State: 'ENABLED' }));
  await events.send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: 'matched', Arn: Attributes!.QueueArn! }] }));
  for (const sample of samples) {
    const { FailedEntryCount } = await events.send(
      new PutEventsCommand({ Entries: [{ Source: sample.source, DetailType: sample.detailType, Detail: JSON.stringify({ ...sample.detail, sampleName: sample.name }) }] }),
    );
    if (FailedEntryCount) throw new Error(`sample ${sample.name} was refused`);
  }
  const names: string[] = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!Messages?.length) break;
    for (const m of Messages) names.push((JSON.parse(m.Body!) as { detail: { sampleName: string } }).detail.sampleName);
  }
  return names.sort();
}
