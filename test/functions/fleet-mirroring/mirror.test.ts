import { AutoScalingClient, CompleteLifecycleActionCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateSubnetCommand,
  CreateTrafficMirrorFilterCommand,
  CreateTrafficMirrorTargetCommand,
  CreateVpcCommand,
  CreateNetworkInterfaceCommand,
  CreateTrafficMirrorSessionCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { FLEET_TAG, INSTANCE_TAG, type LifecycleAction, type MirrorSettings, onLifecycleAction, settingsFromEnvironment } from '../../../functions/fleet-mirroring/mirror';
import { resetMoto } from '../../helpers/moto';
import { MirrorSessionsOverMoto } from './session-fake';

const GROUP = 'sra-app-dev-FleetGroup-1A2B3C';
const FLEET = 'sra-app-dev';
const HOOKS = ['sra-app-dev-mirror-launch', 'sra-app-dev-mirror-terminate'];
const log = { info: () => undefined };

interface Account {
  ec2: MirrorSessionsOverMoto;
  moto: EC2Client;
  subnetId: string;
  settings: MirrorSettings;
}

async function account(): Promise<Account> {
  const server = await resetMoto();
  const moto = new EC2Client(server.clientConfig());
  const vpc = await moto.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const subnet = await moto.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.20.4.0/22' }));
  const subnetId = subnet.Subnet!.SubnetId!;
  const appliance = await moto.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Description: 'monitoring appliance' }));
  const target = await moto.send(new CreateTrafficMirrorTargetCommand({ NetworkInterfaceId: appliance.NetworkInterface!.NetworkInterfaceId! }));
  const filter = await moto.send(new CreateTrafficMirrorFilterCommand({ Description: 'all but intra-VPC' }));
  return {
    ec2: new MirrorSessionsOverMoto(moto),
    moto,
    subnetId,
    settings: { fleetName: FLEET, hookNames: HOOKS, targetId: target.TrafficMirrorTarget!.TrafficMirrorTargetId!, filterId: filter.TrafficMirrorFilter!.TrafficMirrorFilterId!, sessionNumber: 1, virtualNetworkId: 4242 },
  };
}

async function launch(a: Account): Promise<{ instanceId: string; eni: string }> {
  const run = await a.moto.send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 't4g.small', MinCount: 1, MaxCount: 1, SubnetId: a.subnetId }));
  const instance = run.Instances![0]!;
  return { instanceId: instance.InstanceId!, eni: instance.NetworkInterfaces!.find((n) => n.Attachment?.DeviceIndex === 0)!.NetworkInterfaceId! };
}

const action = (instanceId: string, transition: 'LAUNCHING' | 'TERMINATING', hook = HOOKS[transition === 'LAUNCHING' ? 0 : 1]!): LifecycleAction => ({
  AutoScalingGroupName: GROUP,
  LifecycleHookName: hook,
  LifecycleActionToken: `token-${instanceId}-${transition}`,
  EC2InstanceId: instanceId,
  LifecycleTransition: `autoscaling:EC2_INSTANCE_${transition}`,
});

/** CompleteLifecycleAction is not served by moto: a mock that accepts each token once, as Auto Scaling does. */
function autoScaling() {
  const mock = mockClient(AutoScalingClient);
  const completed = new Set<string>();
  mock.on(CompleteLifecycleActionCommand).callsFake((input: { LifecycleActionToken: string }) => {
    if (completed.has(input.LifecycleActionToken)) {
      throw Object.assign(new Error('No active Lifecycle Action found with token'), { name: 'ValidationError' });
    }
    completed.add(input.LifecycleActionToken);
    return {};
  });
  return { client: new AutoScalingClient({ region: 'eu-west-1' }), mock };
}

