import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';

/** Instances Systems Manager acts on: those carrying one of `values` under tag `key`. */
export interface InstanceTarget {
  readonly key: string;
  readonly values: readonly string[];
}

export interface PatchManagementProps {
  /** Prefix of the baseline, window and association names, e.g. `sra-app-dev`. */
  readonly name: string;
  /** The fleet's instances (see `AppFleet.fleetTag`). */
  readonly target: InstanceTarget;
  /** Days a released patch waits before it is approved (0–360). @default 7 */
  readonly approveAfterDays?: number;
  /**
   * Register the baseline as the account's default for Amazon Linux 2023
   * (`'default'`), or for one patch group (instances tagged `PatchGroup` with
   * this value).
   * @default 'default'
   */
  readonly registration?: 'default' | { readonly patchGroup: string };
  /** When patches are installed (a cron or rate expression of Systems Manager). @default 'cron(0 3 ? * SUN *)' (Sundays 03:00) */
  readonly installSchedule?: string;
  /** Time zone of `installSchedule` (IANA). @default 'UTC' */
  readonly scheduleTimezone?: string;
  /** Length of the maintenance window in hours (1–24). @default 3 */
  readonly windowHours?: number;
  /** Encrypts the log group receiving patch command output. */
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
}

const RUN_PATCH_BASELINE = 'AWS-RunPatchBaseline';

/**
 * Patch Manager for the fleet: an Amazon Linux 2023 baseline approving
 * security and bug-fix updates after a delay, a daily compliance scan, an
 * install with reboot (only when needed) in a weekly maintenance window, one
 * instance at a time, and a software inventory every 12 hours. The window's
 * service role may run only AWS-RunPatchBaseline, only on the fleet's
 * instances.
 */
