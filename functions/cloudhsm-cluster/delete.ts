/**
 * Delete, safely. RemovalPolicy retain (the default) leaves the cluster alone. RemovalPolicy destroy removes only a
 * cluster that has never been initialized, so never one that may hold keys: first its HSMs (onEvent, then isComplete
 * for any still being created), then, once none is left, the cluster itself.
 */
import { type CloudHSMV2Client, type Cluster, ClusterState, DeleteClusterCommand, DeleteHsmCommand, HsmState } from '@aws-sdk/client-cloudhsm-v2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceIsCompleteResponse, CdkCustomResourceResponse } from 'aws-lambda';
import { CLUSTER_ID_PATTERN, describeCluster, isNotFound, mayHoldKeys, presentHsms } from './cluster';
import type { ClusterProperties } from './properties';

function refuseIfMayHoldKeys(cluster: Cluster): void {
  if (!mayHoldKeys(cluster)) return;
  const id = cluster.ClusterId;
  throw new Error(
    `Refusing to delete CloudHSM cluster ${id}: it is ${cluster.State} and may hold key material; RemovalPolicy destroy only deletes a cluster that was never initialized. ` +
      `To keep the cluster, retry the stack deletion with --retain-resources <this resource's logical id>. ` +
      `To really destroy it, first make sure no key in it is needed (KMS keys in its custom key store deleted, the key store deleted, a backup kept if policy requires), ` +
      `then delete its HSMs and the cluster with "aws cloudhsmv2 delete-hsm" and "aws cloudhsmv2 delete-cluster --cluster-id ${id}", and delete the stack again`,
  );
}

/** Why there is nothing to delete, if so: the physical id is not a cluster (the create never got one), or the cluster is kept. */
function reasonToLeaveAlone(physicalId: string, props: ClusterProperties): string | undefined {
  if (!CLUSTER_ID_PATTERN.test(physicalId)) return 'Nothing to delete: the physical resource id is not a CloudHSM cluster id';
  if (props.removalPolicy === 'retain') return 'CloudHSM cluster retained (RemovalPolicy retain); it and its HSMs keep running, and billing, until deleted by hand';
  return undefined;
}

/** Starts deleting the HSMs that can be deleted now; returns their ids. */
async function deleteHsms(client: CloudHSMV2Client, logger: Logger, cluster: Cluster, alreadyRequested: string[]): Promise<string[]> {
  const deletable: string[] = [HsmState.ACTIVE, HsmState.DEGRADED];
  const ids = presentHsms(cluster)
    .filter((h) => deletable.includes(h.State ?? '') && !alreadyRequested.includes(h.HsmId ?? ''))
    .map((h) => h.HsmId!);
  for (const hsmId of ids) {
    try {
      await client.send(new DeleteHsmCommand({ ClusterId: cluster.ClusterId, HsmId: hsmId }));
    } catch (error) {
      if (!isNotFound(error)) throw error; // already gone is what we wanted
    }
  }
  if (ids.length > 0) logger.info('Deleting HSMs of an uninitialized cluster', { clusterId: cluster.ClusterId, hsmIds: ids });
  return ids;
}

export async function startDelete(client: CloudHSMV2Client, logger: Logger, physicalId: string, props: ClusterProperties): Promise<CdkCustomResourceResponse> {
  const response = { PhysicalResourceId: physicalId };
  const reason = reasonToLeaveAlone(physicalId, props);
  if (reason) {
    logger.info(reason, { clusterId: physicalId });
    return response;
  }
  const cluster = await describeCluster(client, physicalId);
  if (!cluster) {
    logger.info('CloudHSM cluster already gone', { clusterId: physicalId });
    return response;
  }
  refuseIfMayHoldKeys(cluster);
  const requested = cluster.State === ClusterState.UNINITIALIZED ? await deleteHsms(client, logger, cluster, []) : [];
  return { ...response, HsmIdsBeingDeleted: requested };
}

/** isComplete for a delete: finishes removing HSMs, deletes the empty cluster, and waits until it is gone. */
export async function deleteProgress(
  client: CloudHSMV2Client,
  logger: Logger,
  physicalId: string,
  props: ClusterProperties,
  requested: string[],
): Promise<CdkCustomResourceIsCompleteResponse> {
  if (reasonToLeaveAlone(physicalId, props)) return { IsComplete: true };
  const cluster = await describeCluster(client, physicalId);
  if (!cluster) {
    logger.info('CloudHSM cluster deleted', { clusterId: physicalId });
    return { IsComplete: true };
  }
  refuseIfMayHoldKeys(cluster); // checked again on every call: someone may have initialized it meanwhile
  // Only act on a settled, uninitialized cluster; CREATE/UPDATE/DELETE_IN_PROGRESS just need time.
  if (cluster.State !== ClusterState.UNINITIALIZED) return { IsComplete: false };
  if (presentHsms(cluster).length > 0) {
    await deleteHsms(client, logger, cluster, requested);
    return { IsComplete: false };
  }
  try {
    await client.send(new DeleteClusterCommand({ ClusterId: physicalId }));
    logger.info('Deleting empty, uninitialized CloudHSM cluster', { clusterId: physicalId });
  } catch (error) {
    if (isNotFound(error)) return { IsComplete: true };
    throw error;
  }
  return { IsComplete: false }; // done once DescribeClusters no longer lists it
}
