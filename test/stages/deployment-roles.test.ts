import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROTECTED_ACTIONS } from '../../src/constructs/keys/key-policy';
import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../helpers/app';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const EXEC = 'arn:aws:iam::111111111111:role/pipeline-cfn-exec-eu-west-1';
const DEPLOY = 'arn:aws:iam::111111111111:role/pipeline-deploy';
const custom = synthesize(
  configFrom('dev', (c) => {
    c.deployment = { qualifier: 'sra7x', cloudFormationExecutionRoleArn: 'arn:aws:iam::${AWS::AccountId}:role/pipeline-cfn-exec-${AWS::Region}', deployRoleArn: DEPLOY };
  }),
);
const stageAssembly = (s: typeof custom) => s.built.app.synth().getNestedAssembly(s.built.stages[0]!.artifactId);
const keyStatements = (s: typeof custom) =>
  resourcesOfType(s.json.Security!, 'AWS::KMS::Key').map(([id, key]) => [id, (key.KeyPolicy as { Statement: Statement[] }).Statement] as const);

describe('a custom bootstrap qualifier and execution role', () => {
  test('no file of the synthesized assembly (templates, asset and stack manifests) names the default qualifier', () => {
    const assembly = stageAssembly(custom);
    const files = readdirSync(assembly.directory).filter((f) => f.endsWith('.json'));
    // One template per stack of the stage: the five of the workload, the Image stack, the Response stack (on by default) and Analytics.
    const templates = files.filter((f) => f.endsWith('.template.json')).map((f) => f.replace(/[0-9A-F]{8}\.template\.json$/, ''));
    expect(templates.sort()).toEqual(['devAnalytics', 'devApplication', 'devData', 'devDetection', 'devImage', 'devNetwork', 'devResponse', 'devSecurity']);
    for (const file of files) {
      const text = readFileSync(join(assembly.directory, file), 'utf8');
      expect({ file, hasDefault: text.includes('hnb659fds') }).toEqual({ file, hasDefault: false });
    }
    expect(JSON.stringify(custom.json)).toContain('/cdk-bootstrap/sra7x/version');
  });

  test('every stack deploys with the configured roles and the qualifier\'s asset bucket', () => {
    for (const stack of stageAssembly(custom).stacks) {
      expect(stack.cloudFormationExecutionRoleArn).toBe(EXEC);
      expect(stack.assumeRoleArn).toBe(DEPLOY);
      expect(stack.bootstrapStackVersionSsmParameter).toBe('/cdk-bootstrap/sra7x/version');
      expect(stack.stackTemplateAssetObjectUrl).toContain('cdk-sra7x-assets-111111111111-eu-west-1');
    }
  });

  test('each key policy lets the execution role administer the key, so KMS\'s lockout check passes', () => {
    const keys = keyStatements(custom);
    expect(keys).toHaveLength(6); // the key ring's five and the account's EBS default key
    for (const [id, statements] of keys) {
      const admin = statements.find((s) => s.Sid === 'Administration')!;
      expect({ id, principal: JSON.stringify(admin.Principal) }).toEqual({ id, principal: expect.stringContaining(EXEC) });
      expect(admin.Action).toEqual(expect.arrayContaining(['kms:DescribeKey']));
      // It alone may re-write the policy.
      const policy = statements.find((s) => s.Sid === 'PolicyChangesOnlyThroughDeployments')!;
      expect({ id, principal: JSON.stringify(policy.Principal), action: policy.Action }).toEqual({ id, principal: expect.stringContaining(EXEC), action: 'kms:PutKeyPolicy' });
      // The protective deny exempts it, so it can re-write the policy (KMS checks exactly this at CreateKey and PutKeyPolicy).
      const deny = statements.find((s) => s.Sid === 'OnlyAdministratorsDeleteDisableOrRepolicy')!;
      expect(deny.Action).toEqual(expect.arrayContaining(PROTECTED_ACTIONS));
      expect(deny.Condition!.ArnNotLike!['aws:PrincipalArn']).toContain(EXEC);
      expect(JSON.stringify(statements)).not.toContain('cfn-exec-role');
    }
  });

  test('the data bucket and master secret perimeters do not exempt the execution role: it never reads objects or the RDS-managed password', () => {
    const [, bucketPolicy] = resourcesOfType(custom.json.Data!, 'AWS::S3::BucketPolicy').find(([id]) => id.startsWith('Bucket'))!;
    const vpce = (bucketPolicy.PolicyDocument.Statement as Statement[]).find((s) => s.Sid === 'ObjectsOnlyThroughTheVpcEndpoint')!;
    expect(vpce.Condition!.ArnNotLike!['aws:PrincipalArn']).not.toContain(EXEC);
    const [, secretPolicy] = resourcesOfType(custom.json.Data!, 'AWS::SecretsManager::ResourcePolicy').find(([id]) => id.startsWith('DatabaseSecretPolicy'))!;
    const named = (secretPolicy.ResourcePolicy.Statement as Statement[]).find((s) => s.Sid === 'OnlyNamedRolesReadOrChange')!;
    expect(named.Condition!.ArnNotLike!['aws:PrincipalArn']).not.toContain(EXEC);
  });

  test('the log buckets leave their settings to the configured execution role (and break-glass) only', () => {
    for (const [, policy] of resourcesOfType(custom.json.Security!, 'AWS::S3::BucketPolicy')) {
      const settings = (policy.PolicyDocument.Statement as Statement[]).find((s) => s.Sid === 'LogBucketSettingsOnlyByBreakGlassOrDeployment')!;
      expect(settings.Condition!.ArnNotEquals!['aws:PrincipalArn']).toEqual([EXEC]);
    }
  });
});

describe('the default deployment settings', () => {
  const dev = synthesizeExample('dev');

  test('name the bootstrap execution role exactly as before: cdk-hnb659fds-cfn-exec-role-<account>-<region>, partition as a reference', () => {
    const execRole = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1']] };
    for (const [, statements] of keyStatements(dev)) {
      const admin = statements.find((s) => s.Sid === 'Administration')!;
      expect((admin.Principal as { AWS: unknown[] }).AWS).toContainEqual(execRole);
    }
    for (const stack of stageAssembly(dev).stacks) {
      expect(stack.cloudFormationExecutionRoleArn).toBe('arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1');
      expect(stack.assumeRoleArn).toBe('arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-deploy-role-111111111111-eu-west-1');
    }
  });
});
