import { Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../config';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { LogArchive } from '../constructs/detection/log-archive';
import { ApiAccess } from '../constructs/network/api-access';
import { ServiceEndpoints } from '../constructs/network/service-endpoints';
import { TierNetworkAcls } from '../constructs/network/tier-network-acls';
import { TierSecurityGroups } from '../constructs/network/tier-security-groups';
import { TrafficMirroring } from '../constructs/network/traffic-mirroring';
import { VpcBaseline } from '../constructs/network/vpc-baseline';
import { VpcFlowLogs } from '../constructs/network/vpc-flow-logs';
import { WorkloadVpc } from '../constructs/network/workload-vpc';

export interface NetworkStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly logArchive: LogArchive;
  /** For the VPC baseline function: its environment and dead-letter queue (operations), its logs. */
  readonly keys: { readonly operations: kms.IKey; readonly logs: kms.IKey };
}

/**
 * AWS services the app fleet calls: the SSM Agent (ssm, ssmmessages, ec2messages), the CloudWatch agent (logs,
 * monitoring, ec2 for its tags), the service (kms, secretsmanager, S3 for the data bucket, packages and its bundle,
 * DynamoDB for the token vault). Each without an endpoint in the VPC is reached through NAT, named in the rule.
 */
export const FLEET_CALLS: readonly string[] = ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'monitoring', 'ec2', 'kms', 'secretsmanager', 's3', 'dynamodb'];

/** The network tier every other tier stands in: VPC, NACLs, security groups, flow logs, endpoints, mirroring. */
export class NetworkStack extends Stack {
  readonly workloadVpc: WorkloadVpc;
  readonly securityGroups: TierSecurityGroups;
  readonly endpoints: ServiceEndpoints;
  readonly networkAcls: TierNetworkAcls;
  /** The mirror target and filter, when traffic mirroring is enabled. */
  readonly trafficMirroring?: TrafficMirroring;
  readonly baseline: VpcBaseline;
  /** How workloads in this VPC reach AWS APIs; functions placed in the VPC find it through `ApiAccess.of(vpc)`. */
  readonly apiAccess: ApiAccess;
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
    this.baseline = new VpcBaseline(this, 'Baseline', {
      vpc,
      subnets: this.workloadVpc.subnets('app'),
      key: props.keys.operations,
      logsKey: props.keys.logs,
      logRetentionDays: net.flowLogs.retentionDays,
      dependsOn: [vpc.selectSubnets(this.workloadVpc.subnets('app')).internetConnectivityEstablished],
    });

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
      // The stage names its stacks `<app>-<environment>-<tier>`.
      stackNamePrefix: `${settings.appName}-${settings.name}-`,
      // The service's token vault is a DynamoDB table.
      dynamoDbGateway: true,
    });
    // The baseline answers CloudFormation through the S3 gateway once it exists, and reads EC2 through its endpoint.
    this.baseline.resource.node.addDependency(this.endpoints);

    this.apiAccess = new ApiAccess(vpc, {
      endpoints: this.securityGroups.endpoints,
      interfaceEndpoints: net.interfaceEndpoints,
      prefixLists: { s3: this.baseline.s3PrefixListId, dynamodb: this.baseline.dynamoDbPrefixListId },
    });
    this.apiAccess.allowEgress(this.securityGroups.app, FLEET_CALLS);
    // GuardDuty Runtime Monitoring places its own endpoint (and its own group) in the VPC; the agent reaches it inside the VPC.
    this.securityGroups.app.addEgressRule(ec2.Peer.ipv4(net.cidr), ec2.Port.tcp(443), 'GuardDuty runtime agent to the endpoint GuardDuty manages in this VPC');

    const mirroring = net.trafficMirroring;
    if (mirroring.enabled && mirroring.target) {
      this.trafficMirroring = new TrafficMirroring(this, 'TrafficMirroring', {
        vpcCidr: net.cidr,
        target: mirroring.target,
        sourceNetworkInterfaceIds: mirroring.sourceNetworkInterfaceIds,
        virtualNetworkId: mirroring.virtualNetworkId,
        sessionNumber: mirroring.sessionNumber,
      });
    }
  }

  /** The configured zones. Without this override the VPC asks for a context lookup, which needs credentials. */
  override get availabilityZones(): string[] {
    return [...this.zones];
  }
}
