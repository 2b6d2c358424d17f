/** Looking up the operator's cluster and describing it in a few lines. */
import { type CloudHSMV2Client, type Cluster } from '@aws-sdk/client-cloudhsm-v2';
import { describeCluster } from '../../functions/cloudhsm-cluster/cluster';

export async function requireCluster(client: CloudHSMV2Client, clusterId: string, region: string | undefined): Promise<Cluster> {
  const cluster = await describeCluster(client, clusterId);
  if (!cluster) {
    const where = region ? `Region ${region}` : 'the default Region (AWS_REGION or your profile)';
    throw new Error(`cluster ${clusterId} not found in ${where}; check --cluster-id and --region`);
  }
  return cluster;
}

export const stateOf = (cluster: Cluster) => `${cluster.State ?? 'UNKNOWN'}${cluster.StateMessage ? ` (${cluster.StateMessage})` : ''}`;

export function hsmLines(cluster: Cluster): string[] {
  const hsms = cluster.Hsms ?? [];
  if (hsms.length === 0) return ['  HSMs: none yet'];
  return [
    `  HSMs: ${hsms.length}`,
    ...hsms.map((h) => `    ${[h.HsmId, h.AvailabilityZone, h.SubnetId, h.EniIp ?? '-', h.State].join('  ')}${h.StateMessage ? ` (${h.StateMessage})` : ''}`),
  ];
}

/** Zones that have an ACTIVE HSM: KMS needs two, in different zones, to create and connect a key store. */
export const activeZones = (cluster: Cluster) =>
  [...new Set((cluster.Hsms ?? []).filter((h) => h.State === 'ACTIVE').map((h) => h.AvailabilityZone ?? ''))].filter(Boolean);
