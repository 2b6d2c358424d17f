/** `status`: where the cluster is in its life, and the one thing to do next. */
import { type Cluster, ClusterState } from '@aws-sdk/client-cloudhsm-v2';
import { type Flags, required } from './args';
import { hsmLines, requireCluster, stateOf } from './cluster';
import { RUNBOOK, type RunbookContext } from './context';
import { regionArg } from './shell';

export const csrAvailable = (cluster: Cluster) => cluster.State === ClusterState.UNINITIALIZED && !!cluster.Certificates?.ClusterCsr;

function nextStep(cluster: Cluster, region: string | undefined): string {
  const id = cluster.ClusterId!;
  switch (cluster.State) {
    case ClusterState.CREATE_IN_PROGRESS:
      return 'wait: the cluster is being created; run status again in a few minutes';
    case ClusterState.UNINITIALIZED:
      return csrAvailable(cluster)
        ? `${RUNBOOK} csr --cluster-id ${id} --out ${id}_ClusterCsr.csr${regionArg(region)}`
        : 'wait: the CSR appears once the first HSM is ACTIVE (the CloudFormation custom resource creates the HSMs)';
    case ClusterState.INITIALIZE_IN_PROGRESS:
      return 'wait: initialization takes a few minutes; run status again';
    case ClusterState.INITIALIZED:
    case ClusterState.ACTIVE:
      return `${RUNBOOK} next-steps --cluster-id ${id} --key-store-name <name>${regionArg(region)}`;
    default:
      return `the cluster is ${cluster.State}; see the CloudHSM console (and AWS Support if it is DEGRADED)`;
  }
}

export async function status(ctx: RunbookContext, flags: Flags): Promise<void> {
  const cluster = await requireCluster(ctx.client, required(flags, 'cluster-id'), ctx.region);
  const retention = cluster.BackupRetentionPolicy?.Value;
  ctx.print(`Cluster ${cluster.ClusterId}: ${stateOf(cluster)}`);
  ctx.print(`  VPC ${cluster.VpcId ?? '-'}, security group ${cluster.SecurityGroup ?? '-'}, HSM type ${cluster.HsmType ?? '-'}, backups kept ${retention ? `${retention} days` : '-'}`);
  for (const line of hsmLines(cluster)) ctx.print(line);
  ctx.print(`  CSR available: ${csrAvailable(cluster) ? 'yes' : 'no'}`);
  ctx.print(`Next: ${nextStep(cluster, ctx.region)}`);
}
