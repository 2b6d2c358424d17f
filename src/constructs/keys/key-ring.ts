import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { autoScalingKeyPolicyStatements, autoScalingServiceLinkedRoleArn } from '../compute/fleet-key-access';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { USAGE_ACTIONS } from './key-policy';
import { PurposeKey } from './purpose-key';

export const KEY_PURPOSES = ['data', 'logs', 'secrets', 'backup', 'operations'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/** What each key protects, and the services through which the account may use it. */
export const PURPOSES: Readonly<Record<KeyPurpose, { description: string; viaServices: readonly string[]; directUseEncryptionContextKeys?: readonly string[] }>> = {
  data: { description: 'Application data: Aurora storage and Performance Insights, EBS volumes, the data bucket', viaServices: ['rds', 's3', 'ec2'] },
  logs: { description: 'Account logs: VPC flow logs, CloudWatch Logs groups, the log bucket', viaServices: ['logs', 's3'] },
  secrets: { description: 'Secrets Manager secrets: database credentials and webhook secrets', viaServices: ['secretsmanager'] },
  backup: { description: 'AWS Backup vault and its recovery points', viaServices: ['backup'] },
  operations: {
    description: 'Operational data: Lambda environments, dead-letter queues, notification topics, Session Manager sessions',
    // Lambda (environments), SQS (dead-letter queues), SNS (the findings topic), Systems Manager (session documents).
    viaServices: ['lambda', 'sqs', 'sns', 'ssm'],
    // Session Manager's agent and plugin call KMS themselves; their requests carry the session id as encryption context.
    directUseEncryptionContextKeys: ['aws:ssm:SessionId'],
  },
};

export type KeyRingProps = {
  readonly serviceLinkedRoleSuffix: string;
  /** The bootstrap qualifier (`cdk bootstrap --qualifier`), naming the default execution role. */
  readonly qualifier: string;
  /** The role CloudFormation deploys as. @default the bootstrap's cdk-<qualifier>-cfn-exec-role-<account>-<region> */
  readonly executionRoleArn?: string;
} & (
  | {
      readonly mode: 'local';
      /** Prefix of every alias, e.g. `sra-app/dev`. */
      readonly aliasPrefix: string;
      /** Roles that administer the keys; the CloudFormation execution role is added, as it must be able to set policies. */
      readonly administratorRoleArns: readonly string[];
      /** HSM-backed keys (from the CloudHSM custom key store) to use instead of a local key, by purpose. */
      readonly replacements?: Partial<Record<KeyPurpose, string>>;
    }
  | {
      readonly mode: 'central';
      /** Keys owned by the security account, by purpose. Their policies must grant this account use. */
      readonly keyArns: Readonly<Record<KeyPurpose, string>>;
      /** Roles that administer this account's data resources (exempt from the data perimeters). */
      readonly administratorRoleArns: readonly string[];
    }
);

/**
 * One customer-managed key per purpose. In `local` mode this account creates
 * and administers them; in `central` mode (the SRA's second KMS design
 * consideration) the security account owns them and this account only uses
 * them, so no construct here can change a key policy or delete a key.
 */
export class KeyRing extends Construct {
  readonly data: kms.IKey;
  readonly logs: kms.IKey;
  readonly secrets: kms.IKey;
  readonly backup: kms.IKey;
  readonly operations: kms.IKey;
  /**
   * The account's EBS default key (`local` mode): new volumes of any launch in the account, not only
   * this fleet's, are encrypted with it, so it admits every Auto Scaling service-linked role of the
   * account through EC2. Undefined in `central` mode: the account default stays the AWS managed key.
   */
  readonly ebsDefault?: kms.IKey;
  /**
   * The key the Aurora cluster is created with and keeps: the data key as first deployed. An HSM-backed data key set
   * later does not change it, because CloudFormation replaces an Aurora cluster whose key changes; the local key stays
   * in the stack for it (and for objects and recovery points written before the switch).
   */
  readonly databaseKey: kms.IKey;
  /** The Auto Scaling service-linked role the app fleet launches with; the data key admits it for encrypted volumes. */
  readonly autoScalingRoleArn: string;
  /**
   * Whether the role needs a KMS grant on the data key (`AutoScalingKeyGrant`): the key's policy is not this
   * app's to write (central or HSM-backed key). Otherwise the data key's policy admits the role.
   */
  readonly autoScalingNeedsGrant: boolean;
  readonly mode: 'local' | 'central';
  /**
   * The configured administrators and the CloudFormation execution role: they administer local keys,
   * and the data perimeters (secret and bucket policies) exempt them.
   */
  readonly administratorRoleArns: readonly string[];

  constructor(scope: Construct, id: string, props: KeyRingProps) {
    super(scope, id);
    this.mode = props.mode;
    const keys = {} as Record<KeyPurpose, kms.IKey>;
    const local = {} as Partial<Record<KeyPurpose, kms.IKey>>;
    const deploymentRole = props.executionRoleArn ?? bootstrapExecutionRoleArn(this, props.qualifier);
    this.administratorRoleArns = [...props.administratorRoleArns, deploymentRole];
    if (props.mode === 'central') {
      for (const purpose of KEY_PURPOSES) keys[purpose] = kms.Key.fromKeyArn(this, pascal(purpose), props.keyArns[purpose]);
    } else {
      for (const purpose of KEY_PURPOSES) {
        local[purpose] = new PurposeKey(this, pascal(purpose), {
          alias: `${props.aliasPrefix}/${purpose}`,
          description: PURPOSES[purpose].description,
          administrators: props.administratorRoleArns,
          deploymentRole,
          viaServices: PURPOSES[purpose].viaServices,
          directUseEncryptionContextKeys: PURPOSES[purpose].directUseEncryptionContextKeys,
        }).key;
        const replacement = props.replacements?.[purpose];
        keys[purpose] = replacement ? kms.Key.fromKeyArn(this, `${pascal(purpose)}HsmBacked`, replacement) : local[purpose];
      }
    }
    if (props.mode === 'local') {
      const ebsDefault = new PurposeKey(this, 'EbsDefault', {
        alias: `${props.aliasPrefix}/ebs-default`,
        description: 'Account default for new EBS volumes: any launch in the account, through EC2',
        administrators: props.administratorRoleArns,
        deploymentRole,
        viaServices: ['ec2'],
      }).key;
      for (const statement of accountVolumeKeyStatements()) ebsDefault.addToResourcePolicy(statement);
      this.ebsDefault = ebsDefault;
    }
    this.autoScalingRoleArn = this.createAutoScalingRole(props);
    this.data = keys.data;
    this.logs = keys.logs;
    this.secrets = keys.secrets;
    this.backup = keys.backup;
    this.operations = keys.operations;
    this.databaseKey = local.data ?? keys.data;
    // The volumes use the data key in force; when its policy is not this app's to write, a grant admits the role.
    this.autoScalingNeedsGrant = !(keys.data instanceof kms.Key);
    const localData = local.data;
    if (localData instanceof kms.Key) {
      for (const statement of autoScalingKeyPolicyStatements(this.autoScalingRoleArn)) localData.addToResourcePolicy(statement);
      localData.node.addDependency(this.node.findChild('AutoScalingRole'));
    }
  }

  /**
   * A service-linked role of Auto Scaling for this environment alone: KMS
   * refuses a key policy naming a role that does not exist, and the account's
   * default role may not exist yet, while creating it here would fail where it does.
   */
  private createAutoScalingRole(props: KeyRingProps): string {
    const suffix = props.serviceLinkedRoleSuffix;
    new iam.CfnServiceLinkedRole(this, 'AutoScalingRole', {
      awsServiceName: 'autoscaling.amazonaws.com',
      customSuffix: suffix,
      description: `Launches the ${suffix} app fleet with volumes encrypted by the data key`,
    });
    return autoScalingServiceLinkedRoleArn(Stack.of(this).account, suffix);
  }
}

/**
 * Auto Scaling launches with its service-linked role (the account's default `AWSServiceRoleForAutoScaling`
 * or one with a suffix), which has no KMS permission of its own: the key policy must admit it. Named by
 * `aws:PrincipalArn` rather than as the principal, because KMS refuses a policy naming a role that does
 * not exist yet, and the default role appears only with the account's first Auto Scaling group.
 * Only through EC2 and only from this account.
 */
function accountVolumeKeyStatements(): iam.PolicyStatement[] {
  const throughEc2 = { 'kms:ViaService': `ec2.${Aws.REGION}.amazonaws.com`, 'kms:CallerAccount': Aws.ACCOUNT_ID };
  const autoScalingRoles = { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling*` };
  return [
    new iam.PolicyStatement({
      sid: 'AutoScalingRolesEncryptVolumes',
      principals: [new iam.AnyPrincipal()],
      actions: USAGE_ACTIONS,
      resources: ['*'],
      conditions: { StringEquals: throughEc2, ArnLike: autoScalingRoles },
    }),
    new iam.PolicyStatement({
      sid: 'AutoScalingRolesAttachVolumes',
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { StringEquals: throughEc2, ArnLike: autoScalingRoles, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
}

/** The CDK bootstrap's CloudFormation execution role: it creates the keys, so it must be able to set their policies. */
function bootstrapExecutionRoleArn(scope: Construct, qualifier: string): string {
  const stack = Stack.of(scope);
  return `arn:${Aws.PARTITION}:iam::${stack.account}:role/cdk-${qualifier}-cfn-exec-role-${stack.account}-${stack.region}`;
}

function pascal(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The role CloudFormation deploys this environment with: the configured one, else the bootstrap's for the qualifier. */
export function executionRoleArn(scope: Construct, deployment: { readonly qualifier: string; readonly cloudFormationExecutionRoleArn?: string }): string {
  return deployment.cloudFormationExecutionRoleArn ?? bootstrapExecutionRoleArn(scope, deployment.qualifier);
}
