import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { grantsForAwsResourcesOnly } from '../../../src/constructs/keys/purpose-key';
import { synthesizeExample } from '../../helpers/app';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal: { AWS?: unknown; Service?: unknown } | string;
  Condition?: Record<string, Record<string, unknown>>;
}

const USE = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:CreateGrant'];

/** Every key policy statement of every template, with the key's logical id. */
function keyStatements(): [string, Statement][] {
  const { json } = synthesizeExample('dev');
  const out: [string, Statement][] = [];
  for (const [stack, template] of Object.entries(json)) {
    for (const [id, r] of Object.entries(template.Resources)) {
      if (r.Type !== 'AWS::KMS::Key') continue;
      for (const s of (r.Properties!.KeyPolicy as { Statement: Statement[] }).Statement) out.push([`${stack}/${id}/${s.Sid ?? '(no sid)'}`, s]);
    }
  }
  return out;
}

describe('key policies of every key the app creates', () => {
  const statements = keyStatements();
  const allows = statements.filter(([, s]) => s.Effect === 'Allow');

  test('there are keys to check', () => {
    expect(new Set(statements.map(([id]) => id.split('/').slice(0, 2).join('/'))).size).toBeGreaterThanOrEqual(8);
  });

  test('kms:CreateGrant is allowed only for AWS resources (kms:GrantIsForAWSResource), whoever asks', () => {
    const grants = allows.filter(([, s]) => [s.Action].flat().includes('kms:CreateGrant'));
    expect(grants.length).toBeGreaterThan(0);
    for (const [id, s] of grants) expect([id, s.Condition?.Bool?.['kms:GrantIsForAWSResource']]).toEqual([id, 'true']);
  });

  test('IAM principals of the account use a key only through a named service (kms:ViaService) or under a named encryption context', () => {
    const byIam = allows.filter(([, s]) => typeof s.Principal !== 'string' && s.Principal.AWS !== undefined && [s.Action].flat().some((a) => USE.includes(a)));
    expect(byIam.length).toBeGreaterThan(0);
    for (const [id, s] of byIam) {
      const viaService = s.Condition?.StringEquals?.['kms:ViaService'];
      const context = Object.keys(s.Condition?.Null ?? {}).some((k) => k.startsWith('kms:EncryptionContext:'));
      expect([id, Boolean(viaService) || context]).toEqual([id, true]);
    }
  });

  test('service principals use a key only for this account (aws:SourceAccount, aws:SourceArn or an encryption context of the account)', () => {
    const byService = allows.filter(([, s]) => typeof s.Principal !== 'string' && s.Principal.Service !== undefined);
    expect(byService.length).toBeGreaterThan(0);
    for (const [id, s] of byService) expect([id, /aws:Source(Account|Arn)|kms:EncryptionContext/.test(JSON.stringify(s.Condition ?? {}))]).toEqual([id, true]);
  });
});

describe('grantsForAwsResourcesOnly', () => {
  const resolve = (s: iam.PolicyStatement) => new Stack().resolve(s.toStatementJson());

  test('splits kms:CreateGrant off a use statement and requires kms:GrantIsForAWSResource on it, keeping its conditions', () => {
    const statement = new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:Decrypt', 'kms:CreateGrant'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
    const [use, grant] = grantsForAwsResourcesOnly(statement).map(resolve);
    expect(use).toMatchObject({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } } });
    expect(use.Condition.Bool).toBeUndefined();
    expect(grant).toMatchObject({
      Action: 'kms:CreateGrant',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
  });

  test('leaves scoped grants, denies and statements without kms:CreateGrant alone', () => {
    const scoped = new iam.PolicyStatement({ actions: ['kms:CreateGrant'], resources: ['*'], conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
    const deny = new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['kms:CreateGrant'], resources: ['*'] });
    const use = new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] });
    for (const s of [scoped, deny, use]) expect(grantsForAwsResourcesOnly(s)).toEqual([s]);
  });
});
