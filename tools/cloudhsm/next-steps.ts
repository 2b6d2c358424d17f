/**
 * `next-steps`: what neither CloudFormation nor this tool can do, printed with the cluster's values filled in. The
 * CloudHSM CLI must run on an instance inside the VPC, and there is no KMS client in this project, so the KMS steps
 * are printed as AWS CLI commands. Passwords are read from the terminal, never put on a command line or printed.
 */
import { type Cluster, ClusterState } from '@aws-sdk/client-cloudhsm-v2';
import { type Flags, required } from './args';
import { activeZones, requireCluster } from './cluster';
import type { RunbookContext } from './context';
import { quote, regionArg } from './shell';

function clientSetup(cluster: Cluster, trustAnchor: string): string[] {
  const ip = (cluster.Hsms ?? []).find((h) => h.State === 'ACTIVE' && h.EniIp)?.EniIp ?? '<ip of an ACTIVE HSM, see status>';
  return [
    '1. A client instance, once. Launch an EC2 instance in an app subnet of the cluster\'s VPC',
    `   (${cluster.VpcId}) with the app tier's security group: the stack opens ports 2223-2225 from it to the cluster's`,
    `   security group ${cluster.SecurityGroup} and through the data subnets' network ACL (or attach the cluster's security group,`,
    '   which admits its own members). Connect with Session Manager; no SSH. Then install the CloudHSM CLI',
    '   (CloudHSM User Guide, "Install and configure CloudHSM CLI") and point it at the cluster:',
    `     sudo cp ${quote(trustAnchor)} /opt/cloudhsm/etc/customerCA.crt`,
    `     sudo /opt/cloudhsm/bin/configure-cli -a ${ip}`,
  ];
}

function activation(cluster: Cluster): string[] {
  if (cluster.State === ClusterState.ACTIVE) return ['2. Activate the cluster: done, the cluster is ACTIVE.'];
  return [
    '2. Activate the cluster, which sets the password of the admin (crypto officer) user. Keep that password in your',
    '   break-glass store; it is typed at the prompt and never leaves the instance:',
    '     /opt/cloudhsm/bin/cloudhsm-cli interactive',
    '     aws-cloudhsm > cluster activate',
  ];
}

const kmsUser = [
  '3. Create the crypto user KMS logs in as. It must be called kmsuser; give it no MFA or quorum:',
  '     aws-cloudhsm > login --username admin --role admin',
  '     aws-cloudhsm > user create --username kmsuser --role crypto-user',
  '     aws-cloudhsm > logout',
  '     aws-cloudhsm > quit',
];

function keyStore(cluster: Cluster, name: string, trustAnchor: string, region: string | undefined): string[] {
  const r = regionArg(region);
  const zones = activeZones(cluster);
  const warning =
    zones.length < 2
      ? [`   Not yet possible: KMS needs ACTIVE HSMs in two zones; this cluster has them in ${zones.length} (${zones.join(', ') || 'none'}). Raise HsmCount or wait.`]
      : [];
  return [
    '4. The KMS custom key store (the cluster must be ACTIVE, with ACTIVE HSMs in two zones). From a shell with AWS',
    '   credentials for this account; KMS rotates the kmsuser password when it connects:',
    ...warning,
    '     read -rs KMSUSER_PASSWORD   # the kmsuser password, not echoed',
    `     aws kms create-custom-key-store${r} --custom-key-store-name ${quote(name)} --cloud-hsm-cluster-id ${cluster.ClusterId} \\`,
    `       --trust-anchor-certificate ${quote(`file://${trustAnchor}`)} --key-store-password "$KMSUSER_PASSWORD"`,
    '     unset KMSUSER_PASSWORD',
    `     KEY_STORE_ID=$(aws kms describe-custom-key-stores${r} --custom-key-store-name ${quote(name)} --query 'CustomKeyStores[0].CustomKeyStoreId' --output text)`,
    `     aws kms connect-custom-key-store${r} --custom-key-store-id "$KEY_STORE_ID"`,
    `     aws kms describe-custom-key-stores${r} --custom-key-store-id "$KEY_STORE_ID" --query 'CustomKeyStores[0].ConnectionState' --output text`,
    '   Repeat the last command until it prints CONNECTED (up to 20 minutes). On FAILED, look at ConnectionErrorCode.',
  ];
}

function keysAndConfig(region: string | undefined): string[] {
  return [
    '5. The HSM-backed data key, printing its ARN:',
    `     aws kms create-key${regionArg(region)} --origin AWS_CLOUDHSM --custom-key-store-id "$KEY_STORE_ID" \\`,
    "       --description 'sra-workload HSM-backed data key' --query KeyMetadata.Arn --output text",
    '',
    '6. The config change (keys.mode local; in central mode the security account owns the data key, and an HSM-backed',
    '   one goes in keys.centralKeyArns.data instead). Put the ARN in the environment\'s config file',
    '   (config/<environment>.yaml), then deploy. The data bucket and new EBS volumes move to the new key; the Aurora',
    '   cluster keeps the key it was created with (an Aurora cluster cannot change its key in place; moving it takes a',
    '   snapshot restored under the new key):',
    '     keys:',
    '       hsmBackedKeyArns:',
    `         data: arn:aws:kms:${region ?? '<region>'}:<account>:key/<key id printed by step 5>`,
  ];
}

export async function nextSteps(ctx: RunbookContext, flags: Flags): Promise<void> {
  const clusterId = required(flags, 'cluster-id');
  const cluster = await requireCluster(ctx.client, clusterId, ctx.region);
  if (cluster.State !== ClusterState.INITIALIZED && cluster.State !== ClusterState.ACTIVE) {
    throw new Error(`cluster ${clusterId} is ${cluster.State}; these steps start once it is INITIALIZED (run status for what to do first)`);
  }
  const trustAnchor = flags['trust-anchor'] ?? 'customerCA.crt';
  [
    `Cluster ${clusterId} is ${cluster.State}. CloudFormation cannot do what follows; do it by hand, in order:`,
    '',
    ...clientSetup(cluster, trustAnchor),
    '',
    ...activation(cluster),
    '',
    ...kmsUser,
    '',
    ...keyStore(cluster, required(flags, 'key-store-name'), trustAnchor, ctx.region),
    '',
    ...keysAndConfig(ctx.region),
  ].forEach((line) => ctx.print(line));
}
