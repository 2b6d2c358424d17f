import { Duration } from 'aws-cdk-lib';
import { STEP_TIMEOUT, UNTRACK_WAIT_STATE } from '../../src/constructs/response/workflow-definitions';
import { containmentTimes } from '../../tools/containment-time';
import { synthesizeExample } from '../helpers/app';

describe('time to containment by design (tools/containment-time.ts)', () => {
  const [isolation, ...others] = containmentTimes(Object.values(synthesizeExample('dev').json));

  test('reads the one isolation workflow, along its happy path to Contained', () => {
    expect(others).toEqual([]);
    expect(isolation!.stateMachine).toMatch(/-incident-isolation$/);
    const names = isolation!.path.map((s) => s.name);
    expect(names[0]).toBe('OpenCase');
    expect(names.at(-1)).toBe('Contained');
    expect(names.indexOf('DenyInNetworkAcls')).toBeLessThan(names.indexOf(UNTRACK_WAIT_STATE));
    expect(names).not.toContain('NotifyFailure');
  });

  test('the floor is the untrack wait; the bounds add each task timeout, once and with every retry', () => {
    const tasks = isolation!.path.filter((s) => s.type === 'Task');
    const wait = isolation!.path.find((s) => s.name === UNTRACK_WAIT_STATE)!.waitSeconds;
    expect(wait).toBeGreaterThan(0);
    expect(isolation!.waitSeconds).toBe(wait);
    expect(isolation!.firstAttemptSeconds).toBe(wait + tasks.length * STEP_TIMEOUT.toSeconds());
    // 1 attempt + 8 throttling retries + 2 other retries, each up to the step timeout, plus the backoff delays (1..8 s capped; 1, 2 s).
    const perTask = 11 * STEP_TIMEOUT.toSeconds() + (1 + 2 + 4 + 8 * 5) + (1 + 2);
    expect(isolation!.worstCaseSeconds).toBe(wait + tasks.length * perTask);
    expect(Duration.seconds(isolation!.worstCaseSeconds).toMinutes()).toBeLessThan(120);
  });
});
