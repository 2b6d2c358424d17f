import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledgeAll } from '../../compliance';
import type { NetworkSettings } from '../../config';
import { PlannedIpAddresses, SUBNET_GROUPS } from './planned-ip-addresses';

export interface WorkloadVpcProps {
  readonly settings: NetworkSettings;
}

/**
 * The application VPC: per zone a public subnet (load balancer and NAT only),
 * a private app subnet and an isolated data subnet with no route out. No
 * subnet gives instances public addresses. The default security group is
 * stripped of its rules by `VpcBaseline`.
 */
export class WorkloadVpc extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: WorkloadVpcProps) {
    super(scope, id);
    const { settings } = props;
    const natGateways = settings.natGateways === 'none' ? 0 : settings.natGateways === 'single' ? 1 : settings.availabilityZones.length;
    this.vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: new PlannedIpAddresses(settings.cidr, settings.availabilityZones, settings.subnets),
      availabilityZones: [...settings.availabilityZones],
      enableDnsHostnames: true,
      enableDnsSupport: true,
      natGateways,
      natGatewaySubnets: { subnetGroupName: SUBNET_GROUPS.public },
      // Closed by VpcBaseline, our own function, rather than the CDK's provider outside the VPC.
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: SUBNET_GROUPS.public, subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
        {
          name: SUBNET_GROUPS.app,
          // Without NAT the app tier reaches AWS only through endpoints.
          subnetType: natGateways > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
        },
        { name: SUBNET_GROUPS.data, subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    // One decision, acknowledged once for the VPC rather than once per public subnet: only the public subnets have a
    // route to the internet gateway (the app subnets route to NAT, the data subnets nowhere; a test checks both).
    acknowledgeAll(
      this.vpc,
      ['NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW', 'PCI.DSS.321-VPCNoUnrestrictedRouteToIGW', 'HIPAA.Security-VPCNoUnrestrictedRouteToIGW'],
      'Only the public subnets route to the internet gateway, and they hold only the internet-facing load balancer and NAT gateways, which need that default route; no instance there gets a public address and the public ACL admits only 443, 80 and return traffic',
    );
  }

  /** Subnets of one tier. */
  subnets(group: keyof typeof SUBNET_GROUPS): ec2.SubnetSelection {
    return { subnetGroupName: SUBNET_GROUPS[group] };
  }
}
