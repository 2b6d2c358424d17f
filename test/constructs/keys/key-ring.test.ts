import { ADMINISTRATION_ACTIONS, POLICY_ACTIONS, PROTECTED_ACTIONS } from '../../../src/constructs/keys/key-policy';
import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Principal: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const ADMIN = 'arn:aws:iam::111111111111:role/sra-key-administrators';
const DEPLOY = /cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1/;
const actions = (s: Statement) => [s.Action].flat();

describe('KeyRing (local mode)', () => {
  const { json } = synthesizeExample('dev');
  const keys = resourcesOfType(json.Security!, 'AWS::KMS::Key');
  const aliases = resourcesOfType(json.Security!, 'AWS::KMS::Alias').map(([, a]) => a.AliasName);

  test('one key per purpose, each rotating yearly with a 30-day deletion window, retained', () => {
    expect(aliases.sort()).toEqual([
      'alias/sra-app/dev/backup',
      'alias/sra-app/dev/data',
      'alias/sra-app/dev/ebs-default',
      'alias/sra-app/dev/logs',
      'alias/sra-app/dev/operations',
      'alias/sra-app/dev/secrets',
    ]);
    for (const [id, key] of keys) {
      expect(key).toMatchObject({ EnableKeyRotation: true, PendingWindowInDays: 30, RotationPeriodInDays: 365 });
      expect(json.Security!.Resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  describe.each(['Data', 'Logs', 'Secrets', 'Backup', 'Operations', 'EbsDefault'])('the %s key policy', (purpose) => {
    const [, key] = keys.find(([id]) => id.startsWith(`Keys${purpose}`))!;
    const statements = (key.KeyPolicy as { Statement: Statement[] }).Statement;
    const sid = (name: string) => statements.find((s) => s.Sid === name)!;

    test('administrators (and the deployment role) manage the key, with no way to use it or grant its use', () => {
      const admin = sid('Administration');
      expect(JSON.stringify(admin.Principal)).toContain(ADMIN);
      expect(JSON.stringify(admin.Principal)).toMatch(DEPLOY);
      expect([...actions(admin)].sort()).toEqual([...ADMINISTRATION_ACTIONS].sort());
      for (const forbidden of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:CreateGrant', 'kms:PutKeyPolicy', 'kms:*']) expect(actions(admin)).not.toContain(forbidden);
    });

    test('only the deployment role may rewrite the policy; the administrators are denied it, so they cannot lift their own deny', () => {
      const allowed = statements.filter((s) => s.Effect === 'Allow' && actions(s).includes('kms:PutKeyPolicy'));
      expect(allowed.map((s) => s.Sid)).toEqual(['PolicyChangesOnlyThroughDeployments']);
      expect(JSON.stringify(allowed[0]!.Principal)).toMatch(DEPLOY);
      expect(JSON.stringify(allowed[0]!.Principal)).not.toContain(ADMIN);
      const deny = sid('AdministratorsDoNotRewritePolicy');
      expect(deny).toMatchObject({ Effect: 'Deny', Action: POLICY_ACTIONS[0], Condition: { ArnLike: { 'aws:PrincipalArn': [ADMIN] } } });
    });

    test('the configured administrators are denied its use outright', () => {
      const deny = sid('AdministratorsDoNotUse');
      expect(deny.Effect).toBe('Deny');
      expect(actions(deny)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:CreateGrant']));
      expect(deny.Condition).toEqual({ ArnLike: { 'aws:PrincipalArn': [ADMIN] } });
    });

    test('the account uses it only through IAM policies and only via the services of its purpose', () => {
      const use = sid('UseThroughIamPoliciesViaServices');
      expect(JSON.stringify(use.Principal)).toContain(':root');
      expect(actions(use)).not.toContain('kms:PutKeyPolicy');
      expect(Object.keys(use.Condition!.StringEquals!)).toEqual(['kms:ViaService']);
    });

    test('nobody but the administrators may delete, disable or re-policy it', () => {
      const deny = sid('OnlyAdministratorsDeleteDisableOrRepolicy');
      expect(deny.Effect).toBe('Deny');
      expect([...actions(deny)].sort()).toEqual([...PROTECTED_ACTIONS].sort());
      expect(JSON.stringify(deny.Condition)).toContain(ADMIN);
    });

    test('no statement hands out kms:* or admits another account', () => {
      for (const s of statements) {
        expect(actions(s)).not.toContain('kms:*');
        expect(JSON.stringify(s.Principal)).not.toMatch(/arn:aws:iam::(?!111111111111)\d{12}/);
      }
    });
  });

  test('the data key admits this environment\'s Auto Scaling role, created before it, for encrypted volumes', () => {
    const [id, key] = keys.find(([k]) => k.startsWith('KeysData'))!;
    const statements = (key.KeyPolicy as { Statement: Statement[] }).Statement;
    const slr = statements.find((s) => s.Sid === 'AutoScalingEncryptsFleetVolumes')!;
    expect(JSON.stringify(slr.Principal)).toContain('AWSServiceRoleForAutoScaling_sra-app-dev');
    expect(json.Security!.Resources[id]).toMatchObject({ DependsOn: expect.arrayContaining([expect.stringMatching(/^KeysAutoScalingRole/)]) });
    const [, role] = resourcesOfType(json.Security!, 'AWS::IAM::ServiceLinkedRole')[0]!;
    expect(role).toMatchObject({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'sra-app-dev' });
  });

  test('the operations key is usable via Lambda, SQS, SNS and Systems Manager, and directly only for Session Manager sessions', () => {
    const [, key] = keys.find(([id]) => id.startsWith('KeysOperations'))!;
    const statements = (key.KeyPolicy as { Statement: Statement[] }).Statement;
    const use = statements.find((s) => s.Sid === 'UseThroughIamPoliciesViaServices')!;
    expect(JSON.stringify(use.Condition)).toMatch(/"lambda\.".*"sqs\.".*"sns\.".*"ssm\."/);
    const direct = statements.find((s) => s.Sid === 'DirectUseWithEncryptionContext')!;
    expect(direct.Condition).toEqual({ Null: { 'kms:EncryptionContext:aws:ssm:SessionId': 'false' } });
  });

  test('the EBS default key admits every Auto Scaling service-linked role of the account, only through EC2 of this account', () => {
    const [, key] = keys.find(([id]) => id.startsWith('KeysEbsDefault'))!;
    const statements = (key.KeyPolicy as { Statement: Statement[] }).Statement;
    for (const sidName of ['AutoScalingRolesEncryptVolumes', 'AutoScalingRolesAttachVolumes']) {
      const s = statements.find((x) => x.Sid === sidName)!;
      expect(JSON.stringify(s.Condition!.ArnLike)).toContain('role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling*');
      expect(Object.keys(s.Condition!.StringEquals!).sort()).toEqual(['kms:CallerAccount', 'kms:ViaService']);
      expect(JSON.stringify(s.Condition!.StringEquals)).toContain('ec2.');
    }
    expect(statements.find((x) => x.Sid === 'AutoScalingRolesAttachVolumes')!.Condition!.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
  });

  test('the account default for new EBS volumes is the EBS default key, not the data key', () => {
    const [[, setting]] = resourcesOfType(json.Detection!, 'Custom::EbsDefaultKey') as [[string, { Create: unknown; Update: unknown }]];
    for (const call of [setting.Create, setting.Update]) {
      const text = JSON.stringify(call);
      expect(text).toContain('ModifyEbsDefaultKmsKeyId');
      expect(text).toMatch(/KeysEbsDefault/);
      expect(text).not.toMatch(/KeysData/);
    }
  });

  test('the data key is usable only via RDS, S3 and EC2', () => {
    const [, key] = keys.find(([id]) => id.startsWith('KeysData'))!;
    const use = (key.KeyPolicy as { Statement: Statement[] }).Statement.find((s) => s.Sid === 'UseThroughIamPoliciesViaServices')!;
    expect(JSON.stringify(use.Condition)).toMatch(/rds\..*s3\..*ec2\./);
  });
});

describe('KeyRing (central mode)', () => {
  const { json } = synthesizeExample('prod');

  test('creates no key: the security account owns them', () => {
    for (const template of Object.values(json)) expect(resourcesOfType(template, 'AWS::KMS::Key')).toEqual([]);
  });

  test('the account EBS default is the AWS managed key, which admits every launch in the account, not the central data key', () => {
    const [[, setting]] = resourcesOfType(json.Detection!, 'Custom::EbsDefaultKey') as [[string, { Create: unknown }]];
    expect(JSON.stringify(setting.Create)).toContain('ResetEbsDefaultKmsKeyId');
    expect(JSON.stringify(setting.Create)).not.toContain('11111111-1111-4111-8111-111111111111');
  });

  test('every tier uses the security account keys', () => {
    const data = JSON.stringify(json.Data);
    expect(data).toContain('arn:aws:kms:eu-west-1:999999999999:key/11111111-1111-4111-8111-111111111111'); // data
    expect(data).toContain('arn:aws:kms:eu-west-1:999999999999:key/33333333-3333-4333-8333-333333333333'); // secrets
    expect(data).toContain('arn:aws:kms:eu-west-1:999999999999:key/44444444-4444-4444-8444-444444444444'); // backup
    expect(JSON.stringify(json.Security)).toContain('key/22222222-2222-4222-8222-222222222222'); // logs
  });
});

describe('KeyRing (HSM-backed data key)', () => {
  test('uses the custom key store key as the data key, and keeps the local data key for the Aurora cluster it created', () => {
    const hsmKey = 'arn:aws:kms:eu-west-1:111111111111:key/55555555-5555-4555-8555-555555555555';
    const s = synthesize(configFrom('dev', (c) => (c.keys.hsmBackedKeyArns = { data: hsmKey })));
    const aliases = resourcesOfType(s.json.Security!, 'AWS::KMS::Alias').map(([, a]) => a.AliasName);
    expect(aliases).toContain('alias/sra-app/dev/data');
    expect(JSON.stringify(s.json.Data)).toContain(hsmKey);
    const [[, cluster]] = resourcesOfType(s.json.Data!, 'AWS::RDS::DBCluster') as [[string, { KmsKeyId: unknown }]];
    expect(JSON.stringify(cluster.KmsKeyId)).not.toContain(hsmKey);
  });
});
