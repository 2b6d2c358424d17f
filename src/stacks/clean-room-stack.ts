import { type CfnElement, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from '../compliance';
import type { EnvironmentSettings } from '../config';
import { PurposeKey } from '../constructs/keys/purpose-key';
import { executionRoleArn } from '../constructs/keys/key-ring';
import { CleanRoomNetwork } from '../constructs/response/clean-room-network';
import { CleanRoomOperator } from '../constructs/response/clean-room-operator';
import { CleanRoomWorkstation } from '../constructs/response/clean-room-workstation';
import { acknowledgeInRegionLogs } from '../constructs/storage/log-replication';
import { SecureBucket } from '../constructs/storage/secure-bucket';
import type { ApplicationStack } from './application-stack';
import type { SecurityStack } from './security-stack';

export interface CleanRoomStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly security: SecurityStack;
  /** Its Session Manager preferences (session key and log group) apply to every instance in the Region, the workstation included. */
  readonly application: ApplicationStack;
  /** Roles that run `npm run clean-room` (the responder role), by name. @default - none */
  readonly operatorRoleNames?: readonly string[];
}

/**
 * The pillar's clean room: a trusted environment built from a template for
 * one investigation, isolated from the workload (its own VPC, no internet),
 * with a forensic workstation reached only through Session Manager and an
 * output bucket of its own. Synthesized only when `response.cleanRoom.enabled`.
 */
export class CleanRoomStack extends Stack {
  readonly network: CleanRoomNetwork;
  readonly workstation: CleanRoomWorkstation;
  readonly outputBucket: SecureBucket;
  private readonly zones: readonly string[];

  constructor(scope: Construct, id: string, props: CleanRoomStackProps) {
    super(scope, id, props);
    const { settings, security, application } = props;
    const room = settings.response.cleanRoom;
    const zone = settings.network.availabilityZones[0]!;
    this.zones = [zone];
    const retention = settings.network.flowLogs.retentionDays;

    const key = new PurposeKey(this, 'Key', {
      alias: `${settings.appName}/${settings.name}/clean-room`,
      description: 'Forensic clean room: workstation volumes, volumes made from case snapshots, the output bucket',
      administrators: settings.keys.administratorRoleArns,
      deploymentRole: executionRoleArn(this, settings.deployment),
      viaServices: ['ec2', 's3'],
    }).key;

    this.network = new CleanRoomNetwork(this, 'Network', {
      cidr: room.cidr,
      zone,
      perimeter: { account: settings.account, organizationId: settings.organizationId },
      region: settings.region,
      stackNamePrefix: `${settings.appName}-${settings.name}-`,
      flowLogBucket: security.logArchive.logBucket,
      logsKey: security.keys.logs,
      logRetentionDays: retention,
    });

    this.workstation = new CleanRoomWorkstation(this, 'Workstation', {
      vpc: this.network.vpc,
      subnets: this.network.subnets,
      endpointsGroup: this.network.endpointsGroup,
      instanceType: room.instanceType,
      volumeKey: key,
    });
    application.systemsManager.sessions.grantInstanceAccess(this.workstation.role);

    this.outputBucket = new SecureBucket(this, 'Output', {
      encryption: { kind: 'kms', key },
      serverAccessLogs: { bucket: security.logArchive.accessLogBucket, prefix: `${settings.appName}-${settings.name}-clean-room/` },
      objectLock: { defaultRetention: { mode: 'COMPLIANCE', days: settings.response.evidenceRetentionDays } },
      noncurrentVersionDays: settings.response.evidenceRetentionDays,
    });
    // Findings stay in the Region of the incident, like the evidence they come from.
    acknowledgeInRegionLogs(this.outputBucket);
    const bucket = this.outputBucket.bucket;
    iam.Grant.addToPrincipal({ grantee: this.workstation.role, actions: ['s3:PutObject', 's3:GetObject'], resourceArns: [bucket.arnForObjects('*')] });
    key.grant(this.workstation.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    acknowledge(this.workstation.role, {
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
      reason: 'The workstation writes and reads its findings in its own output bucket, under names chosen during the analysis; it cannot delete (Object Lock) or reach any other bucket',
    });

    if (props.operatorRoleNames?.length) {
      new CleanRoomOperator(this, 'Operator', {
        roleNames: props.operatorRoleNames,
        workstationArn: this.formatArn({ service: 'ec2', resource: 'instance', resourceName: this.workstation.instance.instanceId }),
        snapshotKey: security.keys.data,
        volumeKey: key,
      });
    }
  }

  /** The workstation's zone. Without this override the VPC asks for a context lookup, which needs credentials. */
  override get availabilityZones(): string[] {
    return [...this.zones];
  }
}
