/** `initialize`: claim the cluster with the signed certificate and the trust anchor, after checking both. */
import { ClusterState, InitializeClusterCommand } from '@aws-sdk/client-cloudhsm-v2';
import { type Flags, required } from './args';
import { requireCluster } from './cluster';
import { RUNBOOK, type RunbookContext } from './context';
import { checkSignedBy, parseCertificate } from './pem';
import { quote, regionArg } from './shell';

function readFlagFile(ctx: RunbookContext, flags: Flags, name: string): string {
  const path = required(flags, name);
  try {
    return ctx.readFile(path);
  } catch (error) {
    throw new Error(`--${name}: cannot read ${path}: ${(error as Error).message}`);
  }
}

export async function initialize(ctx: RunbookContext, flags: Flags): Promise<void> {
  const clusterId = required(flags, 'cluster-id');
  const signed = parseCertificate(readFlagFile(ctx, flags, 'cert'), '--cert');
  const anchor = parseCertificate(readFlagFile(ctx, flags, 'trust-anchor'), '--trust-anchor');
  checkSignedBy(signed, anchor, ctx.now());

  const cluster = await requireCluster(ctx.client, clusterId, ctx.region);
  if (cluster.State !== ClusterState.UNINITIALIZED) {
    throw new Error(`cluster ${clusterId} is ${cluster.State}; only an UNINITIALIZED cluster can be initialized (run status)`);
  }
  const result = await ctx.client.send(new InitializeClusterCommand({ ClusterId: clusterId, SignedCert: signed.pem, TrustAnchor: anchor.pem }));
  [
    `InitializeCluster accepted for ${clusterId}: ${result.State ?? 'unknown state'}${result.StateMessage ? ` (${result.StateMessage})` : ''}.`,
    `Keep ${required(flags, 'trust-anchor')}: every CloudHSM client and the KMS custom key store need it.`,
    `Wait until status shows INITIALIZED (a few minutes): ${RUNBOOK} status --cluster-id ${clusterId}${regionArg(ctx.region)}`,
    `Then: ${RUNBOOK} next-steps --cluster-id ${clusterId} --key-store-name <name> --trust-anchor ${quote(required(flags, 'trust-anchor'))}${regionArg(ctx.region)}`,
  ].forEach((line) => ctx.print(line));
}
