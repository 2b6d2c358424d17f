import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { attachKeyUsePolicy } from '../keys/key-use-policy';
import { CLASSIFICATION_TAG, CLASSIFICATIONS } from './classification';

export interface DataBackupProps {
  readonly vaultName: string;
  readonly key: kms.IKey;
  /** Keys of the data being backed up, which the backup role must be able to read. */
  readonly sourceKeys: readonly kms.IKey[];
  /** Retention of daily, weekly and monthly recovery points, in days. */
  readonly retention: { readonly daily: number; readonly weekly: number; readonly monthly: number };
  /** governance: administrators may remove the lock; compliance: immutable once the 3-day grace time passes. */
  readonly lock: 'governance' | 'compliance';
  /** Copy every recovery point to this vault (another region or account). */
  readonly copyToVaultArn?: string;
}

const AWS_BACKUP_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
];

/**
 * AWS Backup for everything that carries a data classification tag (Aurora,
 * EBS, S3): a vault encrypted with the backup key under a vault lock, and a
 * daily (with continuous point-in-time recovery), weekly and monthly plan,
 * optionally copied to a second vault.
 */
export class DataBackup extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DataBackupProps) {
    super(scope, id);
    const { retention } = props;
    const longest = Math.max(retention.daily, retention.weekly, retention.monthly);
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
      lockConfiguration: {
        minRetention: Duration.days(Math.min(retention.daily, 7)),
        maxRetention: Duration.days(longest),
        changeableFor: props.lock === 'compliance' ? Duration.days(3) : undefined,
      },
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup: back up and restore the classified data of this environment',
      managedPolicies: AWS_BACKUP_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    for (const name of AWS_BACKUP_POLICIES) {
      acknowledge(this.role, {
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
        reason: 'AWS Backup documents these AWS-maintained service role policies; they follow each newly supported resource type, which a copy would not',
      });
    }
    attachKeyUsePolicy(this, 'KeyUse', this.role, [props.key, ...props.sourceKeys], 'AWS Backup: read classified data and write recovery points');

    const copyTarget = props.copyToVaultArn ? backup.BackupVault.fromBackupVaultArn(this, 'CopyTarget', props.copyToVaultArn) : undefined;
    const rule = (name: string, schedule: events.Schedule, days: number, continuous = false) =>
      new backup.BackupPlanRule({
        ruleName: name,
        scheduleExpression: schedule,
        deleteAfter: Duration.days(days),
        enableContinuousBackup: continuous && days <= 35,
        copyActions: copyTarget ? [{ destinationBackupVault: copyTarget, deleteAfter: Duration.days(days) }] : undefined,
        startWindow: Duration.hours(1),
        completionWindow: Duration.hours(8),
      });
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: props.vaultName,
      backupVault: this.vault,
      backupPlanRules: [
        rule('Daily', events.Schedule.cron({ hour: '4', minute: '0' }), retention.daily, true),
        rule('Weekly', events.Schedule.cron({ weekDay: 'SUN', hour: '4', minute: '30' }), retention.weekly),
        rule('Monthly', events.Schedule.cron({ day: '1', hour: '5', minute: '0' }), retention.monthly),
      ],
    });
    this.plan.addSelection('Classified', {
      backupSelectionName: 'classified-data',
      role: this.role,
      // Every resource that carries a classification, whatever its value, is in the plan.
      resources: CLASSIFICATIONS.map((value) => backup.BackupResource.fromTag(CLASSIFICATION_TAG, value)),
    });
  }

  /** Names resources in the plan explicitly, in addition to the tag selection (so a lost tag never drops them). */
  protect(id: string, resources: readonly backup.BackupResource[]): void {
    this.plan.addSelection(id, { role: this.role, resources: [...resources] });
  }
}
