import { DescribeInstancesCommand, DescribeNetworkAclsCommand, type Instance, type NetworkAcl } from '@aws-sdk/client-ec2';
import type { IncidentClients, IncidentSettings } from './clients';
import { refuse } from './errors';

export async function describeInstance(clients: IncidentClients, instanceId: string): Promise<Instance> {
  const out = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const instance = out.Reservations?.[0]?.Instances?.[0];
  if (!instance) refuse(`instance ${instanceId} not found`);
  return instance;
}

export function tagOf(instance: Instance, key: string): string | undefined {
  return instance.Tags?.find((t) => t.Key === key)?.Value;
}

export function instanceArn(settings: IncidentSettings, instanceId: string): string {
  return `arn:${settings.partition}:ec2:${settings.region}:${settings.account}:instance/${instanceId}`;
}

export async function networkAclOfSubnet(clients: IncidentClients, subnetId: string): Promise<NetworkAcl> {
  const out = await clients.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }));
  const acl = out.NetworkAcls?.[0];
  if (!acl?.NetworkAclId) refuse(`no network ACL is associated with subnet ${subnetId}`);
  return acl;
}

export async function networkAcl(clients: IncidentClients, networkAclId: string): Promise<NetworkAcl> {
  const out = await clients.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [networkAclId] }));
  const acl = out.NetworkAcls?.[0];
  if (!acl) refuse(`network ACL ${networkAclId} not found`);
  return acl;
}

/** Every private IPv4 address of every interface (secondary addresses too): the deny entries must cover them all. */
export function privateIps(eni: NonNullable<Instance['NetworkInterfaces']>[number]): string[] {
  const ips = (eni.PrivateIpAddresses ?? []).map((p) => p.PrivateIpAddress).filter((ip): ip is string => !!ip);
  return ips.length > 0 ? ips : eni.PrivateIpAddress ? [eni.PrivateIpAddress] : [];
}
