import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

describe('DataBackup', () => {
  const dev = synthesizeExample('dev');
  const prod = synthesizeExample('prod');
  const vault = (s = dev) => resourcesOfType(s.json.Data!, 'AWS::Backup::BackupVault')[0]!;
  const rules = (s = dev) => resourcesOfType(s.json.Data!, 'AWS::Backup::BackupPlan')[0]![1].BackupPlan.BackupPlanRule as Record<string, unknown>[];
  const selections = (s = dev) => resourcesOfType(s.json.Data!, 'AWS::Backup::BackupSelection').map(([, sel]) => sel.BackupSelection);

  test('the vault is encrypted with the backup key and retained', () => {
    const [id, v] = vault();
    expect(JSON.stringify(v.EncryptionKeyArn)).toContain('KeysBackup');
    expect(dev.json.Data!.Resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('development locks the vault in governance mode (no grace time: administrators may lift it)', () => {
    expect(vault()[1].LockConfiguration).toEqual({ MinRetentionDays: 7, MaxRetentionDays: 90 });
  });

  test('production locks it in compliance mode: immutable after a 3-day grace time', () => {
    expect(vault(prod)[1].LockConfiguration).toEqual({ MinRetentionDays: 7, MaxRetentionDays: 365, ChangeableForDays: 3 });
  });

  test.each([
    ['dev', { Daily: 7, Weekly: 35, Monthly: 90 }],
    ['prod', { Daily: 35, Weekly: 90, Monthly: 365 }],
  ] as const)('%s keeps daily, weekly and monthly recovery points as its profile says', (name, retention) => {
    const plan = rules(name === 'dev' ? dev : prod);
    expect(Object.fromEntries(plan.map((r) => [r.RuleName, (r.Lifecycle as { DeleteAfterDays: number }).DeleteAfterDays]))).toEqual(retention);
    expect(plan.find((r) => r.RuleName === 'Daily')!.EnableContinuousBackup).toBe(true);
  });

  test('selects everything with a classification tag, and names the Aurora cluster explicitly', () => {
    const [byTag, explicit] = selections();
    expect(byTag.ListOfTags.map((t: { ConditionKey: string; ConditionValue: string }) => `${t.ConditionKey}=${t.ConditionValue}`).sort()).toEqual([
      'DataClassification=confidential',
      'DataClassification=critical',
      'DataClassification=internal',
      'DataClassification=public',
    ]);
    expect(JSON.stringify(explicit.Resources)).toMatch(/:cluster:.*DatabaseCluster/);
  });

  test('copies recovery points to the configured vault with the same retention', () => {
    for (const rule of rules(prod)) {
      expect(rule.CopyActions).toEqual([{ DestinationBackupVaultArn: 'arn:aws:backup:eu-central-1:999999999999:backup-vault:sra-app-prod-copy', Lifecycle: rule.Lifecycle }]);
    }
    expect(rules().every((r) => r.CopyActions === undefined)).toBe(true);
  });

  test('the backup role may use the data and backup keys, without wildcard actions', () => {
    const policy = resourcesOfType(dev.json.Data!, 'AWS::IAM::ManagedPolicy').find(([id]) => id.startsWith('BackupKeyUse'))![1];
    const [statement] = policy.PolicyDocument.Statement;
    expect(statement.Action.every((a: string) => !a.includes('*'))).toBe(true);
    expect(JSON.stringify(statement.Resource)).toMatch(/KeysBackup.*KeysData/);
  });

  test('a classification change keeps the resources in the plan', () => {
    const s = synthesize(configFrom('dev', (c) => (c.data.classification = 'internal')));
    expect(JSON.stringify(resourcesOfType(s.json.Data!, 'AWS::RDS::DBCluster')[0]![1].Tags)).toContain('"Value":"internal"');
  });
});

describe('data classification', () => {
  test.each(['AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::S3::Bucket', 'AWS::SecretsManager::Secret'])('%s carries DataClassification and Owner from the config', (type) => {
    const { json } = synthesizeExample('prod');
    for (const [, resource] of resourcesOfType(json.Data!, type)) {
      expect(resource.Tags).toEqual(expect.arrayContaining([{ Key: 'DataClassification', Value: 'critical' }, { Key: 'Owner', Value: 'orders-team' }]));
    }
  });

  test('the backup vault carries them too', () => {
    const { json } = synthesizeExample('prod');
    expect(resourcesOfType(json.Data!, 'AWS::Backup::BackupVault')[0]![1].BackupVaultTags).toMatchObject({ DataClassification: 'critical', Owner: 'orders-team' });
  });
});
