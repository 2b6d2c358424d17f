import { Aws, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { acknowledge } from '../../compliance';
import { SecureProvider } from '../lambda/secure-provider';

export interface CloudHsmClusterProps {
  readonly vpc: ec2.IVpc;
  /** Subnets of the HSMs: one per zone, at least two zones (the data subnets). */
  readonly hsmSubnets: ec2.SubnetSelection;
  /** Subnets the provider functions run in, with a path to the CloudHSM API (the app subnets). */
  readonly functionSubnets: ec2.SubnetSelection;
  /** Security groups of the CloudHSM clients (the app fleet): ports 2223-2225 are opened from them to the HSMs. */
  readonly clients?: readonly ec2.ISecurityGroup[];
  /** @default 2 */
  readonly hsmCount?: number;
  /** CloudHSM's own backups of the cluster. @default 90 */
  readonly backupRetentionDays?: number;
  readonly key: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
}

/** CloudHSM client ports (CloudHSM User Guide, "Cluster security group"). */
export const CLOUDHSM_PORTS = [2223, 2225] as const;

const ENTRY = join(__dirname, '..', '..', '..', 'functions', 'cloudhsm-cluster', 'handler.ts');

/**
 * A CloudHSM v2 cluster with HSMs in separate zones of the data subnets.
 * CloudFormation has no resource for it, so a custom resource creates it,
 * waits (in the provider's Step Functions waiter) until the HSMs are active,
 * and never replaces or deletes a cluster that may hold keys: removal retains
 * it. Initialization and the KMS custom key store are operator steps
 * (docs/cloudhsm-runbook.md).
 */
export class CloudHsmCluster extends Construct {
  readonly clusterId: string;
  /** The security group CloudHSM created for the cluster; clients need 2223-2225 to it. */
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: CloudHsmClusterProps) {
    super(scope, id);
    const provider = new SecureProvider(this, 'Provider', {
      entry: ENTRY,
      description: 'CloudHSM cluster',
      withIsComplete: true,
      calls: ['cloudhsmv2'],
      vpc: props.vpc,
      subnets: props.functionSubnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      // Cluster creation plus two HSMs takes 15-40 minutes; CloudFormation allows a custom resource an hour at most.
      totalTimeout: Duration.minutes(57),
      queryInterval: Duration.minutes(1),
    });
    this.grantHandlers([provider.onEvent.role, provider.isComplete!.role]);

    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.provider.serviceToken,
      resourceType: 'Custom::CloudHsmCluster',
      serviceTimeout: provider.serviceTimeout,
      properties: {
        SubnetIds: props.vpc.selectSubnets(props.hsmSubnets).subnetIds,
        HsmCount: String(props.hsmCount ?? 2),
        BackupRetentionDays: String(props.backupRetentionDays ?? 90),
        RemovalPolicy: 'retain',
      },
    });
    this.clusterId = resource.getAttString('ClusterId');
    this.securityGroupId = resource.getAttString('SecurityGroupId');
    (props.clients ?? []).forEach((client, i) => this.allowClient(`Client${i + 1}`, client));
  }

  /**
   * CloudHSM's own group admits only its members; clients get 2223-2225 to it, in both groups (no client group allows
   * all outbound). Written as rules of this stack, since the group exists only once the cluster does.
   */
  private allowClient(id: string, client: ec2.ISecurityGroup): void {
    const [fromPort, toPort] = CLOUDHSM_PORTS;
    new ec2.CfnSecurityGroupIngress(this, `${id}Ingress`, {
      groupId: this.securityGroupId,
      sourceSecurityGroupId: client.securityGroupId,
      ipProtocol: 'tcp',
      fromPort,
      toPort,
      description: 'CloudHSM clients to the HSMs',
    });
    new ec2.CfnSecurityGroupEgress(this, `${id}Egress`, {
      groupId: client.securityGroupId,
      destinationSecurityGroupId: this.securityGroupId,
      ipProtocol: 'tcp',
      fromPort,
      toPort,
      description: 'to the CloudHSM cluster',
    });
  }

  private grantHandlers(roles: readonly iam.IRole[]): void {
    const stack = Stack.of(this);
    const inAccount = (service: string, resource: string) => `arn:${Aws.PARTITION}:${service}:${stack.region}:${stack.account}:${resource}`;
    const statements = [
      new iam.PolicyStatement({
        actions: ['cloudhsm:CreateCluster', 'cloudhsm:DescribeClusters', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        actions: ['cloudhsm:CreateHsm', 'cloudhsm:DeleteHsm', 'cloudhsm:DeleteCluster', 'cloudhsm:ModifyCluster', 'cloudhsm:TagResource', 'cloudhsm:UntagResource'],
        resources: [inAccount('cloudhsm', 'cluster/*')],
      }),
      new iam.PolicyStatement({
        // CloudHSM creates the cluster's security group and the HSMs' interfaces under the caller's identity.
        actions: [
          'ec2:CreateSecurityGroup',
          'ec2:AuthorizeSecurityGroupIngress',
          'ec2:AuthorizeSecurityGroupEgress',
          'ec2:RevokeSecurityGroupEgress',
          'ec2:DeleteSecurityGroup',
          'ec2:CreateNetworkInterface',
          'ec2:DeleteNetworkInterface',
          'ec2:CreateTags',
        ],
        resources: [inAccount('ec2', 'security-group/*'), inAccount('ec2', 'network-interface/*'), inAccount('ec2', 'subnet/*'), inAccount('ec2', 'vpc/*')],
      }),
      new iam.PolicyStatement({
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [`arn:${Aws.PARTITION}:iam::${stack.account}:role/aws-service-role/cloudhsm.amazonaws.com/*`],
        conditions: { StringEquals: { 'iam:AWSServiceName': 'cloudhsm.amazonaws.com' } },
      }),
    ];
    for (const role of roles) for (const statement of statements) role.addToPrincipalPolicy(statement);
    // One acknowledgement per finding, on this construct: it covers both handler roles and nothing outside.
    {
      for (const finding of [
        `Resource::arn:<AWS::Partition>:cloudhsm:${stack.region}:${stack.account}:cluster/*`,
        ...['security-group', 'network-interface', 'subnet', 'vpc'].map((r) => `Resource::arn:<AWS::Partition>:ec2:${stack.region}:${stack.account}:${r}/*`),
        `Resource::arn:<AWS::Partition>:iam::${stack.account}:role/aws-service-role/cloudhsm.amazonaws.com/*`,
      ]) {
        acknowledge(this, {
          id: `AwsSolutions-IAM5[${finding}]`,
          reason: 'The cluster, its security group and HSM interfaces get ids only when CloudHSM creates them, so the handler is scoped to this account and region, not to ids',
        });
      }
    }
  }
}
