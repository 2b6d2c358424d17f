import { join } from 'node:path';
import { CustomResource, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as macie from 'aws-cdk-lib/aws-macie';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SecureProvider } from '../lambda/secure-provider';
import { addStatements, macieExportBucketStatements, macieExportKeyStatements } from './service-delivery-policies';

export const MACIE_HANDLER = join(__dirname, '..', '..', '..', 'functions', 'macie-configuration', 'handler.ts');

export interface MacieProps {
  /** How often updated policy findings are published. @default 'FIFTEEN_MINUTES' */
  readonly findingPublishingFrequency?: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS';
  /**
   * Where sensitive data discovery results go: the log archive bucket and the
   * logs key. Their policies must admit Macie (`macieExportBucketStatements`,
   * `macieExportKeyStatements`; added here for a bucket and key of this app).
   */
  readonly results: { readonly bucket: s3.IBucket; readonly key: kms.IKey; /** @default 'macie' */ readonly prefix?: string };
  readonly vpc: ec2.IVpc;
  /** Private subnets with a path to the Macie API (NAT, or a macie2 endpoint). */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the handler's environment and dead-letter queue. */
  readonly key: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * Amazon Macie for an account that runs it itself (standalone mode; in
 * organization mode the delegated administrator enables members): the
 * session, automated sensitive data discovery over every bucket (the data
 * bucket first among them), policy and sensitive data findings published to
 * Security Hub, and discovery results kept in the log archive under the logs
 * key. The session is retained on delete: disabling Macie deletes its
 * findings and discovery history.
 */
export class Macie extends Construct {
  readonly session: macie.CfnSession;
  readonly configuration: CustomResource;

  constructor(scope: Construct, id: string, props: MacieProps) {
    super(scope, id);
    const { bucket, key } = props.results;
    const prefix = props.results.prefix ?? 'macie';

    this.session = new macie.CfnSession(this, 'Session', {
      status: 'ENABLED',
      findingPublishingFrequency: props.findingPublishingFrequency ?? 'FIFTEEN_MINUTES',
    });
    this.session.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const bucketPolicy = addStatements(bucket, macieExportBucketStatements(bucket.bucketArn, prefix, key.keyArn));
    addStatements(key, macieExportKeyStatements());

    const provider = new SecureProvider(this, 'Provider', {
      entry: MACIE_HANDLER,
      description: 'Amazon Macie configuration',
      withIsComplete: false,
      vpc: props.vpc,
      subnets: props.subnets,
      key: props.key,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
    });
    provider.onEvent.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ConfigureMacieAccountSettings',
        // Account-level settings of the caller's Macie; none takes a resource ARN.
        actions: ['macie2:GetMacieSession', 'macie2:PutClassificationExportConfiguration', 'macie2:PutFindingsPublicationConfiguration', 'macie2:UpdateAutomatedDiscoveryConfiguration'],
        resources: ['*'],
      }),
    );

    this.configuration = new CustomResource(this, 'Resource', {
      serviceToken: provider.provider.serviceToken,
      resourceType: 'Custom::MacieConfiguration',
      serviceTimeout: provider.serviceTimeout,
      properties: { BucketName: bucket.bucketName, KeyPrefix: prefix, KmsKeyArn: key.keyArn },
    });
    this.configuration.node.addDependency(this.session);
    // Macie checks its access to the bucket when the export is configured.
    for (const { policyDependable } of bucketPolicy) if (policyDependable) this.configuration.node.addDependency(policyDependable);
  }
}
