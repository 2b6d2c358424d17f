import {
  DescribeManagedPrefixListsCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type IpPermission,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** The gateway services whose AWS-managed prefix lists the security groups name as HTTPS destinations. */
export const GATEWAY_SERVICES = { S3PrefixListId: 's3', DynamoDbPrefixListId: 'dynamodb' } as const;

export interface BaselineResult {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/**
 * The VPC baseline custom resource: strips every rule from the VPC's default
 * security group (nothing may use it: Security Hub EC2.2), and reports the
 * IDs of the AWS-managed prefix lists of the S3 and DynamoDB gateway
 * endpoints, which CloudFormation has no attribute for, so that security
 * groups can name them instead of 0.0.0.0/0.
 *
 * Delete leaves the group closed: the VPC's own deletion removes it, and
 * reopening it would only weaken whatever still runs in the VPC.
 */
export function createOnEvent(ec2: EC2Client, log: Pick<Logger, 'info'>) {
  return async (event: CloudFormationCustomResourceEvent): Promise<BaselineResult> => {
    // Delete first and unconditionally: a failed Create's rollback must never hang on a bad property.
    if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
    const props = event.ResourceProperties as Record<string, unknown>;
    const groupId = String(props.DefaultSecurityGroupId ?? '');
    const region = String(props.Region ?? '');
    if (!/^sg-[0-9a-f]+$/.test(groupId)) throw new Error(`DefaultSecurityGroupId must be a security group id like sg-0123abcd (got ${JSON.stringify(groupId)})`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`Region must be a Region name like eu-west-1 (got ${JSON.stringify(region)})`);
    const revoked = await closeDefaultGroup(ec2, groupId);
    log.info('default security group closed', { groupId, revokedIngress: revoked.ingress, revokedEgress: revoked.egress });
    const data: Record<string, string> = {};
    for (const [attribute, service] of Object.entries(GATEWAY_SERVICES)) data[attribute] = await managedPrefixListId(ec2, region, service);
    return { PhysicalResourceId: groupId, Data: data };
  };
}

/** Revokes whatever rules the group holds (the two defaults, or any added since); refuses a group that is not a default group. */
export async function closeDefaultGroup(ec2: EC2Client, groupId: string): Promise<{ ingress: number; egress: number }> {
  const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups ?? [];
  if (!group) throw new Error(`security group ${groupId} not found`);
  if (group.GroupName !== 'default') throw new Error(`security group ${groupId} is "${group.GroupName}", not a VPC's default group; only default groups are stripped`);
  const ingress = (group.IpPermissions ?? []).map(plain);
  const egress = (group.IpPermissionsEgress ?? []).map(plain);
  if (ingress.length) await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: ingress }));
  if (egress.length) await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: egress }));
  return { ingress: ingress.length, egress: egress.length };
}

/** The rule as Revoke takes it: empty lists left out, group pairs by id only. */
function plain(p: IpPermission): IpPermission {
  const nonEmpty = <T>(list: T[] | undefined) => (list && list.length ? list : undefined);
  return {
    IpProtocol: p.IpProtocol,
    FromPort: p.FromPort,
    ToPort: p.ToPort,
    IpRanges: nonEmpty(p.IpRanges),
    Ipv6Ranges: nonEmpty(p.Ipv6Ranges),
    PrefixListIds: nonEmpty(p.PrefixListIds),
    UserIdGroupPairs: nonEmpty(p.UserIdGroupPairs?.map((pair) => ({ GroupId: pair.GroupId, UserId: pair.UserId }))),
  };
}

/** `pl-…` of `com.amazonaws.<region>.<service>`, owned by AWS. */
export async function managedPrefixListId(ec2: EC2Client, region: string, service: string): Promise<string> {
  const name = `com.amazonaws.${region}.${service}`;
  const lists = (await ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: [name] }] }))).PrefixLists ?? [];
  const owned = lists.filter((l) => l.OwnerId === 'AWS' && l.PrefixListName === name);
  if (owned.length !== 1 || !owned[0]!.PrefixListId) throw new Error(`expected one AWS-managed prefix list ${name}, found ${owned.length}`);
  return owned[0]!.PrefixListId;
}
