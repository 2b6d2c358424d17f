/**
 * Update: change what CloudHSM can change in place (tags, backup retention, the number of HSMs) and refuse
 * everything that would need a new cluster, because a new cluster does not have this one's keys.
 * Every refusal happens before the first change, so a refused update changes nothing.
 */
import {
  type CloudHSMV2Client,
  type Hsm,
  ClusterState,
  DeleteHsmCommand,
  ModifyClusterCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudhsm-v2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceResponse } from 'aws-lambda';
import { describeCluster, describeHsm, mayHoldKeys, surplusHsms } from './cluster';
import type { ClusterProperties } from './properties';
import { diffTags } from './tags';

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

function refuseReplacement(clusterId: string, props: ClusterProperties, old: ClusterProperties): void {
  const why = `CloudHSM cannot change this on an existing cluster, and a replacement cluster would not have cluster ${clusterId}'s keys, so this resource never replaces it. Revert the change; to move the keys, restore a backup into a new cluster by hand (see docs/cloudhsm-runbook.md)`;
  if (!sameSet(props.subnetIds, old.subnetIds)) {
    throw new Error(`SubnetIds cannot change (from ${old.subnetIds.join(', ')} to ${props.subnetIds.join(', ')}): ${why}`);
  }
  if (props.hsmType !== old.hsmType) {
    throw new Error(`HsmType cannot change (from ${old.hsmType} to ${props.hsmType}): ${why}`);
  }
}

/** HSMs to remove for a lower HsmCount; only ever from a cluster that has never held keys. */
async function planScaleDown(client: CloudHSMV2Client, clusterId: string, props: ClusterProperties, old: ClusterProperties): Promise<Hsm[]> {
  const cluster = await describeCluster(client, clusterId);
  if (!cluster) throw new Error(`Cluster ${clusterId} no longer exists (deleted outside CloudFormation?); cannot lower HsmCount`);
  const surplus = surplusHsms(cluster, props.subnetIds, props.hsmCount);
  if (surplus.length === 0) return []; // already at or below the new count, e.g. the operator removed them
  if (cluster.State !== ClusterState.UNINITIALIZED || mayHoldKeys(cluster)) {
    throw new Error(
      `HsmCount cannot go from ${old.hsmCount} to ${props.hsmCount}: cluster ${clusterId} is ${cluster.State}, so its HSMs may hold key material. ` +
        `Removing an HSM from an initialized cluster must be done by the operator: check that the remaining HSMs carry the load and that KMS keeps two in different zones, ` +
        `delete the HSM with "aws cloudhsmv2 delete-hsm --cluster-id ${clusterId} --hsm-id <id>" (candidates: ${surplus.map(describeHsm).join('; ')}), then deploy the lower HsmCount again`,
    );
  }
  return surplus;
}

export async function updateCluster(
  client: CloudHSMV2Client,
  logger: Logger,
  clusterId: string,
  props: ClusterProperties,
  old: ClusterProperties,
): Promise<CdkCustomResourceResponse> {
  refuseReplacement(clusterId, props, old);
  const surplus = props.hsmCount < old.hsmCount ? await planScaleDown(client, clusterId, props, old) : [];

  const tags = diffTags(old.tags, props.tags);
  if (tags.remove.length > 0) await client.send(new UntagResourceCommand({ ResourceId: clusterId, TagKeyList: tags.remove }));
  if (tags.put.length > 0) await client.send(new TagResourceCommand({ ResourceId: clusterId, TagList: tags.put }));

  if (props.backupRetentionDays !== old.backupRetentionDays) {
    await client.send(
      new ModifyClusterCommand({ ClusterId: clusterId, BackupRetentionPolicy: { Type: 'DAYS', Value: String(props.backupRetentionDays) } }),
    );
  }

  for (const hsm of surplus) await client.send(new DeleteHsmCommand({ ClusterId: clusterId, HsmId: hsm.HsmId }));

  logger.info('CloudHSM cluster updated', {
    clusterId,
    tagsRemoved: tags.remove,
    tagsPut: tags.put.map((t) => t.Key),
    backupRetentionDays: props.backupRetentionDays,
    hsmCount: { from: old.hsmCount, to: props.hsmCount },
    hsmsDeleted: surplus.map((h) => h.HsmId),
  });
  // HSMs to add are created by isComplete; HsmIdsBeingDeleted tells isComplete to wait until these are gone.
  return { PhysicalResourceId: clusterId, Data: { ClusterId: clusterId }, HsmIdsBeingDeleted: surplus.map((h) => h.HsmId) };
}
