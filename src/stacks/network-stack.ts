import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../config';
import type { LogArchive } from '../constructs/detection/log-archive';
import { ServiceEndpoints } from '../constructs/network/service-endpoints';
import { TierNetworkAcls } from '../constructs/network/tier-network-acls';
import { TierSecurityGroups } from '../constructs/network/tier-security-groups';
import { TrafficMirroring } from '../constructs/network/traffic-mirroring';
import { VpcFlowLogs } from '../constructs/network/vpc-flow-logs';
import { WorkloadVpc } from '../constructs/network/workload-vpc';

export interface NetworkStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly logArchive: LogArchive;
}

/** The network tier every other tier stands in: VPC, NACLs, security groups, flow logs, endpoints, mirroring. */
export class NetworkStack extends Stack {
  readonly workloadVpc: WorkloadVpc;
  readonly securityGroups: TierSecurityGroups;
  readonly endpoints: ServiceEndpoints;
  readonly networkAcls: TierNetworkAcls;
  readonly flowLogs: VpcFlowLogs;
  private readonly zones: readonly string[];

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { settings, logArchive } = props;
    this.zones = settings.network.availabilityZones;
    const net = settings.network;
    const ports = { appPort: settings.application.port, databasePort: settings.data.port };

    this.workloadVpc = new WorkloadVpc(this, 'Vpc', { settings: net });
    const vpc = this.workloadVpc.vpc;

    this.networkAcls = new TierNetworkAcls(this, 'NetworkAcls', {
      vpc,
      plan: net.subnets,
      ingressCidrs: net.ingressCidrs,
      natEgress: net.natGateways !== 'none',
      cloudHsm: settings.keys.cloudHsm.enabled,
      ...ports,
    });
    this.securityGroups = new TierSecurityGroups(this, 'SecurityGroups', { vpc, vpcCidr: net.cidr, ingressCidrs: net.ingressCidrs, ...ports });

    this.flowLogs = new VpcFlowLogs(this, 'FlowLogs', {
      vpc,
      destination: net.flowLogs.destination,
      bucket: logArchive.logBucket,
      key: logArchive.key,
      retentionDays: net.flowLogs.retentionDays,
      maxAggregationSeconds: net.flowLogs.maxAggregationSeconds,
    });

    this.endpoints = new ServiceEndpoints(this, 'Endpoints', {
      vpc,
      subnets: this.workloadVpc.subnets('app'),
      securityGroup: this.securityGroups.endpoints,
      interfaceEndpoints: net.interfaceEndpoints,
      perimeter: { account: settings.account, organizationId: settings.organizationId },
      region: settings.region,
    });

    const mirroring = net.trafficMirroring;
    if (mirroring.enabled && mirroring.target) {
      new TrafficMirroring(this, 'TrafficMirroring', {
        vpcCidr: net.cidr,
        target: mirroring.target,
        sourceNetworkInterfaceIds: mirroring.sourceNetworkInterfaceIds,
        virtualNetworkId: mirroring.virtualNetworkId,
      });
    }
  }

  /** The configured zones. Without this override the VPC asks for a context lookup, which needs credentials. */
  override get availabilityZones(): string[] {
    return [...this.zones];
  }
}