describe('fleet mirroring', () => {
  afterEach(() => mockClient(AutoScalingClient).restore());

  test('a launched instance gets one session from its primary interface to the target, and the launch continues', async () => {
    const a = await account();
    const { client, mock } = autoScaling();
    const { instanceId, eni } = await launch(a);
    const outcome = await onLifecycleAction({ ec2: a.ec2, autoscaling: client }, a.settings, action(instanceId, 'LAUNCHING'), log);

    const sessions = [...a.ec2.sessions.values()];
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      TrafficMirrorSessionId: outcome.created,
      NetworkInterfaceId: eni,
      TrafficMirrorTargetId: a.settings.targetId,
      TrafficMirrorFilterId: a.settings.filterId,
      SessionNumber: 1,
      VirtualNetworkId: 4242,
      Tags: expect.arrayContaining([{ Key: FLEET_TAG, Value: FLEET }, { Key: INSTANCE_TAG, Value: instanceId }]),
    });
    expect(mock.commandCalls(CompleteLifecycleActionCommand).map((c) => c.args[0].input)).toEqual([
      { AutoScalingGroupName: GROUP, LifecycleHookName: HOOKS[0], LifecycleActionToken: `token-${instanceId}-LAUNCHING`, InstanceId: instanceId, LifecycleActionResult: 'CONTINUE' },
    ]);
  });

  test('a repeated launch event keeps the session it made, and the already completed action is no error', async () => {
    const a = await account();
    const { client } = autoScaling();
    const { instanceId } = await launch(a);
    const first = await onLifecycleAction({ ec2: a.ec2, autoscaling: client }, a.settings, action(instanceId, 'LAUNCHING'), log);
    const again = await onLifecycleAction({ ec2: a.ec2, autoscaling: client }, a.settings, action(instanceId, 'LAUNCHING'), log);
    expect(again.kept).toBe(first.created);
    expect(a.ec2.sessions.size).toBe(1);
  });

  test('termination removes only this fleet\'s sessions on the instance, and repeats are harmless', async () => {
    const a = await account();
    const { client, mock } = autoScaling();
    const { instanceId, eni } = await launch(a);
    const other = await launch(a);
    await onLifecycleAction({ ec2: a.ec2, autoscaling: client }, a.settings, action(instanceId, 'LAUNCHING'), log);
    await onLifecycleAction({ ec2: a.ec2, autoscaling: client }, a.settings, action(other.instanceId, 'LAUNCHING'), log);
    // Someone else's session on the same interface (session number 2) is not ours to delete.
    await a.ec2.send(new CreateTrafficMirrorSessionCommand({ NetworkInterfaceId: eni, TrafficMirrorTargetId: a.settings.targetId, TrafficMirrorFilterId: a.settings.filterId, SessionNumber: 2 }));

    const outcome = await onLifecycleAction({ ec2: a.ec2, autoscaling: client }, a.settings, action(instanceId, 'TERMINATING'), log);
    expect(outcome.deleted).toHaveLength(1);
    const left = [...a.ec2.sessions.values()];
    expect(left.map((s) => [s.NetworkInterfaceId, s.SessionNumber])).toEqual([[other.eni, 1], [eni, 2]]);
    expect(mock.commandCalls(CompleteLifecycleActionCommand).at(-1)!.args[0].input).toMatchObject({ LifecycleHookName: HOOKS[1], LifecycleActionResult: 'CONTINUE' });

    expect((await onLifecycleAction({ ec2: a.ec2, autoscaling: client }, a.settings, action(instanceId, 'TERMINATING'), log)).deleted).toEqual([]);
  });

  test('an instance EC2 no longer describes is found by its session tag', async () => {
    const a = await account();
    const { client } = autoScaling();
    const { instanceId } = await launch(a);
    await onLifecycleAction({ ec2: a.ec2, autoscaling: client }, a.settings, action(instanceId, 'LAUNCHING'), log);
    await a.moto.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const forgetful = {
      send: (command: unknown) =>
        command instanceof DescribeInstancesCommand
          ? Promise.reject(Object.assign(new Error(`The instance ID '${instanceId}' does not exist`), { name: 'InvalidInstanceID.NotFound' }))
          : a.ec2.send(command),
    };
    const outcome = await onLifecycleAction({ ec2: forgetful, autoscaling: client }, a.settings, action(instanceId, 'TERMINATING'), log);
    expect(outcome).toMatchObject({ networkInterfaceId: undefined, deleted: [expect.stringMatching(/^tms-/)] });
    expect(a.ec2.sessions.size).toBe(0);
  });

  test('a wrong target is refused by EC2 and the lifecycle action stays open (the hook abandons the launch)', async () => {
    const a = await account();
    const { client, mock } = autoScaling();
    const { instanceId } = await launch(a);
    const settings = { ...a.settings, targetId: 'tmt-0123456789abcdef0' };
    await expect(onLifecycleAction({ ec2: a.ec2, autoscaling: client }, settings, action(instanceId, 'LAUNCHING'), log)).rejects.toThrow(/traffic mirror target 'tmt-0123456789abcdef0' does not exist/);
    expect(mock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
  });

  test('an unknown instance is an error, not a silent success', async () => {
    const a = await account();
    const { client } = autoScaling();
    await expect(onLifecycleAction({ ec2: a.ec2, autoscaling: client }, a.settings, action('i-0123456789abcdef0', 'LAUNCHING'), log)).rejects.toThrow(/instance i-0123456789abcdef0 not found/);
  });

  test('another hook\'s event is refused', async () => {
    const a = await account();
    const { client } = autoScaling();
    await expect(onLifecycleAction({ ec2: a.ec2, autoscaling: client }, a.settings, action('i-0123456789abcdef0', 'LAUNCHING', 'other-hook'), log)).rejects.toThrow(/lifecycle hook other-hook of .* is not one of sra-app-dev's/);
  });

  test('settings come from the environment, naming what is missing', () => {
    expect(() => settingsFromEnvironment({ FLEET_NAME: 'f' })).toThrow(/environment variables missing: HOOK_NAMES, TARGET_ID, FILTER_ID, SESSION_NUMBER/);
    expect(settingsFromEnvironment({ FLEET_NAME: 'f', HOOK_NAMES: 'a,b', TARGET_ID: 'tmt-1', FILTER_ID: 'tmf-1', SESSION_NUMBER: '3' })).toEqual({ fleetName: 'f', hookNames: ['a', 'b'], targetId: 'tmt-1', filterId: 'tmf-1', sessionNumber: 3, virtualNetworkId: undefined });
  });
});
