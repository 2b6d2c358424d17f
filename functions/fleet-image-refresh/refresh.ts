import type { Logger } from '@aws-lambda-powertools/logger';
import { type AutoScalingClient, InstanceRefreshInProgressFault, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';

/** The EventBridge event Systems Manager sends when a parameter changes. */
export interface ParameterChangeEvent {
  readonly 'detail-type'?: string;
  readonly detail?: { readonly name?: string; readonly operation?: string };
}

export interface RefreshSettings {
  /** The fleet's Auto Scaling group. */
  readonly groupName: string;
  /** The parameter holding the fleet's AMI id; events about other parameters are ignored. */
  readonly parameterName: string;
  /** Share of the group kept in service (50-100). */
  readonly minHealthyPercentage: number;
  /** Seconds a new instance warms up before it counts as healthy. */
  readonly instanceWarmupSeconds: number;
}

export type RefreshLog = Pick<Logger, 'info' | 'warn'>;

export type RefreshResult =
  | { readonly status: 'started'; readonly instanceRefreshId: string }
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'already-running' };

/**
 * Rolls the fleet onto the image the parameter now names: an instance
 * refresh, launching replacements before terminating (up to
 * 100 + (100 - minHealthy) % of the group), so capacity never drops below
 * minHealthy. The launch template resolves the parameter at each launch, so
 * the replacements boot the new image. Instances in Standby (held by incident
 * response) and scale-in protected ones are left alone.
 */
export function createRefresh(autoscaling: AutoScalingClient, settings: RefreshSettings, log: RefreshLog) {
  const min = settings.minHealthyPercentage;
  if (!Number.isInteger(min) || min < 50 || min > 100) throw new Error(`MIN_HEALTHY_PERCENTAGE must be a whole number from 50 to 100 (got ${min})`);
  return async (event: ParameterChangeEvent): Promise<RefreshResult> => {
    const name = event.detail?.name;
    const operation = event.detail?.operation;
    if (name !== settings.parameterName || (operation !== 'Update' && operation !== 'Create')) {
      const reason = `event for ${name ?? 'no parameter'} (${operation ?? 'no operation'}); only changes of ${settings.parameterName} roll the fleet`;
      log.info('ignored', { reason });
      return { status: 'ignored', reason };
    }
    try {
      const started = await autoscaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: settings.groupName,
          Strategy: 'Rolling',
          Preferences: {
            MinHealthyPercentage: min,
            // Launch before terminating: the difference may be at most 100 points.
            MaxHealthyPercentage: Math.min(200, min + 100),
            InstanceWarmup: settings.instanceWarmupSeconds,
            // Every instance is replaced: the launch template is unchanged, only the image behind the parameter.
            SkipMatching: false,
            StandbyInstances: 'Ignore',
            ScaleInProtectedInstances: 'Ignore',
          },
        }),
      );
      const id = started.InstanceRefreshId;
      if (!id) throw new Error(`StartInstanceRefresh on ${settings.groupName} returned no refresh id`);
      log.info('instance refresh started', { group: settings.groupName, instanceRefreshId: id, parameter: name });
      return { status: 'started', instanceRefreshId: id };
    } catch (error) {
      // A refresh already running launches its remaining replacements from the parameter as it is now.
      if (error instanceof InstanceRefreshInProgressFault || (error as { name?: string }).name === 'InstanceRefreshInProgress') {
        log.warn('an instance refresh is already running; its remaining replacements boot the new image', { group: settings.groupName });
        return { status: 'already-running' };
      }
      throw new Error(`StartInstanceRefresh on ${settings.groupName} failed: ${(error as Error).message}`, { cause: error });
    }
  };
}
