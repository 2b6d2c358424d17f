import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** ARN of the Auto Scaling service-linked role (default, or with the custom suffix given to `AppFleet`). */
export function autoScalingServiceLinkedRoleArn(account: string = Aws.ACCOUNT_ID, suffix?: string): string {
  return `arn:${Aws.PARTITION}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling${suffix ? `_${suffix}` : ''}`;
}

/**
 * The key-policy statements the volume key needs before the fleet can launch:
 * Auto Scaling launches instances with its service-linked role, which has no
 * KMS permission of its own, so encrypted volumes fail to launch unless the
 * key policy names that role. For the key's owner (the key ring) to add; KMS
 * refuses a policy naming a role that does not exist yet, so the role must
 * exist first (it does once any Auto Scaling group has been created in the
 * account, or create it with `iam.CfnServiceLinkedRole`).
 */
export function autoScalingKeyPolicyStatements(serviceLinkedRoleArn: string = autoScalingServiceLinkedRoleArn()): iam.PolicyStatement[] {
  const role = new iam.ArnPrincipal(serviceLinkedRoleArn);
  // The role uses the key only as EC2 creates and attaches the volumes.
  const throughEc2 = { 'kms:ViaService': `ec2.${Aws.REGION}.amazonaws.com` };
  return [
    new iam.PolicyStatement({
      sid: 'AutoScalingEncryptsFleetVolumes',
      principals: [role],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: throughEc2 },
    }),
    new iam.PolicyStatement({
      sid: 'AutoScalingAttachesFleetVolumes',
      principals: [role],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringEquals: throughEc2 },
    }),
  ];
}