export class PatchManagement extends Construct {
  readonly baseline: ssm.CfnPatchBaseline;
  readonly window: ssm.CfnMaintenanceWindow;
  readonly windowRole: iam.Role;
  /** Receives the install command's output. */
  readonly outputLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PatchManagementProps) {
    super(scope, id);
    const approveAfterDays = props.approveAfterDays ?? 7;
    const windowHours = props.windowHours ?? 3;
    if (!/^[A-Za-z0-9_.-]{3,100}$/.test(props.name)) throw new Error(`${this.node.path}: name may use letters, digits, "_", "." and "-" only, 3 to 100 characters (got ${JSON.stringify(props.name)})`);
    if (!Number.isInteger(approveAfterDays) || approveAfterDays < 0 || approveAfterDays > 360) {
      throw new Error(`${this.node.path}: approveAfterDays must be a whole number from 0 to 360 (got ${approveAfterDays})`);
    }
    if (!Number.isInteger(windowHours) || windowHours < 1 || windowHours > 24) throw new Error(`${this.node.path}: windowHours must be a whole number from 1 to 24 (got ${windowHours})`);
    if (!props.target.key || props.target.values.length === 0) throw new Error(`${this.node.path}: target needs a tag key and at least one value`);
    const schedule = props.installSchedule ?? 'cron(0 3 ? * SUN *)';
    if (!/^(cron|rate)\(.+\)$/.test(schedule)) throw new Error(`${this.node.path}: installSchedule must be a cron(...) or rate(...) expression (got ${JSON.stringify(schedule)})`);
    const targets = [{ key: `tag:${props.target.key}`, values: [...props.target.values] }];

    const registration = props.registration ?? 'default';
    this.baseline = new ssm.CfnPatchBaseline(this, 'Baseline', {
      name: `${props.name}-al2023`,
      description: `Security and bug-fix updates for Amazon Linux 2023, approved ${approveAfterDays} days after release`,
      operatingSystem: 'AMAZON_LINUX_2023',
      approvalRules: {
        patchRules: [
          {
            approveAfterDays,
            complianceLevel: 'CRITICAL',
            enableNonSecurity: false,
            patchFilterGroup: {
              patchFilters: [
                { key: 'CLASSIFICATION', values: ['Security'] },
                { key: 'SEVERITY', values: ['Critical', 'Important', 'Medium', 'Low'] },
              ],
            },
          },
          {
            approveAfterDays,
            complianceLevel: 'MEDIUM',
            enableNonSecurity: true,
            patchFilterGroup: { patchFilters: [{ key: 'CLASSIFICATION', values: ['Bugfix'] }] },
          },
        ],
      },
      availableSecurityUpdatesComplianceStatus: 'NON_COMPLIANT',
      defaultBaseline: registration === 'default',
      patchGroups: registration === 'default' ? undefined : [registration.patchGroup],
    });

    const scan = new ssm.CfnAssociation(this, 'Scan', {
      name: RUN_PATCH_BASELINE,
      associationName: `${props.name}-patch-scan`,
      parameters: { Operation: ['Scan'] },
      targets,
      scheduleExpression: 'rate(1 day)',
      complianceSeverity: 'HIGH',
      maxConcurrency: '50%',
      maxErrors: '25%',
    });
    // The first scan should already compare against this baseline, not the AWS default.
    scan.node.addDependency(this.baseline);
    new ssm.CfnAssociation(this, 'Inventory', {
      name: 'AWS-GatherSoftwareInventory',
      associationName: `${props.name}-inventory`,
      targets,
      scheduleExpression: 'rate(12 hours)',
      complianceSeverity: 'MEDIUM',
    });

    this.outputLogGroup = new logs.LogGroup(this, 'Output', {
      encryptionKey: props.logsKey,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.windowRole = this.buildWindowRole(props.target);
    this.window = new ssm.CfnMaintenanceWindow(this, 'Window', {
      name: `${props.name}-patch-install`,
      description: 'Installs approved patches on the app fleet, rebooting where needed',
      schedule,
      scheduleTimezone: props.scheduleTimezone ?? 'UTC',
      duration: windowHours,
      cutoff: 1,
      allowUnassociatedTargets: false,
    });
    const windowTarget = new ssm.CfnMaintenanceWindowTarget(this, 'WindowTarget', {
      windowId: this.window.ref,
      name: `${props.name}-fleet`,
      resourceType: 'INSTANCE',
      targets,
    });
    new ssm.CfnMaintenanceWindowTask(this, 'Install', {
      windowId: this.window.ref,
      name: `${props.name}-install`,
      taskType: 'RUN_COMMAND',
      taskArn: RUN_PATCH_BASELINE,
      priority: 1,
      targets: [{ key: 'WindowTargetIds', values: [windowTarget.ref] }],
      // One instance at a time: the others keep serving while it reboots (and, if the load balancer's
      // health check fails meanwhile, Auto Scaling replaces it with a fresh instance).
      maxConcurrency: '1',
      maxErrors: '1',
      serviceRoleArn: this.windowRole.roleArn,
      taskInvocationParameters: {
        maintenanceWindowRunCommandParameters: {
          documentVersion: '$DEFAULT',
          parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] },
          timeoutSeconds: 600,
          cloudWatchOutputConfig: { cloudWatchOutputEnabled: true, cloudWatchLogGroupName: this.outputLogGroup.logGroupName },
        },
      },
    });
  }

  /** What the instances' role needs for the install output to reach the log group. */
  grantInstanceAccess(role: iam.IRole): void {
    iam.Grant.addToPrincipal({ grantee: role, actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resourceArns: [this.outputLogGroup.logGroupArn] });
    iam.Grant.addToPrincipal({ grantee: role, actions: ['logs:DescribeLogGroups'], resourceArns: ['*'] });
  }

  private buildWindowRole(target: InstanceTarget): iam.Role {
    const stack = Stack.of(this);
    const role = new ManagedPolicyRole(this, 'WindowRole', {
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: 'Maintenance window: runs AWS-RunPatchBaseline on the app fleet only',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunPatchBaselineDocument',
        actions: ['ssm:SendCommand'],
        resources: [stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: RUN_PATCH_BASELINE })],
      }),
    );
    const instances = stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'OnFleetInstancesOnly',
        actions: ['ssm:SendCommand'],
        resources: [instances],
        conditions: { StringEquals: { [`ssm:resourceTag/${target.key}`]: [...target.values] } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FollowCommands',
        actions: ['ssm:CancelCommand', 'ssm:GetCommandInvocation', 'ssm:ListCommands', 'ssm:ListCommandInvocations'],
        resources: ['*'],
      }),
    );
    acknowledge(role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Cancelling, listing and reading command invocations support no resource-level permission; sending commands is limited to one document and to instances carrying the fleet tag',
    });
    acknowledge(role, {
      // The finding names the ARN as rendered: literal in an environment-specific stack, with <AWS::Partition> otherwise.
      id: `AwsSolutions-IAM5[Resource::${typeof stack.resolve(instances) === 'string' ? instances : `arn:<AWS::Partition>:ec2:${stack.region}:${stack.account}:instance/*`}]`,
      reason: 'Auto Scaling replaces instance IDs, so instances are named by wildcard and limited by the fleet tag condition (ssm:resourceTag) instead',
    });
    return role;
  }
}
