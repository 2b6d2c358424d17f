import { Duration, Lazy, RemovalPolicy, TagManager, Tags } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { classify, type DataClassification } from '../data/classification';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import { type FleetServiceBundle, fleetUserData } from './fleet-user-data';
import { ServiceAsset } from './service-asset';

/** The service the fleet runs: its bundle, and the one grant that reads it. */
export interface FleetService {
  readonly bundle: FleetServiceBundle;
  grantDownload(grantee: iam.IGrantable): iam.Grant;
}

/** Public SSM parameters of the latest Amazon Linux 2023 AMI, by CPU architecture; resolved by CloudFormation at deploy time. */
export const AL2023_AMI_PARAMETERS: Readonly<Record<string, string>> = {
  [ec2.InstanceArchitecture.ARM_64]: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
  [ec2.InstanceArchitecture.X86_64]: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
};

/** Tag key the fleet's instances carry with the fleet name; Systems Manager targets them by it. */
export const FLEET_TAG = 'Fleet';

export interface AppFleetProps {
  /** Short name of the fleet: names its metric namespace and log groups, and is the value of its `Fleet` tag. */
  readonly fleetName: string;
  readonly vpc: ec2.IVpc;
  /** The private app subnets, in at least two zones. */
  readonly subnets: ec2.SubnetSelection;
  /** The network tier's app group (ingress only from the load balancer group); this construct adds no rule to it. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Port the workload listens on. */
  readonly appPort: number;
  /** Path the workload answers with 200 for health checks. @default '/health/ready' */
  readonly healthCheckPath?: string;
  /**
   * The documents service: downloaded, checked against its SHA-256 and run at boot; the role may read its bundle only.
   * @default - the repository's service (`service/src/main.ts`), bundled here as an asset
   */
  readonly service?: FleetService;
  /** The service's settings (its environment file); PORT and the TLS file paths are set here. @default - none more */
  readonly serviceEnvironment?: Readonly<Record<string, string>>;
  /** The load balancer's target group for the fleet. */
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  /** Encrypts the root volumes. Its policy must admit the Auto Scaling service-linked role (see `autoScalingKeyPolicyStatements`). */
  readonly volumeKey: kms.IKey;
  /** Encrypts the fleet's log groups. */
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  /** Classification tagged on instances, volumes and network interfaces, for backup selection and reviews. */
  readonly classification: DataClassification;
  /** Owner tagged with the classification. */
  readonly owner: string;
  /** @default 't4g.small' (Graviton; the AMI follows the type's architecture) */
  readonly instanceType?: string;
  /** @default 2 */
  readonly minCapacity?: number;
  /** @default 4 */
  readonly maxCapacity?: number;
  /**
   * Checked against min and max, but not written to the template: CloudFormation would reset a scaled group to it on
   * every deployment. The group starts at minCapacity and the CPU target scales it. @default - minCapacity
   */
  readonly desiredCapacity?: number;
  /** Root volume size in GiB. @default 20 */
  readonly rootVolumeGiB?: number;
  /** Average CPU utilization the group scales to keep. @default 50 */
  readonly cpuTargetPercent?: number;
  /** Time a new instance has before failing health checks gets it replaced. @default 5 minutes */
  readonly healthCheckGracePeriod?: Duration;
  /**
   * Idle time after which a tracked TCP connection is forgotten, so a
   * security-group swap during incident response cuts it within this time
   * (the EC2 default is 5 days). A peer silent for longer on a connection this
   * instance opened (a query running longer than this) loses its reply unless
   * TCP keepalives run more often. 60 seconds to 5 days.
   * @default 60 seconds
   */
  readonly tcpEstablishedTimeout?: Duration;
  /** Where launch and termination events (and their errors) go. @default - a topic created here */
  readonly notificationTopic?: sns.ITopic;
  /** OS user Session Manager runs shells as (must match the Session Manager preferences). @default 'ssm-user' */
  readonly sessionUser?: string;
  /** More tags for instances, volumes and network interfaces (e.g. `PatchGroup`). @default - none */
  readonly instanceTags?: Readonly<Record<string, string>>;
  /**
   * SSM parameter holding the fleet's AMI id (a hardened image), resolved by EC2 at every launch, so an
   * instance refresh picks up a new image without a deployment. The parameter's data type must be aws:ec2:image.
   * @default - the public Amazon Linux 2023 parameter of the type's architecture, resolved at deploy time
   */
  readonly imageParameterName?: string;
  /** Auto Scaling service-linked role the group uses (one with a custom suffix, named in the volume key's policy). @default - the account's default AWSServiceRoleForAutoScaling */
  readonly serviceLinkedRoleArn?: string;
}

