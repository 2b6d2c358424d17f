/** `csr`: save the cluster's certificate signing request and show how the operator's CA signs it. */
import { ClusterState } from '@aws-sdk/client-cloudhsm-v2';
import { type Flags, required } from './args';
import { requireCluster } from './cluster';
import { RUNBOOK, type RunbookContext } from './context';
import { quote, regionArg } from './shell';

export async function csr(ctx: RunbookContext, flags: Flags): Promise<void> {
  const clusterId = required(flags, 'cluster-id');
  const out = required(flags, 'out');
  const cluster = await requireCluster(ctx.client, clusterId, ctx.region);
  if (cluster.State !== ClusterState.UNINITIALIZED) {
    const hint = cluster.State === ClusterState.INITIALIZED || cluster.State === ClusterState.ACTIVE ? '; it is already initialized, run next-steps' : '; run status';
    throw new Error(`cluster ${clusterId} is ${cluster.State}: a CSR exists only while the cluster is UNINITIALIZED${hint}`);
  }
  const request = cluster.Certificates?.ClusterCsr;
  if (!request) throw new Error(`cluster ${clusterId} has no CSR yet: it appears once the first HSM is ACTIVE; run status and try again`);
  ctx.writeFile(out, request.endsWith('\n') ? request : `${request}\n`);

  const caCert = quote(flags['ca-cert'] ?? 'customerCA.crt');
  const caKey = quote(flags['ca-key'] ?? 'customerCA.key');
  const signed = `${clusterId}_CustomerHsmCertificate.crt`;
  const csrFile = quote(out);
  [
    `Wrote the CSR of cluster ${clusterId} to ${out}.`,
    '',
    'Optional, and only possible before initializing: verify that the HSM is genuine, as described in the CloudHSM User Guide',
    '("Verify the identity and authenticity of your cluster\'s HSM"), using the certificates describe-clusters returns.',
    '',
    'Sign the CSR with your issuing CA, on the machine that holds the CA key (never copy the key here). CloudHSM needs the',
    'certificate that signs it to be a self-signed root: that certificate becomes the trust anchor.',
    `  openssl req -in ${csrFile} -noout -subject -verify`,
    `  openssl x509 -req -days 3652 -in ${csrFile} -CA ${caCert} -CAkey ${caKey} -CAcreateserial -out ${signed}`,
    `  openssl verify -CAfile ${caCert} ${signed}`,
    '',
    'No CA yet? For a test environment only, a self-signed root (production uses your organization\'s offline root):',
    `  openssl genrsa -aes256 -out ${caKey} 2048`,
    `  openssl req -new -x509 -days 3652 -key ${caKey} -out ${caCert} -subj '/CN=CloudHSM issuing CA'`,
    '',
    `Then: ${RUNBOOK} initialize --cluster-id ${clusterId} --cert ${signed} --trust-anchor ${caCert}${regionArg(ctx.region)}`,
  ].forEach((line) => ctx.print(line));
}
