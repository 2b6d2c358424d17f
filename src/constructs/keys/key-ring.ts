import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { autoScalingKeyPolicyStatements, autoScalingServiceLinkedRoleArn } from '../compute/fleet-key-access';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { PurposeKey } from './purpose-key';

export const KEY_PURPOSES = ['data', 'logs', 'secrets', 'backup', 'operations'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/** What each key protects, and the services through which the account may use it. */
const PURPOSES: Readonly<Record<KeyPurpose, { description: string; viaServices: readonly string[] }>> = {
  data: { description: 'Application data: Aurora storage and Performance Insights, EBS volumes, the data bucket', viaServices: ['rds', 's3', 'ec2'] },
  logs: { description: 'Account logs: VPC flow logs, CloudWatch Logs groups, the log bucket', viaServices: ['logs', 's3'] },
  secrets: { description: 'Secrets Manager secrets: database credentials and webhook secrets', viaServices: ['secretsmanager'] },
  backup: { description: 'AWS Backup vault and its recovery points', viaServices: ['backup'] },
  operations: {
    description: 'Operational data: Lambda environments, dead-letter queues, notification topics, Session Manager sessions',
    // Direct use: instances encrypt Session Manager sessions and functions read their environments themselves.
    viaServices: [],
  },
};

export type KeyRingProps = { readonly serviceLinkedRoleSuffix: string } & (
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
  /** The Auto Scaling service-linked role the app fleet launches with; the data key admits it for encrypted volumes. */
  readonly autoScalingRoleArn: string;
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
    const deploymentRole = deploymentRoleArn(this);
    this.administratorRoleArns = [...props.administratorRoleArns, deploymentRole];
    if (props.mode === 'central') {
      for (const purpose of KEY_PURPOSES) keys[purpose] = kms.Key.fromKeyArn(this, pascal(purpose), props.keyArns[purpose]);
    } else {
      for (const purpose of KEY_PURPOSES) {
        const replacement = props.replacements?.[purpose];
        keys[purpose] = replacement
          ? kms.Key.fromKeyArn(this, `${pascal(purpose)}HsmBacked`, replacement)
          : new PurposeKey(this, pascal(purpose), {
              alias: `${props.aliasPrefix}/${purpose}`,
              description: PURPOSES[purpose].description,
              administrators: props.administratorRoleArns,
              deploymentRole,
              viaServices: PURPOSES[purpose].viaServices,
            }).key;
      }
    }
    this.autoScalingRoleArn = this.createAutoScalingRole(props);
    this.data = keys.data;
    this.logs = keys.logs;
    this.secrets = keys.secrets;
    this.backup = keys.backup;
    this.operations = keys.operations;
    if (keys.data instanceof kms.Key) {
      for (const statement of autoScalingKeyPolicyStatements(this.autoScalingRoleArn)) keys.data.addToResourcePolicy(statement);
      keys.data.node.addDependency(this.node.findChild('AutoScalingRole'));
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

/** The CDK bootstrap's CloudFormation execution role: it creates the keys, so it must be able to set their policies. */
export function deploymentRoleArn(scope: Construct): string {
  const stack = Stack.of(scope);
  return `arn:${Aws.PARTITION}:iam::${stack.account}:role/cdk-hnb659fds-cfn-exec-role-${stack.account}-${stack.region}`;
}

function pascal(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