/**
 * The app tier: an Auto Scaling group of Amazon Linux 2023 instances in the
 * private app subnets behind the load balancer's target group. Instances
 * require IMDSv2 with a hop limit of 1, have no key pair, no public address
 * and no SSH (Session Manager only), encrypted gp3 root volumes, detailed
 * monitoring and a short connection-tracking timeout; their role holds
 * Systems Manager core permissions and the CloudWatch agent's, nothing else.
 */
export class AppFleet extends Construct implements ec2.IConnectable, iam.IGrantable {
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly launchTemplate: ec2.LaunchTemplate;
  /** The instances' role; data-tier grants go here. */
  readonly role: iam.Role;
  readonly grantPrincipal: iam.IPrincipal;
  /** The app group as given, with the app port as default port. */
  readonly connections: ec2.Connections;
  readonly systemLogGroup: logs.LogGroup;
  readonly appLogGroup: logs.LogGroup;
  readonly notificationTopic: sns.ITopic;
  /** CloudWatch namespace of the agent's memory and disk metrics. */
  readonly metricNamespace: string;
  /** The service the instances run. */
  readonly service: FleetService;
  /** The tag every instance carries, for Systems Manager targets. */
  readonly fleetTag: { readonly key: string; readonly value: string };

  constructor(scope: Construct, id: string, props: AppFleetProps) {
    super(scope, id);
    const settings = validate(this, props);
    this.metricNamespace = `SRA/${props.fleetName}`;
    this.fleetTag = { key: FLEET_TAG, value: props.fleetName };
    this.connections = new ec2.Connections({ securityGroups: [props.securityGroup], defaultPort: ec2.Port.tcp(props.appPort) });

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Instances of the ${props.fleetName} fleet: Systems Manager and the CloudWatch agent`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    this.grantPrincipal = this.role;
    acknowledge(this.role, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason:
        'AmazonSSMManagedInstanceCore is the minimum SSM Agent needs (Session Manager, Patch Manager, Inventory, Inspector scans); AWS updates it with the agent, which a copy would not follow',
    });

    const logGroup = (name: string) =>
      new logs.LogGroup(this, name, { encryptionKey: props.logsKey, retention: props.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.RETAIN });
    this.systemLogGroup = logGroup('SystemLogs');
    this.appLogGroup = logGroup('AppLogs');
    this.grantAgent();
    this.service = props.service ?? new ServiceAsset(this, 'Service');
    this.service.grantDownload(this.role);

    this.launchTemplate = this.buildLaunchTemplate(props, settings);
    Tags.of(this.launchTemplate).add(FLEET_TAG, props.fleetName);
    for (const [key, value] of Object.entries(props.instanceTags ?? {})) Tags.of(this.launchTemplate).add(key, value);
    classify(this.launchTemplate, props.classification, props.owner);

    this.notificationTopic = props.notificationTopic ?? this.buildTopic(props.fleetName);
    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Group', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      launchTemplate: this.launchTemplate,
      minCapacity: settings.minCapacity,
      maxCapacity: settings.maxCapacity,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: props.healthCheckGracePeriod ?? Duration.minutes(5),
      }),
      // A changed launch template (new AMI, user data, settings) replaces instances one at a time, keeping capacity serving.
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({
        maxBatchSize: 1,
        minInstancesInService: Math.min(settings.minCapacity, settings.maxCapacity - 1),
        pauseTime: Duration.minutes(5),
      }),
      defaultInstanceWarmup: Duration.minutes(5),
      groupMetrics: [autoscaling.GroupMetrics.all()],
      notifications: [{ topic: this.notificationTopic, scalingEvents: autoscaling.ScalingEvents.ALL }],
    });
    if (props.serviceLinkedRoleArn) {
      (this.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup).serviceLinkedRoleArn = props.serviceLinkedRoleArn;
    }
    this.autoScalingGroup.attachToApplicationTargetGroup(props.targetGroup);
    this.autoScalingGroup.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: settings.cpuTargetPercent });
  }

  private buildLaunchTemplate(props: AppFleetProps, settings: Settings): ec2.LaunchTemplate {
    const instanceType = new ec2.InstanceType(settings.instanceType);
    // An immutable view: the network tier owns the group's rules, and target attachment would otherwise add some.
    const group = ec2.SecurityGroup.fromSecurityGroupId(this, 'AppGroup', props.securityGroup.securityGroupId, { mutable: false, allowAllOutbound: false });
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      versionDescription: `App instances of the ${props.fleetName} fleet`,
      instanceType,
      machineImage: props.imageParameterName
        ? ec2.MachineImage.resolveSsmParameterAtLaunch(props.imageParameterName, { os: ec2.OperatingSystemType.LINUX })
        : ec2.MachineImage.fromSsmParameter(AL2023_AMI_PARAMETERS[instanceType.architecture]!, { os: ec2.OperatingSystemType.LINUX }),
      userData: fleetUserData(this, {
        appPort: props.appPort,
        healthCheckPath: settings.healthCheckPath,
        metricNamespace: this.metricNamespace,
        systemLogGroupName: this.systemLogGroup.logGroupName,
        appLogGroupName: this.appLogGroup.logGroupName,
        sessionUser: settings.sessionUser,
        service: this.service.bundle,
        environment: props.serviceEnvironment ?? {},
      }),
      role: this.role,
      securityGroup: group,
      associatePublicIpAddress: false,
      httpEndpoint: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
      httpProtocolIpv6: false,
      instanceMetadataTags: false,
      detailedMonitoring: true,
      ebsOptimized: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(settings.rootVolumeGiB, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
            kmsKey: props.volumeKey,
            // Incident response sets DeleteOnTermination=false on an instance under investigation.
            deleteOnTermination: true,
          }),
        },
      ],
    });
    const cfn = launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate;
    // Not in the L2: short tracking timeouts make a security-group swap cut established flows (see ANCHORS, incident response).
    cfn.addPropertyOverride('LaunchTemplateData.NetworkInterfaces.0.ConnectionTrackingSpecification', {
      TcpEstablishedTimeout: settings.tcpEstablishedTimeout,
      UdpStreamTimeout: 60,
      UdpTimeout: 30,
    });
    // The L2 tags instances and volumes; network interfaces need the same tags (classification, fleet) for IR and reviews.
    cfn.addPropertyOverride(
      'LaunchTemplateData.TagSpecifications',
      Lazy.any({
        produce: () => {
          const tags = TagManager.of(launchTemplate)?.renderTags();
          return ['instance', 'volume', 'network-interface'].map((resourceType) => ({ ResourceType: resourceType, Tags: tags }));
        },
      }),
    );
    return launchTemplate;
  }

  /** The CloudWatch agent may publish only to its namespace and write only to the fleet's two log groups. */
  private grantAgent(): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AgentMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': this.metricNamespace } },
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AgentLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [this.systemLogGroup.logGroupArn, this.appLogGroup.logGroupArn],
      }),
    );
    acknowledge(this.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource * only for actions without resource-level permissions: cloudwatch:PutMetricData, held by its condition to the fleet\'s metric namespace, and logs:DescribeLogGroups, which Session Manager uses to check its group is encrypted',
    });
  }

  /**
   * Scaling events topic. It uses the AWS managed SNS key: Auto Scaling
   * publishes through its service-linked role, which that key's policy admits
   * and a customer key's would have to name.
   */
  private buildTopic(fleetName: string): sns.Topic {
    return new sns.Topic(this, 'ScalingEvents', {
      displayName: `${fleetName} fleet scaling events`,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
  }
}

interface Settings {
  readonly instanceType: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly cpuTargetPercent: number;
  readonly rootVolumeGiB: number;
  readonly healthCheckPath: string;
  readonly sessionUser: string;
  readonly tcpEstablishedTimeout: number;
}

function validate(scope: Construct, props: AppFleetProps): Settings {
  const fail = (message: string): never => {
    throw new Error(`${scope.node.path}: ${message}`);
  };
  const settings: Settings = {
    instanceType: props.instanceType ?? 't4g.small',
    minCapacity: props.minCapacity ?? 2,
    maxCapacity: props.maxCapacity ?? 4,
    cpuTargetPercent: props.cpuTargetPercent ?? 50,
    rootVolumeGiB: props.rootVolumeGiB ?? 20,
    healthCheckPath: props.healthCheckPath ?? '/health/ready',
    sessionUser: props.sessionUser ?? 'ssm-user',
    tcpEstablishedTimeout: (props.tcpEstablishedTimeout ?? Duration.seconds(60)).toSeconds(),
  };
  if (!/^[A-Za-z0-9-]{1,64}$/.test(props.fleetName)) fail(`fleetName may use letters, digits and "-" only, up to 64 characters (got ${JSON.stringify(props.fleetName)})`);
  if (!Number.isInteger(props.appPort) || props.appPort < 1 || props.appPort > 65535 || props.appPort === 22) {
    fail(`appPort must be a port number from 1 to 65535 other than 22 (got ${props.appPort})`);
  }
  if (!/^[a-z0-9-]+\.[a-z0-9]+$/.test(settings.instanceType)) fail(`instanceType must look like t4g.small (got ${JSON.stringify(settings.instanceType)})`);
  const { minCapacity: min, maxCapacity: max } = settings;
  if (!Number.isInteger(min) || min < 1) fail(`minCapacity must be a whole number of at least 1 (got ${min})`);
  if (!Number.isInteger(max) || max < min || max < 2) fail(`maxCapacity must be at least minCapacity and at least 2, so rolling updates can replace an instance (got ${max})`);
  if (props.desiredCapacity !== undefined && (props.desiredCapacity < min || props.desiredCapacity > max)) {
    fail(`desiredCapacity must lie between minCapacity and maxCapacity (got ${props.desiredCapacity})`);
  }
  if (!(settings.cpuTargetPercent > 0 && settings.cpuTargetPercent <= 100)) fail(`cpuTargetPercent must be above 0 and at most 100 (got ${settings.cpuTargetPercent})`);
  if (!Number.isInteger(settings.rootVolumeGiB) || settings.rootVolumeGiB < 8 || settings.rootVolumeGiB > 16384) {
    fail(`rootVolumeGiB must be a whole number from 8 to 16384 (got ${settings.rootVolumeGiB})`);
  }
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(settings.healthCheckPath)) fail(`healthCheckPath must be a URL path such as /health (got ${JSON.stringify(settings.healthCheckPath)})`);
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(settings.sessionUser) || settings.sessionUser === 'root') {
    fail(`sessionUser must be a Linux user name other than root (got ${JSON.stringify(settings.sessionUser)})`);
  }
  const timeout = settings.tcpEstablishedTimeout;
  if (!Number.isInteger(timeout) || timeout < 60 || timeout > 432000) fail(`tcpEstablishedTimeout must be a whole number of seconds from 60 to 432000 (got ${timeout})`);
  return settings;
}
