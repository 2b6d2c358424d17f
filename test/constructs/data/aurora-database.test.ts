import * as iam from 'aws-cdk-lib/aws-iam';
import { buildApp } from '../../../src/app';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

/** A value exported by another stack of the stage, by output name. */
const fromStack = (output: RegExp) => ({ 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(output) }) });

describe('AuroraDatabase', () => {
  const dev = synthesizeExample('dev');
  const prod = synthesizeExample('prod');
  const cluster = (s = dev) => resourcesOfType(s.json.Data!, 'AWS::RDS::DBCluster')[0]![1];

  test.each([
    ['storage encrypted with the data key', { StorageEncrypted: true, KmsKeyId: fromStack(/KeysData/) }],
    ['IAM database authentication', { EnableIAMDatabaseAuthentication: true }],
    ['deletion protection', { DeletionProtection: true }],
    ['tags copied to snapshots', { CopyTagsToSnapshot: true }],
    ['a custom master user', { MasterUsername: expect.stringContaining('sra_admin') }],
    ['Performance Insights encrypted with the data key', { PerformanceInsightsEnabled: true, PerformanceInsightsKmsKeyId: fromStack(/KeysData/) }],
    ['PostgreSQL logs exported', { EnableCloudwatchLogsExports: ['postgresql'] }],
    ['a fixed identifier (log groups are named after it)', { DBClusterIdentifier: 'sra-app-dev' }],
    ['7 days of backups in development', { BackupRetentionPeriod: 7 }],
  ])('%s', (_control, expected) => {
    expect(cluster()).toMatchObject(expected);
  });

  test('35 days of backups in production', () => {
    expect(cluster(prod)).toMatchObject({ BackupRetentionPeriod: 35 });
  });

  test('is snapshotted, not deleted, when removed or replaced', () => {
    const [id] = resourcesOfType(dev.json.Data!, 'AWS::RDS::DBCluster')[0]!;
    expect(dev.json.Data!.Resources[id]).toMatchObject({ DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
  });

  test('the cluster parameter group forces TLS 1.2+', () => {
    dev.templates.Data!.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Parameters: Match.objectLike({ 'rds.force_ssl': '1', ssl_min_protocol_version: 'TLSv1.2' }),
    });
  });

  test('pgaudit logs DDL, role changes and writes, without bound values, to the exported log; the group keeps its create-only description', () => {
    const [, group] = resourcesOfType(dev.json.Data!, 'AWS::RDS::DBClusterParameterGroup')[0]!;
    expect(group.Parameters.shared_preload_libraries.split(',')).toContain('pgaudit');
    expect(group.Parameters).toMatchObject({ 'pgaudit.log': 'ddl,role,write', 'pgaudit.role': 'rds_pgaudit', 'pgaudit.log_parameter': '0' });
    // Description and family are create-only: a change would replace the group.
    expect(group.Description).toBe('TLS 1.2+ only, connections logged');
    expect(cluster().EnableCloudwatchLogsExports).toEqual(['postgresql']);
  });

  test('MySQL forces TLS with require_secure_transport and exports its audit log', () => {
    const mysql = synthesize(configFrom('dev', (c) => (c.data.engine = 'aurora-mysql')));
    mysql.templates.Data!.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: Match.objectLike({ require_secure_transport: 'ON', server_audit_logging: '1' }) });
    // The pgaudit equivalent: connections, DDL, privilege changes and every write.
    const [, group] = resourcesOfType(mysql.json.Data!, 'AWS::RDS::DBClusterParameterGroup')[0]!;
    expect(group.Parameters.server_audit_events.split(',')).toEqual(expect.arrayContaining(['CONNECT', 'QUERY_DDL', 'QUERY_DCL', 'QUERY_DML_NO_SELECT']));
    expect(cluster(mysql)).toMatchObject({ EnableCloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'] });
  });

  test('development runs Serverless v2 that can pause at 0 ACU', () => {
    expect(cluster()).toMatchObject({ ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 4 } });
    expect(resourcesOfType(dev.json.Data!, 'AWS::RDS::DBInstance').map(([, i]) => i.DBInstanceClass)).toEqual(['db.serverless']);
  });

  test('production runs a writer and a reader in another zone', () => {
    const instances = resourcesOfType(prod.json.Data!, 'AWS::RDS::DBInstance').map(([, i]) => i);
    expect(instances).toHaveLength(2);
    expect(new Set(instances.map((i) => i.AvailabilityZone)).size).toBe(2);
    for (const i of instances) expect(i).toMatchObject({ DBInstanceClass: 'db.r7g.large', AutoMinorVersionUpgrade: true, PubliclyAccessible: false, MonitoringInterval: 60 });
  });

  test('sits in the isolated data subnets behind the database tier group', () => {
    dev.templates.Data!.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: [Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('DataSubnet1') }) }), Match.anyValue()],
    });
    expect(JSON.stringify(cluster().VpcSecurityGroupIds)).toContain('SecurityGroupsDatabase');
  });

  test('its exported logs go to KMS-encrypted groups with retention, created before the cluster', () => {
    dev.templates.Data!.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/rds/cluster/sra-app-dev/postgresql', KmsKeyId: Match.anyValue(), RetentionInDays: 90 },
      DeletionPolicy: 'Retain',
    });
  });

  describe('master secret', () => {
    test('RDS manages and rotates it, encrypted with the secrets key: no generated secret, rotation function or SAR stack', () => {
      expect(cluster()).toMatchObject({ ManageMasterUserPassword: true, MasterUserSecret: { KmsKeyId: fromStack(/KeysSecrets/) } });
      expect(cluster().MasterUserPassword).toBeUndefined();
      for (const type of ['AWS::Serverless::Application', 'AWS::SecretsManager::SecretTargetAttachment']) expect(resourcesOfType(dev.json.Data!, type)).toEqual([]);
      expect((dev.json.Data as { Transform?: unknown }).Transform).toBeUndefined();
      // The only rotation schedule left is the service secret's, with its own function.
      const schedules = resourcesOfType(dev.json.Data!, 'AWS::SecretsManager::RotationSchedule');
      expect(schedules.map(([id]) => id)).toEqual([expect.stringMatching(/^ServiceSecretSchedule/)]);
    });

    test('its resource policy admits exactly the administrators, the bootstrap function and RDS: no wildcard, no deployment role', () => {
      const [, policy] = resourcesOfType(dev.json.Data!, 'AWS::SecretsManager::ResourcePolicy').find(([id]) => id.startsWith('DatabaseSecretPolicy'))!;
      expect(JSON.stringify(policy.SecretId)).toContain('MasterUserSecret.SecretArn');
      const statements = policy.ResourcePolicy.Statement as { Sid?: string; Effect: string; Action: string[]; Condition: Record<string, Record<string, unknown>> }[];
      const named = statements.find((s) => s.Sid === 'OnlyNamedRolesReadOrChange')!;
      expect(named.Effect).toBe('Deny');
      expect(named.Action).toContain('secretsmanager:GetSecretValue');
      const allowed = named.Condition.ArnNotLike!['aws:PrincipalArn'] as unknown[];
      expect(allowed).toHaveLength(3);
      expect(allowed[0]).toBe('arn:aws:iam::111111111111:role/sra-key-administrators');
      expect(allowed[1]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DatabaseBootstrapFunctionRole/), 'Arn'] });
      expect(JSON.stringify(allowed[2])).toContain('aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS');
      expect(JSON.stringify(allowed)).not.toContain('*');
      expect(statements.find((s) => s.Sid === 'NoOtherAccounts')!.Condition).toEqual({ StringNotEquals: { 'aws:PrincipalAccount': '111111111111' } });
    });
  });

  test('grantConnect allows rds-db:connect as the app user only', () => {
    const built = buildApp(configFrom('dev', (c) => (c.data.appUsername = 'orders')), { context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
    const stack = built.stages[0]!.data;
    const role = new iam.Role(stack, 'Probe', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    stack.database.grantConnect(role);
    const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const probe = Object.entries(statements).find(([id]) => id.startsWith('ProbeDefaultPolicy'))![1];
    const [statement] = probe.Properties.PolicyDocument.Statement;
    expect(statement.Action).toBe('rds-db:connect');
    expect(JSON.stringify(statement.Resource)).toMatch(/:dbuser:.*\/orders"/);
  });
});
