/**
 * Reading a cluster and reasoning about its HSMs. Pure functions apart from `describeCluster`, so the handlers'
 * decisions (where to add an HSM, which to remove, whether a cluster may hold keys) are easy to test.
 */
import {
  type CloudHSMV2Client,
  type Cluster,
  type Hsm,
  CloudHsmResourceNotFoundException,
  ClusterState,
  DescribeClustersCommand,
  HsmState,
} from '@aws-sdk/client-cloudhsm-v2';

/** CloudHSM's cluster id pattern. */
export const CLUSTER_ID_PATTERN = /^cluster-[2-7a-zA-Z]{11,16}$/;

export function isNotFound(error: unknown): boolean {
  return error instanceof CloudHsmResourceNotFoundException || (error as { name?: unknown } | undefined)?.name === 'CloudHsmResourceNotFoundException';
}

/** The cluster, or undefined when it does not exist (any more): not found, not listed, or DELETED. */
export async function describeCluster(client: CloudHSMV2Client, clusterId: string): Promise<Cluster | undefined> {
  try {
    const { Clusters } = await client.send(new DescribeClustersCommand({ Filters: { clusterIds: [clusterId] } }));
    const cluster = Clusters?.find((c) => c.ClusterId === clusterId);
    return cluster?.State === ClusterState.DELETED ? undefined : cluster;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const hsms = (cluster: Cluster): Hsm[] => cluster.Hsms ?? [];

/** HSMs that count towards HsmCount: running or on their way. */
export const countedHsms = (cluster: Cluster): Hsm[] =>
  hsms(cluster).filter((h) => h.State === HsmState.ACTIVE || h.State === HsmState.CREATE_IN_PROGRESS);

export const activeHsms = (cluster: Cluster): Hsm[] => hsms(cluster).filter((h) => h.State === HsmState.ACTIVE);

/** HSMs not yet gone (DELETED ones can linger in the listing). */
export const presentHsms = (cluster: Cluster): Hsm[] => hsms(cluster).filter((h) => h.State !== HsmState.DELETED);

export const degradedHsms = (cluster: Cluster): Hsm[] => hsms(cluster).filter((h) => h.State === HsmState.DEGRADED);

export const hsmsInTransition = (cluster: Cluster): Hsm[] =>
  hsms(cluster).filter((h) => h.State === HsmState.CREATE_IN_PROGRESS || h.State === HsmState.DELETE_IN_PROGRESS);

/**
 * Whether the cluster may hold key material. Only a cluster that has never been initialized is safe to destroy or
 * shrink; any state that does not prove that (including DEGRADED) counts as "may".
 */
export function mayHoldKeys(cluster: Cluster): boolean {
  if (cluster.Certificates?.ClusterCertificate) return true; // present once InitializeCluster has run
  const neverInitialized: string[] = [ClusterState.UNINITIALIZED, ClusterState.CREATE_IN_PROGRESS, ClusterState.UPDATE_IN_PROGRESS, ClusterState.DELETE_IN_PROGRESS];
  return !neverInitialized.includes(cluster.State ?? '');
}

/** The cluster's zones, ordered like the SubnetIds property, so HSMs fill the zones in a stable, predictable order. */
export function zonesInOrder(cluster: Cluster, subnetIds: string[]): string[] {
  const rank = (subnet: string) => {
    const i = subnetIds.indexOf(subnet);
    return i < 0 ? subnetIds.length : i;
  };
  return Object.entries(cluster.SubnetMapping ?? {}).sort(([, a], [, b]) => rank(a) - rank(b)).map(([zone]) => zone);
}

function hsmsByZone(cluster: Cluster, subnetIds: string[]): Map<string, Hsm[]> {
  const byZone = new Map(zonesInOrder(cluster, subnetIds).map((zone) => [zone, [] as Hsm[]]));
  for (const hsm of countedHsms(cluster)) byZone.get(hsm.AvailabilityZone ?? '')?.push(hsm);
  return byZone;
}

/**
 * The zone of each HSM still missing to reach `desired`, round-robin: each goes to the zone with the fewest HSMs
 * (first zone on a tie). Counting HSMs already being created is what keeps repeated calls from creating twice.
 */
export function zonesForNewHsms(cluster: Cluster, subnetIds: string[], desired: number): string[] {
  const byZone = hsmsByZone(cluster, subnetIds);
  const zones = [...byZone.keys()];
  if (zones.length === 0) throw new Error(`Cluster ${cluster.ClusterId} reports no subnet mapping, so no Availability Zone to create an HSM in; check the cluster in the CloudHSM console`);
  const count = new Map(zones.map((zone) => [zone, byZone.get(zone)!.length]));
  const result: string[] = [];
  for (let total = countedHsms(cluster).length; total < desired; total++) {
    const zone = zones.reduce((best, z) => (count.get(z)! < count.get(best)! ? z : best));
    count.set(zone, count.get(zone)! + 1);
    result.push(zone);
  }
  return result;
}

/** HSMs beyond `desired`, taken from the fullest zone (last zone on a tie) so the ones left stay spread out. */
export function surplusHsms(cluster: Cluster, subnetIds: string[], desired: number): Hsm[] {
  const byZone = hsmsByZone(cluster, subnetIds);
  const zones = [...byZone.keys()];
  const result: Hsm[] = [];
  for (let total = countedHsms(cluster).length; total > desired; total--) {
    const zone = zones.reduce((best, z) => (byZone.get(z)!.length >= byZone.get(best)!.length ? z : best));
    result.push(byZone.get(zone)!.pop()!);
  }
  return result;
}

/** The attributes the construct reads with Fn::GetAtt; all strings, as CloudFormation requires. */
export function clusterData(cluster: Cluster): Record<string, string> {
  return {
    ClusterId: cluster.ClusterId ?? '',
    SecurityGroupId: cluster.SecurityGroup ?? '',
    State: cluster.State ?? '',
    VpcId: cluster.VpcId ?? '',
    HsmIps: activeHsms(cluster).map((h) => h.EniIp).filter((ip): ip is string => !!ip).join(','),
  };
}

export const describeHsm = (h: Hsm) => `${h.HsmId} (${h.AvailabilityZone ?? 'unknown zone'}, ${h.State}${h.StateMessage ? `: ${h.StateMessage}` : ''})`;
