import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { PurposeKey } from '../keys/purpose-key';
import { classify, type DataClassification } from './classification';

/** The table's key attribute: the token the service stores in place of the value. */
export const TOKEN_ATTRIBUTE = 'token';

export type TokenVaultKey =
  /** A key of the vault's own, created here. */
  | { readonly kind: 'own'; readonly alias: string; readonly administrators: readonly string[]; readonly deploymentRole: string }
  /** A key owned elsewhere (central key mode), which must admit DynamoDB use by this account. */
  | { readonly kind: 'existing'; readonly key: kms.IKey };

export interface TokenVaultProps {
  readonly key: TokenVaultKey;
  readonly classification: DataClassification;
  readonly owner: string;
}

/**
 * The token vault of the pillar's tokenization practice: a DynamoDB table of
 * token → sensitive value, encrypted with a key of its own (so reading the
 * vault needs a key grant no other data store shares), point-in-time recovery,
 * deletion protection, retained on removal. Writing a value (tokenize) and
 * reading one back (detokenize) are separate grants.
 */
export class TokenVault extends Construct {
  readonly table: dynamodb.Table;
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: TokenVaultProps) {
    super(scope, id);
    this.key =
      props.key.kind === 'own'
        ? new PurposeKey(this, 'Key', {
            alias: props.key.alias,
            description: 'Token vault: sensitive values replaced by tokens in the application data',
            administrators: props.key.administrators,
            deploymentRole: props.key.deploymentRole,
            viaServices: ['dynamodb'],
          }).key
        : props.key.key;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TOKEN_ATTRIBUTE, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      contributorInsightsSpecification: { enabled: false },
    });
    classify(this, props.classification, props.owner);
  }

  /**
   * Store new values: PutItem only, never returning an overwritten item (so a
   * writer cannot read values back through `ReturnValues`), and the key through DynamoDB only.
   */
  grantTokenize(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:PutItem'],
      resourceArns: [this.table.tableArn],
      conditions: { StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
    });
    this.grantKey(grantee, ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']);
    return grant;
  }

  /** Read a value back by its token: GetItem only (no Query or Scan, so no listing of the vault). */
  grantDetokenize(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem'], resourceArns: [this.table.tableArn] });
    this.grantKey(grantee, ['kms:Decrypt', 'kms:DescribeKey']);
    return grant;
  }

  private grantKey(grantee: iam.IGrantable, actions: string[]): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
    });
  }
}
