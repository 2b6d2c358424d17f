import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Perimeter } from '../network/endpoint-policies';
import { ServiceEndpoints } from '../network/service-endpoints';
import { VpcFlowLogs } from '../network/vpc-flow-logs';

/** What the workstation needs and nothing more: Session Manager, the agent's channels, KMS and its own logs; S3 through the gateway. */
export const CLEAN_ROOM_ENDPOINTS = ['ssm', 'ssmmessages', 'ec2messages', 'kms', 'logs'] as const;

export interface CleanRoomNetworkProps {
  /** The clean room's own address space; never the workload's. */
  readonly cidr: string;
  /** The one zone the workstation and the volumes made from snapshots share. */
  readonly zone: string;
  readonly perimeter: Perimeter;
  readonly region: string;
  /** Names of the stacks whose custom resources may answer CloudFormation through the S3 gateway, e.g. `sra-dev-`. */
  readonly stackNamePrefix: string;
  /** Flow logs go to the log archive's bucket, encrypted with the logs key. */
  readonly flowLogBucket: s3.IBucket;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * An isolated VPC for forensic work: one isolated subnet, no internet
 * gateway, no NAT, no peering; AWS is reached only through the S3 gateway
 * endpoint and the interface endpoints in `CLEAN_ROOM_ENDPOINTS`, each with
 * the network tier's perimeter policy. Flow logs record all traffic.
 */
export class CleanRoomNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly endpointsGroup: ec2.SecurityGroup;
  readonly endpoints: ServiceEndpoints;
  readonly subnets: ec2.SubnetSelection = { subnetGroupName: 'Forensics' };

  constructor(scope: Construct, id: string, props: CleanRoomNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: [props.zone],
      natGateways: 0,
      createInternetGateway: false,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [{ name: 'Forensics', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    new VpcFlowLogs(this, 'FlowLogs', {
      vpc: this.vpc,
      destination: 's3',
      bucket: props.flowLogBucket,
      key: props.logsKey,
      retentionDays: props.logRetentionDays,
      maxAggregationSeconds: 60,
    });
    this.endpointsGroup = new ec2.SecurityGroup(this, 'EndpointsGroup', {
      vpc: this.vpc,
      description: 'Clean-room interface endpoints: HTTPS from inside the clean room only',
      allowAllOutbound: false,
    });
    this.endpointsGroup.addIngressRule(ec2.Peer.ipv4(props.cidr), ec2.Port.tcp(443), 'HTTPS from inside the clean room');
    this.endpoints = new ServiceEndpoints(this, 'Endpoints', {
      vpc: this.vpc,
      subnets: this.subnets,
      securityGroup: this.endpointsGroup,
      interfaceEndpoints: CLEAN_ROOM_ENDPOINTS,
      perimeter: props.perimeter,
      region: props.region,
      stackNamePrefix: props.stackNamePrefix,
    });
  }
}
