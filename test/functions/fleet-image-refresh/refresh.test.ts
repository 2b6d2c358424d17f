import { AutoScalingClient, InstanceRefreshInProgressFault, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { createRefresh, type RefreshSettings } from '../../../functions/fleet-image-refresh/refresh';

// moto (5.x) does not serve StartInstanceRefresh, so the Auto Scaling client is mocked at the SDK boundary.
const autoscaling = mockClient(AutoScalingClient);
const log = { info: jest.fn(), warn: jest.fn() } as unknown as Parameters<typeof createRefresh>[2];
const settings: RefreshSettings = { groupName: 'sra-app-dev-fleet', parameterName: '/sra-app/dev/fleet/image-id', minHealthyPercentage: 100, instanceWarmupSeconds: 300 };
const changed = (name = settings.parameterName, operation = 'Update') => ({ 'detail-type': 'Parameter Store Change', detail: { name, operation } });

beforeEach(() => autoscaling.reset());

describe('fleet image refresh', () => {
  test('a change of the image parameter starts a rolling refresh that launches before terminating and leaves Standby instances alone', async () => {
    autoscaling.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'r-1' });
    const result = await createRefresh(new AutoScalingClient({ region: 'eu-west-1' }), settings, log)(changed());
    expect(result).toEqual({ status: 'started', instanceRefreshId: 'r-1' });
    const calls = autoscaling.commandCalls(StartInstanceRefreshCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      AutoScalingGroupName: 'sra-app-dev-fleet',
      Strategy: 'Rolling',
      Preferences: {
        MinHealthyPercentage: 100,
        MaxHealthyPercentage: 200,
        InstanceWarmup: 300,
        SkipMatching: false,
        StandbyInstances: 'Ignore',
        ScaleInProtectedInstances: 'Ignore',
      },
    });
  });

  test('a lower healthy share keeps the launch-before-terminate window within 100 points', async () => {
    autoscaling.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'r-2' });
    await createRefresh(new AutoScalingClient({ region: 'eu-west-1' }), { ...settings, minHealthyPercentage: 90 }, log)(changed());
    const prefs = autoscaling.commandCalls(StartInstanceRefreshCommand)[0]!.args[0].input.Preferences!;
    expect([prefs.MinHealthyPercentage, prefs.MaxHealthyPercentage]).toEqual([90, 190]);
  });

  test.each([
    ['another parameter', changed('/other/parameter')],
    ['a deletion', changed(settings.parameterName, 'Delete')],
    ['an event without detail', { 'detail-type': 'Parameter Store Change' }],
  ])('%s starts nothing', async (_name, event) => {
    const result = await createRefresh(new AutoScalingClient({ region: 'eu-west-1' }), settings, log)(event);
    expect(result.status).toBe('ignored');
    expect(autoscaling.commandCalls(StartInstanceRefreshCommand)).toHaveLength(0);
  });

  test('a refresh already running is reported, not failed', async () => {
    autoscaling.on(StartInstanceRefreshCommand).rejects(new InstanceRefreshInProgressFault({ message: 'An Instance Refresh is already in progress', $metadata: {} }));
    const result = await createRefresh(new AutoScalingClient({ region: 'eu-west-1' }), settings, log)(changed());
    expect(result).toEqual({ status: 'already-running' });
  });

  test('any other error fails the invocation with the group named (EventBridge retries, then the dead-letter queue keeps it)', async () => {
    autoscaling.on(StartInstanceRefreshCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    await expect(createRefresh(new AutoScalingClient({ region: 'eu-west-1' }), settings, log)(changed())).rejects.toThrow(/StartInstanceRefresh on sra-app-dev-fleet failed: User is not authorized/);
  });

  test.each([49, 101, 75.5])('a healthy share of %s is refused at start', (min) => {
    expect(() => createRefresh(new AutoScalingClient({ region: 'eu-west-1' }), { ...settings, minHealthyPercentage: min }, log)).toThrow(/MIN_HEALTHY_PERCENTAGE/);
  });
});
