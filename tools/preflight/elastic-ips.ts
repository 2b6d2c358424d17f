import { DescribeAddressesCommand } from '@aws-sdk/client-ec2';
import { describeQuota, quota } from './quota';
import type { Check } from './types';

/** EC2-VPC Elastic IPs per Region. */
export const ELASTIC_IP_QUOTA = { serviceCode: 'ec2', quotaCode: 'L-0263D0A3', documentedDefault: 5 } as const;

/** Each NAT gateway needs an Elastic IP; the Region's quota counts the ones already allocated. */
export const elasticIps: Check = async ({ clients, plan }) => {
  const needed = plan.resourceCounts['AWS::EC2::EIP'] ?? 0;
  if (needed === 0) return [];
  const inUse = (await clients.ec2.send(new DescribeAddressesCommand({}))).Addresses?.length ?? 0;
  const q = await quota(clients, ELASTIC_IP_QUOTA.serviceCode, ELASTIC_IP_QUOTA.quotaCode, ELASTIC_IP_QUOTA.documentedDefault);
  const detail = `${needed} Elastic IP(s) for NAT gateways + ${inUse} allocated; quota ${describeQuota(q)}`;
  if (needed + inUse > q.value) {
    return [{ status: 'FAIL', check: 'quota-elastic-ips', detail, remedy: `request an Elastic IP quota of at least ${needed + inUse} (Service Quotas ec2 ${ELASTIC_IP_QUOTA.quotaCode}), release unused addresses, or set network.natGateways: single` }];
  }
  return [{ status: 'PASS', check: 'quota-elastic-ips', detail }];
};
