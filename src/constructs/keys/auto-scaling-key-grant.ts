import { join } from 'node:path';
import { CustomResource, Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { GRANT_OPERATIONS } from '../../../functions/kms-grant/properties';
import { SecureProvider } from '../lambda/secure-provider';

/** The handler: creates, replaces and retires one KMS grant. */
export const KMS_GRANT_HANDLER = join(__dirname, '..', '..', '..', 'functions', 'kms-grant', 'handler.ts');

export { GRANT_OPERATIONS };

export interface AutoScalingKeyGrantProps {
  /** The key encrypting the fleet's volumes, owned by another account or created outside this app. */
  readonly key: kms.IKey;
  /** The Auto Scaling service-linked role that launches the fleet. */
  readonly serviceLinkedRoleArn: string;
  /** Grant name, unique to the environment: a retried create returns the same grant. */
  readonly name: string;
  readonly vpc: ec2.IVpc;
  /** Private subnets with a path to KMS (the kms endpoint). */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the handler's environment and dead-letter queue. */
  readonly operationsKey: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * A KMS grant letting this account's Auto Scaling service-linked role use a
 * key it cannot be given through a key policy: a key of another account (its
 * policy can name the role, but a service-linked role's own policies can never
 * allow a foreign key), or a key whose policy this app does not write (an
 * HSM-backed key). Created from this account, so the key's owner only has to
 * let this account create exactly this grant (see `npm run prerequisites`).
 */
export class AutoScalingKeyGrant extends Construct {
  readonly resource: CustomResource;
  readonly provider: SecureProvider;

  constructor(scope: Construct, id: string, props: AutoScalingKeyGrantProps) {
    super(scope, id);
    this.provider = new SecureProvider(this, 'Provider', {
      entry: KMS_GRANT_HANDLER,
      description: 'KMS grant for the Auto Scaling service-linked role',
      withIsComplete: false,
      calls: ['kms'],
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.operationsKey,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
    });
    const role = this.provider.onEvent.role;
    // Exactly this grant on exactly this key: this grantee, these operations, retirable by this role.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CreateTheAutoScalingGrant',
        actions: ['kms:CreateGrant'],
        resources: [props.key.keyArn],
        conditions: {
          StringEquals: { 'kms:GranteePrincipal': props.serviceLinkedRoleArn, 'kms:RetiringPrincipal': role.roleArn },
          'ForAllValues:StringEquals': { 'kms:GrantOperations': [...GRANT_OPERATIONS] },
        },
      }),
    );
    // As the grant's retiring principal the role may retire it; this names the key for the record.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RetireTheGrant', actions: ['kms:RetireGrant'], resources: [props.key.keyArn] }));

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.provider.serviceToken,
      resourceType: 'Custom::KmsGrant',
      // A handler that cannot answer fails the deployment in minutes, not CloudFormation's hour.
      serviceTimeout: Duration.minutes(5),
      properties: {
        KeyArn: props.key.keyArn,
        GranteePrincipal: props.serviceLinkedRoleArn,
        RetiringPrincipal: role.roleArn,
        Name: props.name,
        Operations: [...GRANT_OPERATIONS],
      },
    });
  }
}
