/**
 * isComplete after a create or an update: wait for the cluster, add the HSMs it is missing (each zone in turn), and
 * report the cluster's attributes once HsmCount HSMs are ACTIVE. Safe to call any number of times: an HSM being
 * created counts, so a repeated call never creates it twice. A degraded cluster or HSM fails instead of waiting forever.
 */
import { type CloudHSMV2Client, ClusterState, CreateHsmCommand } from '@aws-sdk/client-cloudhsm-v2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceIsCompleteResponse } from 'aws-lambda';
import { activeHsms, clusterData, degradedHsms, describeCluster, describeHsm, hsmsInTransition, presentHsms, zonesForNewHsms } from './cluster';
import type { ClusterProperties } from './properties';

const SETTLING: string[] = [ClusterState.CREATE_IN_PROGRESS, ClusterState.INITIALIZE_IN_PROGRESS, ClusterState.UPDATE_IN_PROGRESS];
const SETTLED: string[] = [ClusterState.UNINITIALIZED, ClusterState.INITIALIZED, ClusterState.ACTIVE];

export async function clusterProgress(
  client: CloudHSMV2Client,
  logger: Logger,
  clusterId: string,
  props: ClusterProperties,
  beingDeleted: string[],
): Promise<CdkCustomResourceIsCompleteResponse> {
  const cluster = await describeCluster(client, clusterId);
  if (!cluster) throw new Error(`CloudHSM cluster ${clusterId} does not exist (deleted outside CloudFormation?); restore it from a backup or remove this resource`);
  const state = cluster.State ?? 'UNKNOWN';
  if (state === ClusterState.DEGRADED) {
    throw new Error(`CloudHSM cluster ${clusterId} is DEGRADED (${cluster.StateMessage ?? 'no message'}); see the CloudHSM console and AWS Support, then retry the deployment`);
  }
  if (SETTLING.includes(state)) return { IsComplete: false };
  if (!SETTLED.includes(state)) {
    throw new Error(`CloudHSM cluster ${clusterId} is ${state} (${cluster.StateMessage ?? 'no message'}), which a deployment cannot continue from; check who is changing it`);
  }

  const degraded = degradedHsms(cluster);
  if (degraded.length > 0) {
    throw new Error(
      `CloudHSM cluster ${clusterId} has degraded HSMs: ${degraded.map(describeHsm).join('; ')}. ` +
        'Replace them by hand (aws cloudhsmv2 delete-hsm, then redeploy to recreate) or ask AWS Support, then retry the deployment',
    );
  }

  const zones = zonesForNewHsms(cluster, props.subnetIds, props.hsmCount);
  for (const zone of zones) await client.send(new CreateHsmCommand({ ClusterId: clusterId, AvailabilityZone: zone }));
  if (zones.length > 0) {
    logger.info('Creating HSMs', { clusterId, availabilityZones: zones, hsmCount: props.hsmCount });
    return { IsComplete: false };
  }

  const leaving = presentHsms(cluster).filter((h) => beingDeleted.includes(h.HsmId ?? ''));
  if (hsmsInTransition(cluster).length > 0 || leaving.length > 0) return { IsComplete: false };

  const active = activeHsms(cluster).length;
  logger.info('CloudHSM cluster ready', { clusterId, state, activeHsms: active });
  return { IsComplete: true, Data: clusterData(cluster) };
}
