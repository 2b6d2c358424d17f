import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CLASSIFICATION_CONTROLS, CLASSIFICATIONS, clearancesFor, type DataClassification } from '../../../src/constructs/data/classification';
import { DataBucket } from '../../../src/constructs/data/data-bucket';
import { TOKENIZED_FIELDS } from '../../../service/src/tokenization/policy';
import { resourcesOfType, synthesizeExample } from '../../helpers/app';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> };

/** The data bucket alone, at one classification: a small stack per level instead of a whole synth. */
function bucketStatements(classification: DataClassification): Statement[] {
  const stack = new Stack(new App(), 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });
  new DataBucket(stack, 'Bucket', {
    bucketName: 'sra-app-dev-data-111111111111-eu-west-1',
    key: new kms.Key(stack, 'Key'),
    accessLogs: new s3.Bucket(stack, 'AccessLogs'),
    gatewayEndpointId: 'vpce-0123456789abcdef0',
    exemptRoleArns: ['arn:aws:iam::111111111111:role/admins'],
    noncurrentVersionDays: 90,
    classification,
  });
  const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy'));
  return policy!.Properties.PolicyDocument.Statement as Statement[];
}

describe('classification drives controls', () => {
  test('the table: stricter levels add controls, never drop them', () => {
    expect(CLASSIFICATION_CONTROLS).toEqual({
      public: { objectLock: 'optional', backupCopy: false, hsmBackedKey: false, tokenizedFields: ['nationalId'], clearance: false },
      internal: { objectLock: 'optional', backupCopy: false, hsmBackedKey: false, tokenizedFields: ['nationalId'], clearance: false },
      confidential: { objectLock: 'optional', backupCopy: false, hsmBackedKey: false, tokenizedFields: ['nationalId', 'dateOfBirth'], clearance: true },
      critical: { objectLock: 'COMPLIANCE', backupCopy: true, hsmBackedKey: true, tokenizedFields: ['nationalId', 'dateOfBirth', 'email'], clearance: true },
    });
    expect(clearancesFor('confidential')).toEqual(['confidential', 'critical']);
    expect(clearancesFor('public')).toEqual(['public', 'internal', 'confidential', 'critical']);
  });

  test('the tokenized fields are the ones the service tokenizes', () => {
    for (const level of CLASSIFICATIONS) expect(CLASSIFICATION_CONTROLS[level].tokenizedFields).toEqual(TOKENIZED_FIELDS[level]);
  });

  test.each(CLASSIFICATIONS.map((c) => [c]))('%s: the data bucket admits only cleared principals when the level asks for clearance', (level) => {
    const cleared = bucketStatements(level).find((s) => s.Sid === 'OnlyClearedPrincipals');
    if (!CLASSIFICATION_CONTROLS[level].clearance) {
      expect(cleared).toBeUndefined();
      return;
    }
    expect(cleared).toMatchObject({ Effect: 'Deny', Condition: { StringNotEquals: { 'aws:PrincipalTag/DataClearance': clearancesFor(level) } } });
    expect(cleared!.Action).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:PutObject*']));
  });

  describe('in the synthesized examples (dev is confidential, prod critical)', () => {
    const dev = synthesizeExample('dev');
    const prod = synthesizeExample('prod');
    const roleTags = (s: typeof dev, stack: string, prefix: string) =>
      (resourcesOfType(s.json[stack]!, 'AWS::IAM::Role').find(([id]) => id.startsWith(prefix))![1].Tags as { Key: string; Value: string }[]).find((t) => t.Key === 'DataClearance')?.Value;

    test('the roles that touch the data carry the clearance: fleet, backup, bootstrap', () => {
      expect(roleTags(dev, 'Application', 'FleetRole')).toBe('confidential');
      expect(roleTags(dev, 'Data', 'BackupRole')).toBe('confidential');
      expect(roleTags(dev, 'Data', 'DatabaseBootstrapFunctionRole')).toBe('confidential');
      expect(roleTags(prod, 'Application', 'FleetRole')).toBe('critical');
    });

    test('the data key and the token vault key refuse direct use without clearance, and leave use through services alone', () => {
      const keyStatement = (s: typeof dev, stack: string, prefix: string) =>
        (resourcesOfType(s.json[stack]!, 'AWS::KMS::Key').find(([id]) => id.startsWith(prefix))![1].KeyPolicy.Statement as Statement[]).find((x) => x.Sid === 'OnlyClearedPrincipals');
      for (const statement of [keyStatement(dev, 'Security', 'KeysData'), keyStatement(dev, 'Data', 'TokenVaultKey')]) {
        expect(statement).toMatchObject({
          Effect: 'Deny',
          Condition: { StringNotEquals: { 'aws:PrincipalTag/DataClearance': ['confidential', 'critical'] }, Null: { 'kms:ViaService': 'true' }, Bool: { 'aws:PrincipalIsAWSService': 'false' } },
        });
        expect(statement!.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
      }
    });

    test('critical: compliance-mode lock on the data bucket and a copy of every recovery point elsewhere', () => {
      const [, bucket] = resourcesOfType(prod.json.Data!, 'AWS::S3::Bucket')[0]!;
      expect(bucket.ObjectLockConfiguration.Rule.DefaultRetention.Mode).toBe('COMPLIANCE');
      const [, plan] = resourcesOfType(prod.json.Data!, 'AWS::Backup::BackupPlan')[0]!;
      for (const rule of plan.BackupPlan.BackupPlanRule as { CopyActions?: unknown[] }[]) expect(rule.CopyActions).toHaveLength(1);
      const cleared = (resourcesOfType(prod.json.Data!, 'AWS::S3::BucketPolicy')[0]![1].PolicyDocument.Statement as Statement[]).find((s) => s.Sid === 'OnlyClearedPrincipals');
      expect(cleared!.Condition!.StringNotEquals).toEqual({ 'aws:PrincipalTag/DataClearance': ['critical'] });
    });
  });
});
