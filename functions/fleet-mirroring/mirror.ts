import type { Logger } from '@aws-lambda-powertools/logger';
import { CompleteLifecycleActionCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import {
  CreateTrafficMirrorSessionCommand,
  DeleteTrafficMirrorSessionCommand,
  DescribeInstancesCommand,
  DescribeTrafficMirrorSessionsCommand,
  type EC2Client,
  type TrafficMirrorSession,
} from '@aws-sdk/client-ec2';

/** What the function reads from its environment: the mirror target, filter and session settings, and its fleet. */
export interface MirrorSettings {
  /** The fleet's name, tagged on every session it creates. */
  readonly fleetName: string;
  /** The fleet's launch and terminate hooks: the only lifecycle actions this function acts on. */
  readonly hookNames: readonly string[];
  readonly targetId: string;
  readonly filterId: string;
  readonly sessionNumber: number;
  readonly virtualNetworkId?: number;
}

/** The tag that marks a session as this fleet's: only such sessions are ever deleted (the role's policy says the same). */
export const FLEET_TAG = 'sra:mirror-fleet';
export const INSTANCE_TAG = 'sra:mirror-instance';

/** The detail of EventBridge's "EC2 Instance-launch/terminate Lifecycle Action" events. */
export interface LifecycleAction {
  readonly AutoScalingGroupName: string;
  readonly LifecycleHookName: string;
  readonly LifecycleActionToken: string;
  readonly EC2InstanceId: string;
  readonly LifecycleTransition: string;
}

export interface Clients {
  readonly ec2: Pick<EC2Client, 'send'>;
  readonly autoscaling: Pick<AutoScalingClient, 'send'>;
}

export type Log = Pick<Logger, 'info'>;

export type Outcome = { readonly instanceId: string; readonly networkInterfaceId?: string; readonly created?: string; readonly kept?: string; readonly deleted?: readonly string[] };

export function settingsFromEnvironment(env: NodeJS.ProcessEnv): MirrorSettings {
  const missing = ['FLEET_NAME', 'HOOK_NAMES', 'TARGET_ID', 'FILTER_ID', 'SESSION_NUMBER'].filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`environment variables missing: ${missing.join(', ')}`);
  return {
    fleetName: env.FLEET_NAME!,
    hookNames: env.HOOK_NAMES!.split(','),
    targetId: env.TARGET_ID!,
    filterId: env.FILTER_ID!,
    sessionNumber: Number(env.SESSION_NUMBER),
    virtualNetworkId: env.VIRTUAL_NETWORK_ID ? Number(env.VIRTUAL_NETWORK_ID) : undefined,
  };
}

/**
 * One lifecycle action of the fleet: at launch, a mirror session from the
 * instance's primary network interface to the target; at termination, the
 * removal of this fleet's sessions on it. Either way the lifecycle action is
 * then completed with CONTINUE. Repeats (EventBridge and Lambda retry) find
 * the work done and change nothing. A failure throws: the function is retried,
 * and if it never succeeds the hook's default result applies (a launch is
 * abandoned, so no unmirrored instance serves; a termination goes ahead).
 */
export async function onLifecycleAction(clients: Clients, settings: MirrorSettings, action: LifecycleAction, log: Log): Promise<Outcome> {
  if (!settings.hookNames.includes(action.LifecycleHookName)) {
    throw new Error(`lifecycle hook ${action.LifecycleHookName} of ${action.AutoScalingGroupName} is not one of ${settings.fleetName}'s (${settings.hookNames.join(', ')})`);
  }
  const instanceId = action.EC2InstanceId;
  let outcome: Outcome;
  if (action.LifecycleTransition === 'autoscaling:EC2_INSTANCE_LAUNCHING') outcome = await mirror(clients, settings, instanceId, log);
  else if (action.LifecycleTransition === 'autoscaling:EC2_INSTANCE_TERMINATING') outcome = await unmirror(clients, settings, instanceId, log);
  else throw new Error(`unexpected lifecycle transition ${action.LifecycleTransition}`);
  await complete(clients, action, log);
  return outcome;
}

