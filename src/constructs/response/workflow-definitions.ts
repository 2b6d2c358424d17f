import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** Error names the step function throws (functions/incident-shared/errors.ts). */
export const THROTTLED = 'IncidentThrottled';
export const REFUSED = 'IncidentRefused';

/** Names of the Wait states, so tests can shorten them. */
export const UNTRACK_WAIT_STATE = 'WaitUntilUntracked';

/** Per-attempt limit of a step; the function's own timeout sits just under it. */
export const STEP_TIMEOUT = Duration.seconds(60);

/**
 * One Task per step, all invoking the same function with `{ step, ... }`.
 * Retry: throttling (ours and Lambda's) with exponential backoff and full
 * jitter; any other failure twice more (a transient error heals, and every step
 * is idempotent); a refusal never. Catch: everything, to the failure path.
 */
function stepTask(scope: Construct, fn: lambda.IFunction, id: string, step: string, payload: Record<string, unknown>, resultPath: string): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject({ step, ...payload }),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath,
    taskTimeout: sfn.Timeout.duration(STEP_TIMEOUT),
  });
  task.addRetry({ errors: [REFUSED], maxAttempts: 0 });
  task.addRetry({
    errors: [THROTTLED, 'Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
    interval: Duration.seconds(1),
    backoffRate: 2,
    maxAttempts: 8,
    maxDelay: Duration.seconds(8),
    jitterStrategy: sfn.JitterType.FULL,
  });
  task.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 2 });
  return task;
}

const CASE = { 'case.$': '$.case' };

export interface IsolationDefinitionProps {
  readonly fn: lambda.IFunction;
  readonly untrackWaitSeconds: number;
  readonly memoryCapture: boolean;
}

/**
 * The isolation workflow. Order: open the case; freeze; out of the Auto Scaling
 * group and target groups; ACL deny entries; credentials; untrack group, Wait,
 * (memory capture,) isolation group; evidence; notify. Any failure runs the
 * failure path: network containment again (it only adds), then a notification
 * of what was done and what was not, then Fail.
 */
export function isolationDefinition(scope: Construct, props: IsolationDefinitionProps): sfn.IChainable {
  const step = (id: string, name: string, payload: Record<string, unknown>, resultPath: string) => stepTask(scope, props.fn, id, name, payload, resultPath);
  const input = { 'input.$': '$$.Execution.Input' };

  const failed = new sfn.Fail(scope, 'ContainmentFailed', { error: 'IncidentContainmentFailed', cause: 'A step failed; the failure notification lists what was done and what was not' });
  const notifyFailed = step('NotifyFailure', 'notify', { outcome: 'failed', workflow: 'isolation', 'state.$': '$', ...input }, '$.results.notify');
  notifyFailed.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.notifyError' });
  notifyFailed.next(failed);
  const containAfterFailure = step('ContainAfterFailure', 'contain-after-failure', { 'state.$': '$', ...input }, '$.results.containAfterFailure');
  containAfterFailure.addCatch(notifyFailed, { errors: ['States.ALL'], resultPath: '$.failsafeError' });
  containAfterFailure.next(notifyFailed);
  const guarded = (task: tasks.LambdaInvoke) => task.addCatch(containAfterFailure, { errors: ['States.ALL'], resultPath: '$.error' });

  const openCase = guarded(step('OpenCase', 'open-case', { 'input.$': '$', 'executionName.$': '$$.Execution.Name' }, '$.case'));
  const notifyAlready = step('NotifyAlreadyUnderCase', 'notify', { outcome: 'already-under-case', workflow: 'isolation', 'state.$': '$', ...input }, '$.results.notify');
  const contained = step('NotifyContained', 'notify', { outcome: 'contained', workflow: 'isolation', 'state.$': '$', ...input }, '$.results.notify');
  contained.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.notifyError' });
  notifyAlready.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.notifyError' });

  let chain = guarded(step('Freeze', 'freeze', CASE, '$.results.freeze'))
    .next(guarded(step('Detach', 'detach', CASE, '$.results.detach')))
    .next(guarded(step('DenyInNetworkAcls', 'nacl-contain', CASE, '$.results.naclContain')))
    .next(guarded(step('RevokeCredentials', 'revoke-credentials', CASE, '$.results.revokeCredentials')))
    .next(guarded(step('UntrackGroup', 'sg-untrack', CASE, '$.results.sgUntrack')))
    .next(new sfn.Wait(scope, UNTRACK_WAIT_STATE, { time: sfn.WaitTime.duration(Duration.seconds(props.untrackWaitSeconds)) }));
  if (props.memoryCapture) chain = chain.next(guarded(step('CaptureMemory', 'capture-memory', CASE, '$.results.captureMemory')));
  chain = chain
    .next(guarded(step('IsolationGroup', 'sg-isolate', CASE, '$.results.sgIsolate')))
    .next(guarded(step('CollectEvidence', 'collect-evidence', CASE, '$.results.collectEvidence')))
    .next(contained)
    .next(new sfn.Succeed(scope, 'Contained'));

  return openCase.next(
    new sfn.Choice(scope, 'UnderAnotherCase')
      .when(sfn.Condition.isPresent('$.case.alreadyUnderCase'), notifyAlready.next(new sfn.Succeed(scope, 'LeftToTheOpenCase')))
      .otherwise(chain),
  );
}

/** The release workflow: one verified step, then the notification; a refusal or failure notifies and fails. */
export function releaseDefinition(scope: Construct, fn: lambda.IFunction): sfn.IChainable {
  const step = (id: string, name: string, payload: Record<string, unknown>, resultPath: string) => stepTask(scope, fn, id, name, payload, resultPath);
  const input = { 'input.$': '$$.Execution.Input' };
  const failed = new sfn.Fail(scope, 'ReleaseFailed', { error: 'IncidentReleaseFailed', cause: 'Release refused or failed; see the notification' });
  const notifyFailed = step('NotifyReleaseFailure', 'notify', { outcome: 'release-failed', workflow: 'release', 'state.$': '$', ...input }, '$.results.notify');
  notifyFailed.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.notifyError' });
  notifyFailed.next(failed);
  const release = step('Release', 'release', { 'input.$': '$' }, '$.results.release');
  release.addCatch(notifyFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  const released = step('NotifyReleased', 'notify', { outcome: 'released', workflow: 'release', 'state.$': '$', ...input }, '$.results.notify');
  released.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.notifyError' });
  return release.next(released).next(new sfn.Succeed(scope, 'Released'));
}
