import { Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { rootActivity } from '../detection/finding-patterns';
import { AccountSettings } from './account-settings';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy, updatePasswordPolicyParameters, validatePasswordPolicy } from './password-policy';

/**
 * What removing the guardrails does.
 * - `restore-defaults`: the password policy is deleted and the EBS default key
 *   reset to the AWS managed key, which is what a new account has. A policy or
 *   key that predates this stack is not restored: AwsCustomResource cannot read
 *   it back and branch on it ("no policy" is an error, not a value).
 * - `retain`: every setting stays as it is.
 * Either way, EBS encryption by default, S3 Block Public Access and the IMDSv2
 * default stay on: turning them off would expose data or credentials, and the
 * account had no reason to want that before.
 */
export type GuardrailRemoval = 'restore-defaults' | 'retain';

export interface AccountGuardrailsProps {
  /** IAM users' password policy. @default DEFAULT_PASSWORD_POLICY (14 characters, every class, 24 remembered, 90 days) */
  readonly passwordPolicy?: PasswordPolicy;
  /**
   * Key new EBS volumes of the whole account are encrypted with by default (the key ring's
   * `ebsDefault`). Its policy must admit EC2 for this account and every Auto Scaling
   * service-linked role, or other launches in the account fail.
   * @default - the AWS managed key (`aws/ebs`), which admits every principal of the account through EC2
   */
  readonly ebsKey?: kms.IKey;
  /** Hop limit of the instance metadata default: 1 keeps tokens on the instance; containers on EC2 need 2. @default 1 */
  readonly metadataHopLimit?: number;
  /** Where the root-activity alert goes, e.g. `FindingsRouting.target()`. */
  readonly alertTargets: readonly events.IRuleTarget[];
  /** What removing the construct does to the settings (see `GuardrailRemoval`). @default 'restore-defaults' */
  readonly removal?: GuardrailRemoval;
  /** The workload VPC, where the deploy-time function runs. */
  readonly vpc: ec2.IVpc;
  /** Private subnets with a route (NAT) to the IAM, EC2 and S3 Control APIs. */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the deploy-time function's log group. */
  readonly logsKey: kms.IKey;
  /** Days its logs are kept (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
}

const FIXED_ID = (name: string) => cr.PhysicalResourceId.of(name);

/**
 * The Security Pillar's credential protection and the SRA's account guardrails,
 * for settings that CloudFormation has no resource for (checked in aws-cdk-lib
 * 2.276: no account public access block, EBS default or instance-metadata
 * default resource): an IAM password policy, EBS encryption by default with
 * the data key, S3 Block Public Access for the whole account, and IMDSv2
 * required by default for new instances. Plus an alert on any root-user
 * activity.
 */
export class AccountGuardrails extends Construct {
  readonly passwordPolicy: cr.AwsCustomResource;
  readonly ebsDefaultKey: cr.AwsCustomResource;
  readonly ebsEncryptionByDefault: cr.AwsCustomResource;
  readonly s3BlockPublicAccess: cr.AwsCustomResource;
  readonly metadataDefaults: cr.AwsCustomResource;
  readonly rootActivityRule: events.Rule;
  /** The deploy-time function and role that apply these settings; other account-level settings of the stack use it too. */
  readonly settings: AccountSettings;

  constructor(scope: Construct, id: string, props: AccountGuardrailsProps) {
    super(scope, id);
    const policy = props.passwordPolicy ?? DEFAULT_PASSWORD_POLICY;
    validatePasswordPolicy(policy);
    const hopLimit = props.metadataHopLimit ?? 1;
    if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 64) throw new Error(`${this.node.path}: metadataHopLimit must be from 1 to 64 (got ${hopLimit})`);
    if (!props.alertTargets.length) throw new Error(`${this.node.path}: alertTargets is empty; root-user activity must alert someone`);
    const restore = (props.removal ?? 'restore-defaults') === 'restore-defaults';
    const settings = new AccountSettings(this, 'Settings', { vpc: props.vpc, subnets: props.subnets, logsKey: props.logsKey, logRetentionDays: props.logRetentionDays });
    this.settings = settings;

    this.passwordPolicy = settings.set('PasswordPolicy', {
      apply: { service: 'IAM', action: 'UpdateAccountPasswordPolicy', parameters: updatePasswordPolicyParameters(policy), physicalResourceId: FIXED_ID('account-password-policy') },
      undo: restore ? { service: 'IAM', action: 'DeleteAccountPasswordPolicy', ignoreErrorCodesMatching: 'NoSuchEntity' } : undefined,
      actions: ['iam:UpdateAccountPasswordPolicy', ...(restore ? ['iam:DeleteAccountPasswordPolicy'] : [])],
    });

    this.ebsDefaultKey = settings.set('EbsDefaultKey', {
      ...(props.ebsKey
        ? {
            apply: { service: 'EC2', action: 'ModifyEbsDefaultKmsKeyId', parameters: { KmsKeyId: props.ebsKey.keyArn }, physicalResourceId: FIXED_ID('ebs-default-kms-key') },
            undo: restore ? { service: 'EC2', action: 'ResetEbsDefaultKmsKeyId' } : undefined,
            actions: ['ec2:ModifyEbsDefaultKmsKeyId', ...(restore ? ['ec2:ResetEbsDefaultKmsKeyId'] : [])],
          }
        : {
            // Same resource, so switching between the two updates it in place.
            apply: { service: 'EC2', action: 'ResetEbsDefaultKmsKeyId', physicalResourceId: FIXED_ID('ebs-default-kms-key') },
            actions: ['ec2:ResetEbsDefaultKmsKeyId'],
          }),
    });
    this.ebsEncryptionByDefault = settings.set('EbsEncryptionByDefault', {
      apply: { service: 'EC2', action: 'EnableEbsEncryptionByDefault', physicalResourceId: FIXED_ID('ebs-encryption-by-default') },
      actions: ['ec2:EnableEbsEncryptionByDefault'],
    });
    // The key first, so no volume is created by default under the AWS managed key in between.
    this.ebsEncryptionByDefault.node.addDependency(this.ebsDefaultKey);

    this.s3BlockPublicAccess = settings.set('S3BlockPublicAccess', {
      apply: {
        service: 'S3Control',
        action: 'PutPublicAccessBlock',
        parameters: {
          AccountId: Stack.of(this).account,
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        },
        physicalResourceId: FIXED_ID('s3-account-public-access-block'),
      },
      // The IAM action of s3control:PutPublicAccessBlock for an account.
      actions: ['s3:PutAccountPublicAccessBlock'],
    });

    this.metadataDefaults = settings.set('InstanceMetadataDefaults', {
      apply: {
        service: 'EC2',
        action: 'ModifyInstanceMetadataDefaults',
        parameters: { HttpTokens: 'required', HttpPutResponseHopLimit: hopLimit },
        physicalResourceId: FIXED_ID('instance-metadata-defaults'),
      },
      actions: ['ec2:ModifyInstanceMetadataDefaults'],
    });

    this.rootActivityRule = new events.Rule(this, 'RootActivity', {
      description: 'Any request or console sign-in by the root user',
      eventPattern: rootActivity(),
      targets: [...props.alertTargets],
    });
  }
}
