import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { acknowledge } from '../../compliance';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import { SecureFunction } from '../lambda/secure-function';
import { arnToken } from './arn-token';
import { ContainmentGroups } from './containment-groups';
import { ForensicProfile } from './forensic-profile';
import { IncidentTriggers } from './incident-triggers';
import { stepStatements } from './step-permissions';
import { isolationDefinition, releaseDefinition, STEP_TIMEOUT } from './workflow-definitions';
import { arnOfThisAccount, servicePrincipalForThisAccount } from '../lambda/service-trust';

export const INCIDENT_STEP_HANDLER = join(__dirname, '..', '..', '..', 'functions', 'incident-step', 'handler.ts');
/** State machine names end so: `<stack>-incident-isolation`, `<stack>-incident-release`. */
export const STATE_MACHINE_SUFFIX = { isolation: '-incident-isolation', release: '-incident-release' } as const;
export const MEMORY_CAPTURE_DOCUMENT = join(__dirname, 'memory-capture.ssm.yaml');

/** GuardDuty finding types (prefixes) that mean an instance is compromised. */
export const DEFAULT_FINDING_TYPES = [
  'Backdoor:EC2',
  'CryptoCurrency:EC2',
  'Trojan:EC2',
  'UnauthorizedAccess:EC2',
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration',
] as const;

export interface IncidentResponseOptions {
  /** GuardDuty finding type prefixes that start isolation. @default DEFAULT_FINDING_TYPES */
  readonly findingTypes: readonly string[];
  /** Lowest GuardDuty severity (0.1-10) that starts isolation. @default 7 (high) */
  readonly minimumSeverity: number;
  /** Whether GuardDuty findings start isolation without a person. @default true */
  readonly autoIsolate: boolean;
  /** Standby keeps the instance in its group; detach removes it. Both keep the desired capacity, so a replacement launches. @default 'standby' */
  readonly autoScalingAction: 'standby' | 'detach';
  /** Run the memory capture document before the final group swap, and let the isolation group reach the endpoints. @default false */
  readonly memoryCapture: boolean;
  /** Record what would be done and change nothing, unless an execution's input says otherwise. @default false */
  readonly dryRun: boolean;
  /** Seconds the interfaces hold the untrack group before the isolation group. @default 10 */
  readonly untrackWaitSeconds: number;
}

export interface IncidentWorkflowsProps {
  /** The workload VPC: the containment groups live here, and the steps may change interfaces only here. */
  readonly vpc: ec2.IVpc;
  /** Where the step function runs: subnets that reach the EC2, Auto Scaling, ELB, IAM, S3, SNS and SSM APIs. */
  readonly appSubnets: ec2.ISubnet[];
  /** The network ACLs whose reserved rule numbers (1-99) the workflow may write deny entries into, by tier. */
  readonly networkAcls: Readonly<Record<string, ec2.INetworkAcl>>;
  /** The interface endpoints' group: the isolation group's only egress when memory capture is on. */
  readonly endpointsSecurityGroup: ec2.ISecurityGroup;
  readonly evidenceBucket: s3.IBucket;
  /** Encrypts evidence, the function's environment and its dead letters. */
  readonly evidenceKey: kms.IKey;
  /** Encrypts the state machines' and the function's logs: the account's logs key, whose policy admits CloudWatch Logs. */
  readonly logsKey: kms.IKey;
  /** The findings routing topic: every case's outcome goes here. */
  readonly notificationTopic: sns.ITopic;
  /** Roles of the instances the workflow may contain: the only roles it may put the deny policy on. */
  readonly instanceRoles: readonly iam.IRole[];
  readonly options: IncidentResponseOptions;
  /** @default 365 */
  readonly logRetentionDays?: number;
}

/**
 * The incident isolation and release workflows (Step Functions Standard),
 * the function that runs their steps, the containment groups, the forensic
 * instance profile, the memory capture document, and the triggers: GuardDuty
 * findings, a Security Hub custom action, and (through `grantStart*`) the
 * `isolate`, `release` and `gameday` commands.
 */
