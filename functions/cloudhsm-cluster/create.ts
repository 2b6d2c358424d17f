/** Create: ask CloudHSM for the cluster. The HSMs come later, from isComplete, once the cluster exists. */
import { type CloudHSMV2Client, CreateClusterCommand } from '@aws-sdk/client-cloudhsm-v2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CdkCustomResourceResponse } from 'aws-lambda';
import type { ClusterProperties } from './properties';

export async function createCluster(client: CloudHSMV2Client, logger: Logger, props: ClusterProperties): Promise<CdkCustomResourceResponse> {
  const { Cluster } = await client.send(
    new CreateClusterCommand({
      HsmType: props.hsmType,
      SubnetIds: props.subnetIds,
      BackupRetentionPolicy: { Type: 'DAYS', Value: String(props.backupRetentionDays) },
      // CloudHSM rejects an empty TagList.
      ...(props.tags.length > 0 ? { TagList: props.tags } : {}),
    }),
  );
  const clusterId = Cluster?.ClusterId;
  if (!clusterId) throw new Error('CreateCluster returned no cluster id; check the CloudHSM console for a cluster in CREATE_IN_PROGRESS before retrying');
  logger.info('CloudHSM cluster creation started', { clusterId, hsmType: props.hsmType, subnetIds: props.subnetIds });
  return { PhysicalResourceId: clusterId, Data: { ClusterId: clusterId } };
}
