import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as macie from 'aws-cdk-lib/aws-macie';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { AccountSettings } from '../guardrails/account-settings';
import { addStatements, macieExportBucketStatements, macieExportKeyStatements } from './service-delivery-policies';

export interface MacieProps {
  /** How often updated policy findings are published. @default 'FIFTEEN_MINUTES' */
  readonly findingPublishingFrequency?: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS';
  /**
   * Where sensitive data discovery results go: the log archive bucket and the
   * logs key. Their policies must admit Macie (`macieExportBucketStatements`,
   * `macieExportKeyStatements`; added here for a bucket and key of this app).
   */
  readonly results: { readonly bucket: s3.IBucket; readonly key: kms.IKey; /** @default 'macie' */ readonly prefix?: string };
  /** The stack's account-settings function (e.g. `AccountGuardrails.settings`), which applies the settings CloudFormation has no resource for. */
  readonly settings: AccountSettings;
}

/**
 * Amazon Macie for an account that runs it itself (standalone mode; in
 * organization mode the delegated administrator enables members):
 *
 * - the session (AWS::Macie::Session), retained on delete: disabling Macie deletes its findings and discovery history;
 * - sensitive data discovery results kept in the log archive under the logs key (PutClassificationExportConfiguration),
 *   set first: Macie checks the bucket and key policies then, and discovery needs a results repository;
 * - policy and sensitive data findings published to Security Hub (PutFindingsPublicationConfiguration);
 * - automated sensitive data discovery over every bucket of the account, the data bucket among them
 *   (UpdateAutomatedDiscoveryConfiguration).
 *
 * Each call is a put of the whole setting, so create and update are the same;
 * removing the construct changes nothing in Macie.
 */
export class Macie extends Construct {
  readonly session: macie.CfnSession;
  readonly resultsExport: cr.AwsCustomResource;
  readonly securityHubPublication: cr.AwsCustomResource;
  readonly automatedDiscovery: cr.AwsCustomResource;

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

    this.resultsExport = props.settings.set('MacieResultsExport', {
      apply: {
        service: 'Macie2',
        action: 'PutClassificationExportConfiguration',
        parameters: { configuration: { s3Destination: { bucketName: bucket.bucketName, keyPrefix: prefix, kmsKeyArn: key.keyArn } } },
        physicalResourceId: cr.PhysicalResourceId.of('macie-classification-export'),
      },
      actions: ['macie2:PutClassificationExportConfiguration'],
    });
    this.resultsExport.node.addDependency(this.session);
    for (const { policyDependable } of bucketPolicy) if (policyDependable) this.resultsExport.node.addDependency(policyDependable);

    this.securityHubPublication = props.settings.set('MacieSecurityHubPublication', {
      apply: {
        service: 'Macie2',
        action: 'PutFindingsPublicationConfiguration',
        parameters: { securityHubConfiguration: { publishPolicyFindings: true, publishClassificationFindings: true } },
        physicalResourceId: cr.PhysicalResourceId.of('macie-security-hub-publication'),
      },
      actions: ['macie2:PutFindingsPublicationConfiguration'],
    });
    this.securityHubPublication.node.addDependency(this.session);

    this.automatedDiscovery = props.settings.set('MacieAutomatedDiscovery', {
      apply: {
        service: 'Macie2',
        action: 'UpdateAutomatedDiscoveryConfiguration',
        parameters: { status: 'ENABLED' },
        physicalResourceId: cr.PhysicalResourceId.of('macie-automated-discovery'),
      },
      actions: ['macie2:UpdateAutomatedDiscoveryConfiguration'],
    });
    this.automatedDiscovery.node.addDependency(this.resultsExport);
  }
}
