import { synthesizeExample, type Synthesized } from '../../helpers/app';

/**
 * Template walks over the whole stage: every encrypted queue alarms when it holds a message,
 * and every principal allowed to send to one can use its key.
 */
type Resource = { Type: string; Properties?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Principal?: any; Resource?: unknown; Condition?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

const text = (v: unknown) => JSON.stringify(v) ?? '';
const actionsOf = (s: Statement) => [s.Action].flat();

function all(json: Synthesized['json']): [string, string, Resource][] {
  return Object.entries(json).flatMap(([stack, t]) => Object.entries(t.Resources).map(([id, r]) => [stack, id, r as Resource] as [string, string, Resource]));
}

/** The logical id a reference points at, whether in the same stack (Ref, GetAtt) or another (GetStackOutput names it). */
function pointsAt(reference: unknown, logicalId: string): boolean {
  const t = text(reference);
  return t.includes(`"${logicalId}"`) || new RegExp(`"OutputName":"PublishOutput(Ref|FnGetAtt)${logicalId}`).test(t);
}

describe.each(['dev', 'prod'] as const)('dead-letter queues (%s)', (name) => {
  const { json } = synthesizeExample(name);
  const resources = all(json);
  const queues = resources.filter(([, , r]) => r.Type === 'AWS::SQS::Queue');
  const alarms = resources.filter(([, , r]) => r.Type === 'AWS::CloudWatch::Alarm').map(([, , r]) => r.Properties!);

  test('every encrypted queue has an alarm on its first visible message, sent to the findings topic', () => {
    expect(queues.length).toBeGreaterThanOrEqual(4);
    for (const [stack, id, queue] of queues) {
      expect([id, queue.Properties!.KmsMasterKeyId !== undefined]).toEqual([id, true]);
      const alarm = alarms.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && pointsAt(a.Dimensions, id));
      expect([stack, id, alarm !== undefined]).toEqual([stack, id, true]);
      expect(alarm).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
      expect(text(alarm!.AlarmActions)).toMatch(/RoutingTopic/);
    }
  });
});

describe('who may send to a dead-letter queue may use its key (dev, keys of this app)', () => {
  const { json } = synthesizeExample('dev');
  const resources = all(json);
  const keys = resources.filter(([, , r]) => r.Type === 'AWS::KMS::Key');
  const queueKey = (queueId: string) => {
    const [, , queue] = resources.find(([, id, r]) => id === queueId && r.Type === 'AWS::SQS::Queue')!;
    const ref = queue.Properties!.KmsMasterKeyId;
    const key = keys.find(([, id]) => pointsAt(ref, id));
    expect([queueId, key !== undefined]).toEqual([queueId, true]);
    return { ref, statements: key![2].Properties!.KeyPolicy.Statement as Statement[] };
  };
  const queueOf = (arn: unknown) => resources.find(([, id, r]) => r.Type === 'AWS::SQS::Queue' && pointsAt(arn, id))![1];

  test('a function\'s role may encrypt for its dead-letter queue, through SQS, and the key admits that', () => {
    const functions = resources.filter(([, , r]) => r.Type === 'AWS::Lambda::Function' && r.Properties!.DeadLetterConfig);
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const [stack, id, fn] of functions) {
      const roleId = fn.Properties!.Role['Fn::GetAtt'][0] as string;
      const { ref, statements } = queueKey(queueOf(fn.Properties!.DeadLetterConfig.TargetArn));
      const policies = resources.filter(([s, , r]) => s === stack && /^AWS::IAM::(Managed)?Policy$/.test(r.Type) && text(r.Properties!.Roles).includes(`"${roleId}"`));
      const grants = policies.flatMap(([, , p]) => p.Properties!.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === 'Allow' && text(s.Resource).includes(text(ref)));
      const actions = grants.flatMap(actionsOf);
      expect([id, actions.includes('kms:GenerateDataKey') && actions.includes('kms:Decrypt')]).toEqual([id, true]);
      const viaSqs = statements.some((s) => s.Effect === 'Allow' && text(s.Principal).includes(':root') && actionsOf(s).includes('kms:GenerateDataKey*') && text(s.Condition).includes('"sqs.'));
      expect([id, viaSqs]).toEqual([id, true]);
    }
  });

  test('EventBridge may encrypt for every target dead-letter queue, for rules of this account only', () => {
    const targets = resources.flatMap(([, id, r]) =>
      r.Type === 'AWS::Events::Rule' ? (r.Properties!.Targets as { DeadLetterConfig?: { Arn: unknown } }[]).filter((t) => t.DeadLetterConfig).map((t) => [id, t.DeadLetterConfig!.Arn] as const) : [],
    );
    expect(targets.length).toBeGreaterThanOrEqual(5);
    for (const [rule, arn] of targets) {
      const { statements } = queueKey(queueOf(arn));
      const events = statements.find((s) => s.Effect === 'Allow' && text(s.Principal?.Service).includes('events.amazonaws.com'));
      expect([rule, events !== undefined]).toEqual([rule, true]);
      expect(actionsOf(events!)).toEqual(expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']));
      expect(text(events!.Condition.ArnLike['aws:SourceArn'])).toContain(':rule/*');
      expect(events!.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    }
  });
});
