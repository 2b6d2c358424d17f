import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TokenVault } from '../../../src/constructs/data/token-vault';

function build(kind: 'own' | 'existing' = 'own') {
  const stack = new Stack(new App(), 'Vault', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vault = new TokenVault(stack, 'TokenVault', {
    key:
      kind === 'own'
        ? { kind: 'own', alias: 'sra-app/test/token-vault', administrators: ['arn:aws:iam::111111111111:role/key-admins'], deploymentRole: 'arn:aws:iam::111111111111:role/deployer' }
        : { kind: 'existing', key: kms.Key.fromKeyArn(stack, 'Central', 'arn:aws:kms:eu-west-1:222222222222:key/11111111-2222-3333-4444-555555555555') },
    classification: 'critical',
    owner: 'payments-team',
  });
  const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  vault.grantTokenize(writer);
  vault.grantDetokenize(reader);
  return { template: Template.fromStack(stack), stack };
}

/** The statements of the inline policy attached to the role whose logical id starts with `role`. */
function statementsOf(template: Template, role: string): Record<string, unknown>[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(role));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('TokenVault', () => {
  const { template } = build();
  const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0]!;
  const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]!;

  test('a table encrypted with a key of its own, point-in-time recovery on, deletion protection, on-demand', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'token', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  test('table and key are retained on removal and replacement', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::KMS::Key']) {
      template.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('the key rotates and is usable through DynamoDB only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'UseThroughIamPoliciesViaServices', Condition: { StringEquals: { 'kms:ViaService': [{ 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] }] } } })]) },
    });
  });

  test('the table carries its classification and owner', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'critical' }, { Key: 'Owner', Value: 'payments-team' }]),
    });
  });

  const viaDynamo = { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } };

  test('tokenize is PutItem without returned values, and the key through DynamoDB: nothing that reads a value back', () => {
    expect(statementsOf(template, 'Writer')).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': [tableId, 'Arn'] }, Condition: { StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } } },
      { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: { 'Fn::GetAtt': [keyId, 'Arn'] }, Condition: viaDynamo },
    ]);
  });

  test('detokenize is GetItem by token only (no Query or Scan), and decryption through DynamoDB', () => {
    expect(statementsOf(template, 'Reader')).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: { 'Fn::GetAtt': [keyId, 'Arn'] }, Condition: viaDynamo },
    ]);
  });

  test('with a central key, no key is created and the table uses the given one', () => {
    const central = build('existing').template;
    central.resourceCountIs('AWS::KMS::Key', 0);
    central.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { KMSMasterKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/11111111-2222-3333-4444-555555555555' } });
  });
});
