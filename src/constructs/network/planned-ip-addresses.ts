import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { SubnetPlan, Tier } from '../../config';

/** Subnet group names of the VPC, by tier. */
export const SUBNET_GROUPS: Readonly<Record<Tier, string>> = { public: 'Public', app: 'App', data: 'Data' };

/**
 * Hands the VPC the subnet CIDRs that config validation already proved fit,
 * so the address plan is computed in one place and the NACLs can name each
 * subnet's CIDR as a literal.
 */
export class PlannedIpAddresses implements ec2.IIpAddresses {
  constructor(
    private readonly cidr: string,
    private readonly zones: readonly string[],
    private readonly plan: SubnetPlan,
  ) {}

  allocateVpcCidr(): ec2.VpcIpamOptions {
    return { cidrBlock: this.cidr };
  }

  allocateSubnetsCidr(input: ec2.AllocateCidrRequest): ec2.SubnetIpamOptions {
    return {
      allocatedSubnets: input.requestedSubnets.map((request) => {
        const tier = (Object.keys(SUBNET_GROUPS) as Tier[]).find((t) => SUBNET_GROUPS[t] === request.configuration.name);
        const zone = this.zones.indexOf(request.availabilityZone);
        const cidr = tier && zone >= 0 ? this.plan[tier][zone] : undefined;
        if (!cidr) throw new Error(`no planned CIDR for subnet group ${request.configuration.name} in ${request.availabilityZone}`);
        return { cidr };
      }),
    };
  }
}