export class IncidentWorkflows extends Construct {
  readonly isolation: sfn.IStateMachine;
  readonly release: sfn.IStateMachine;
  readonly groups: ContainmentGroups;
  readonly forensicProfile: ForensicProfile;
  readonly stepFunction: SecureFunction;
  readonly triggers: IncidentTriggers;

  constructor(scope: Construct, id: string, props: IncidentWorkflowsProps) {
    super(scope, id);
    const { options } = props;
    validate(this, options);
    const retention = props.logRetentionDays ?? 365;

    this.groups = new ContainmentGroups(this, 'Groups', { vpc: props.vpc, endpointsSecurityGroup: props.endpointsSecurityGroup, memoryCapture: options.memoryCapture });
    this.forensicProfile = new ForensicProfile(this, 'Forensic', { evidenceBucket: props.evidenceBucket, evidenceKey: props.evidenceKey, memoryPrefix: 'cases/' });
    const memoryDocument = options.memoryCapture
      ? new ssm.CfnDocument(this, 'MemoryCaptureDocument', {
          documentType: 'Command',
          documentFormat: 'YAML',
          content: parse(readFileSync(MEMORY_CAPTURE_DOCUMENT, 'utf8')),
          updateMethod: 'NewVersion',
        })
      : undefined;

    this.stepFunction = new SecureFunction(this, 'Steps', {
      entry: INCIDENT_STEP_HANDLER,
      description: 'Incident response: runs each step of the isolation and release workflows',
      vpc: props.vpc,
      subnets: { subnets: props.appSubnets },
      key: props.evidenceKey,
      logsKey: props.logsKey,
      logRetentionDays: retention,
      timeout: STEP_TIMEOUT.minus(Duration.seconds(5)),
      memorySize: 512,
      reservedConcurrency: 10,
      // IAM has no endpoint a VPC can hold: revoking and restoring instance credentials goes through NAT.
      calls: ['ec2', 'autoscaling', 'elasticloadbalancing', 'iam', 's3', 'sns', 'ssm'],
      environment: {
        EVIDENCE_BUCKET: props.evidenceBucket.bucketName,
        EVIDENCE_KEY_ARN: props.evidenceKey.keyArn,
        TOPIC_ARN: props.notificationTopic.topicArn,
        UNTRACK_GROUP_ID: this.groups.untrack.securityGroupId,
        ISOLATION_GROUP_ID: this.groups.isolation.securityGroupId,
        FORENSIC_PROFILE_ARN: this.forensicProfile.profile.instanceProfileArn,
        FORENSIC_PROFILE_NAME: this.forensicProfile.profile.instanceProfileName,
        AUTOSCALING_ACTION: options.autoScalingAction,
        MEMORY_CAPTURE: String(options.memoryCapture),
        MEMORY_DOCUMENT: memoryDocument?.ref ?? 'none',
        DRY_RUN_DEFAULT: String(options.dryRun),
        ACCOUNT_ID: Aws.ACCOUNT_ID,
        PARTITION: Aws.PARTITION,
      },
    });
    const role = this.stepFunction.role;
    for (const statement of stepStatements(this, {
      vpc: props.vpc,
      networkAcls: Object.values(props.networkAcls),
      instanceRoles: props.instanceRoles,
      forensicRole: this.forensicProfile.role,
      memoryDocumentName: memoryDocument?.ref,
    })) {
      role.addToPrincipalPolicy(statement);
    }
    // Evidence: written once per key under cases/ (dry runs under dry-runs/), read back only to verify a case record.
    const cases = props.evidenceBucket.arnForObjects('cases/*');
    const dryRuns = props.evidenceBucket.arnForObjects('dry-runs/*');
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'WriteEvidence', actions: ['s3:PutObject'], resources: [cases, dryRuns] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadCaseRecords', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [cases] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ListCaseRecordVersions', actions: ['s3:ListBucket', 's3:ListBucketVersions'], resources: [props.evidenceBucket.bucketArn] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EvidenceKeyThroughS3AndSns',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.evidenceKey.keyArn, ...(props.notificationTopic.masterKey ? [props.notificationTopic.masterKey.keyArn] : [])],
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'Notify', actions: ['sns:Publish'], resources: [props.notificationTopic.topicArn] }));
    acknowledgeStepRole(role, props.evidenceBucket);

    this.isolation = this.stateMachine('Isolation', 'isolation', isolationDefinition(this, { fn: this.stepFunction.function, untrackWaitSeconds: options.untrackWaitSeconds, memoryCapture: options.memoryCapture }), props, retention);
    this.release = this.stateMachine('Release', 'release', releaseDefinition(new Construct(this, 'ReleaseStates'), this.stepFunction.function), props, retention);
    this.triggers = new IncidentTriggers(this, 'Triggers', {
      isolation: this.isolation,
      key: props.evidenceKey,
      findingTypes: options.findingTypes,
      minimumSeverity: options.minimumSeverity,
      autoIsolate: options.autoIsolate,
    });
  }

  /** Lets a responder (or the `isolate` and `gameday` commands) start and follow isolations. */
  grantStartIsolation(grantee: iam.IGrantable): iam.Grant {
    return this.grantStartAndRead(this.isolation, grantee);
  }

  /** Lets a responder (or the `release` command) start and follow releases. */
  grantStartRelease(grantee: iam.IGrantable): iam.Grant {
    return this.grantStartAndRead(this.release, grantee);
  }

  /**
   * Start, and follow the executions of, one workflow: exactly what the commands call (`grantRead` would add
   * activities and every state machine's executions). Execution names are made per case, so the execution ARN
   * ends in a wildcard under this workflow's name only; the acknowledgement sits on the grantee's policy.
   */
  private grantStartAndRead(machine: sfn.IStateMachine, grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const name = machine === this.isolation ? 'isolation' : 'release';
    const machineName = `${stack.stackName}-incident-${name}`;
    const grant = machine.grantStartExecution(grantee);
    machine.grant(grantee, 'states:DescribeStateMachine', 'states:ListExecutions');
    const executions = `arn:${Aws.PARTITION}:states:${stack.region}:${stack.account}:execution:${machineName}:*`;
    iam.Grant.addToPrincipal({ grantee, actions: ['states:DescribeExecution', 'states:GetExecutionHistory'], resourceArns: [executions] });
    // The commands find the workflow by name; listing takes no resource.
    iam.Grant.addToPrincipal({ grantee, actions: ['states:ListStateMachines'], resourceArns: ['*'] });
    const policy = grantee.grantPrincipal instanceof iam.Role ? grantee.grantPrincipal : undefined;
    if (policy) {
      acknowledge(policy, {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${stack.region}:${stack.account}:execution:${machineName}:*]`,
        reason: `Executions of the ${name} workflow are named per case when they start; the grant reads only executions of this one state machine`,
      });
      acknowledge(policy, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'states:ListStateMachines supports no resource-level permission; the incident commands use it to find the workflow by name',
      });
    }
    return grant;
  }

  private stateMachine(id: string, name: string, definition: sfn.IChainable, props: IncidentWorkflowsProps, retention: number): sfn.StateMachine {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      encryptionKey: props.logsKey,
      retention: retention as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const machine = new sfn.StateMachine(this, id, {
      // A known name, so the isolate, release and gameday commands find the workflow without the stack's outputs.
      stateMachineName: `${Stack.of(this).stackName}-incident-${name}`,
      role: new ManagedPolicyRole(this, `${id}Role`, {
        assumedBy: servicePrincipalForThisAccount('states.amazonaws.com', arnOfThisAccount('states', 'stateMachine:*')),
        description: `Incident ${name} workflow`,
      }),
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: `Incident ${name} workflow`,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.minutes(30),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    acknowledge(machine.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Step Functions log delivery and X-Ray calls (logs:CreateLogDelivery and the rest, xray:PutTraceSegments) support no resource-level permission',
    });
    acknowledge(machine.role, {
      id: `AwsSolutions-IAM5[Resource::${arnToken(this.stepFunction.function)}:*]`,
      reason: 'Invoking the step function by any version or alias of its own ARN, as the Lambda task grants it; no other function',
    });
    return machine;
  }
}

function validate(scope: Construct, o: IncidentResponseOptions): void {
  const fail = (field: string, allowed: string, got: unknown) => {
    throw new Error(`${scope.node.path}: response.${field} must be ${allowed}, got ${JSON.stringify(got)}`);
  };
  if (!(o.minimumSeverity >= 0.1 && o.minimumSeverity <= 10)) fail('minimumSeverity', 'a number from 0.1 to 10', o.minimumSeverity);
  if (o.findingTypes.length === 0 || o.findingTypes.some((t) => !/^[A-Za-z]+:[A-Za-z0-9/.&:-]+$/.test(t))) {
    fail('findingTypes', 'a non-empty list of GuardDuty finding type prefixes such as Backdoor:EC2', o.findingTypes);
  }
  if (!Number.isInteger(o.untrackWaitSeconds) || o.untrackWaitSeconds < 1 || o.untrackWaitSeconds > 120) {
    fail('untrackWaitSeconds', 'a whole number of seconds from 1 to 120', o.untrackWaitSeconds);
  }
  if (o.autoScalingAction !== 'standby' && o.autoScalingAction !== 'detach') fail('autoScalingAction', 'standby or detach', o.autoScalingAction);
}

function acknowledgeStepRole(role: iam.IRole, bucket: s3.IBucket): void {
  const scoped = (resource: string, reason: string) => acknowledge(role, { id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
  const inAccount = (service: string, resource: string, region = '<AWS::Region>') => `arn:<AWS::Partition>:${service}:${region}:<AWS::AccountId>:${resource}`;
  scoped('*', 'Only calls with no resource-level permission carry Resource *: EC2, Auto Scaling and ELB Describe calls that list, plus the VPC attachment and X-Ray calls of every function');
  scoped(inAccount('ec2', 'instance/*'), 'The compromised instance is known only when a finding arrives; every instance is a possible case, and the calls are attribute, console output and screenshot reads, freeze, tags and profile swaps');
  scoped(inAccount('ec2', 'network-interface/*'), 'Interfaces of the compromised instance, known only at run time; limited to the workload VPC by an ec2:Vpc condition');
  scoped(inAccount('ec2', 'security-group/*'), 'The groups an interface leaves and joins, known only at run time; limited to the workload VPC by an ec2:Vpc condition');
  scoped(inAccount('ec2', 'volume/*'), 'Snapshots of the compromised instance volumes, known only at run time; CreateSnapshot only');
  scoped(inAccount('ec2', 'snapshot/*', ''), 'Snapshots the workflow creates (and tags at creation only, by an ec2:CreateAction condition) have ids made at run time');
  scoped(inAccount('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*'), 'Auto Scaling group ARNs carry a generated id; only standby and attach/detach of the compromised instance');
  scoped(inAccount('elasticloadbalancing', 'targetgroup/*/*'), 'Target groups of the compromised instance are found at run time; only register and deregister');
  scoped('arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*', 'Reads the instance profile of the compromised instance to find its role; read only');
  scoped(`${arnToken(bucket)}/cases/*`, 'Evidence keys hold the case id, made at run time; write once and read back case records');
  scoped(`${arnToken(bucket)}/dry-runs/*`, 'Dry-run plans are recorded under their own prefix with the case id made at run time');
}