async function mirror(clients: Clients, settings: MirrorSettings, instanceId: string, log: Log): Promise<Outcome> {
  const eni = await primaryInterface(clients, instanceId);
  if (!eni) throw new Error(`instance ${instanceId} not found or has no primary network interface yet`);
  const existing = (await sessionsOn(clients, eni)).find((s) => s.TrafficMirrorTargetId === settings.targetId && s.TrafficMirrorFilterId === settings.filterId);
  if (existing) {
    log.info('mirror session already exists', { instanceId, networkInterfaceId: eni, sessionId: existing.TrafficMirrorSessionId });
    return { instanceId, networkInterfaceId: eni, kept: existing.TrafficMirrorSessionId };
  }
  const created = await clients.ec2.send(
    new CreateTrafficMirrorSessionCommand({
      NetworkInterfaceId: eni,
      TrafficMirrorTargetId: settings.targetId,
      TrafficMirrorFilterId: settings.filterId,
      SessionNumber: settings.sessionNumber,
      VirtualNetworkId: settings.virtualNetworkId,
      Description: `Mirror of ${instanceId} in ${settings.fleetName}`,
      // The same request retried creates nothing new.
      ClientToken: `${instanceId}-${eni}`,
      TagSpecifications: [
        {
          ResourceType: 'traffic-mirror-session',
          Tags: [
            { Key: 'Name', Value: `${settings.fleetName}-${instanceId}` },
            { Key: FLEET_TAG, Value: settings.fleetName },
            { Key: INSTANCE_TAG, Value: instanceId },
          ],
        },
      ],
    }),
  );
  const id = created.TrafficMirrorSession?.TrafficMirrorSessionId;
  log.info('mirror session created', { instanceId, networkInterfaceId: eni, sessionId: id });
  return { instanceId, networkInterfaceId: eni, created: id };
}

async function unmirror(clients: Clients, settings: MirrorSettings, instanceId: string, log: Log): Promise<Outcome> {
  const eni = await primaryInterface(clients, instanceId);
  // Without the interface (already gone), the instance tag still finds the fleet's sessions.
  const sessions = eni ? await sessionsOn(clients, eni) : await sessionsTagged(clients, instanceId);
  const ours = sessions.filter((s) => s.Tags?.some((t) => t.Key === FLEET_TAG && t.Value === settings.fleetName));
  const deleted: string[] = [];
  for (const session of ours) {
    try {
      await clients.ec2.send(new DeleteTrafficMirrorSessionCommand({ TrafficMirrorSessionId: session.TrafficMirrorSessionId }));
      deleted.push(session.TrafficMirrorSessionId!);
    } catch (error) {
      if (errorName(error) !== 'InvalidTrafficMirrorSessionId.NotFound') throw error;
    }
  }
  log.info('mirror sessions removed', { instanceId, networkInterfaceId: eni, deleted });
  return { instanceId, networkInterfaceId: eni, deleted };
}

async function complete(clients: Clients, action: LifecycleAction, log: Log): Promise<void> {
  try {
    await clients.autoscaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: action.AutoScalingGroupName,
        LifecycleHookName: action.LifecycleHookName,
        LifecycleActionToken: action.LifecycleActionToken,
        InstanceId: action.EC2InstanceId,
        LifecycleActionResult: 'CONTINUE',
      }),
    );
  } catch (error) {
    // A retry after a completed action: the instance has moved on, which is what we asked for.
    if (errorName(error) === 'ValidationError' && /No active Lifecycle Action found/i.test(errorMessage(error))) {
      log.info('lifecycle action already completed', { instanceId: action.EC2InstanceId });
      return;
    }
    throw error;
  }
}

async function primaryInterface(clients: Clients, instanceId: string): Promise<string | undefined> {
  try {
    const out = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
    return instance?.NetworkInterfaces?.find((n) => n.Attachment?.DeviceIndex === 0)?.NetworkInterfaceId;
  } catch (error) {
    if (errorName(error) === 'InvalidInstanceID.NotFound') return undefined;
    throw error;
  }
}

async function sessionsOn(clients: Clients, networkInterfaceId: string): Promise<TrafficMirrorSession[]> {
  return describeSessions(clients, [{ Name: 'network-interface-id', Values: [networkInterfaceId] }]);
}

async function sessionsTagged(clients: Clients, instanceId: string): Promise<TrafficMirrorSession[]> {
  return describeSessions(clients, [{ Name: `tag:${INSTANCE_TAG}`, Values: [instanceId] }]);
}

async function describeSessions(clients: Clients, filters: { Name: string; Values: string[] }[]): Promise<TrafficMirrorSession[]> {
  const sessions: TrafficMirrorSession[] = [];
  let token: string | undefined;
  do {
    const page = await clients.ec2.send(new DescribeTrafficMirrorSessionsCommand({ Filters: filters, NextToken: token }));
    sessions.push(...(page.TrafficMirrorSessions ?? []));
    token = page.NextToken;
  } while (token);
  return sessions;
}

function errorName(error: unknown): string {
  return (error as { name?: string; Code?: string } | undefined)?.name ?? '';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
