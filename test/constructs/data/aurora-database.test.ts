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

  test('MySQL forces TLS with require_secure_transport and exports its audit log', () => {
    const mysql = synthesize(configFrom('dev', (c) => (c.data.engine = 'aurora-mysql')));
    mysql.templates.Data!.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: Match.objectLike({ require_secure_transport: 'ON' }) });
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
    test('is encrypted with the secrets key and retained', () => {
      dev.templates.Data!.hasResource('AWS::SecretsManager::Secret', {
        Properties: Match.objectLike({ KmsKeyId: Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('KeysSecrets') }) }) }),
        DeletionPolicy: 'Retain',
      });
    });

    test('rotates every 30 days from the app subnets through the Secrets Manager endpoint', () => {
      dev.templates.Data!.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(30 days)' } });
      const [, app] = resourcesOfType(dev.json.Data!, 'AWS::Serverless::Application')[0]!;
      expect(JSON.stringify(app.Parameters.vpcSubnetIds)).toMatch(/AppSubnet1.*AppSubnet2/);
      expect(JSON.stringify(app.Parameters.endpoint)).toContain('Secretsmanager');
      expect(JSON.stringify(app.Parameters.vpcSecurityGroupIds)).toContain('SecurityGroupsRotation');
    });

    test('its resource policy denies reading it to every role but the administrators, the deployment role and this stack', () => {
      const [, policy] = resourcesOfType(dev.json.Data!, 'AWS::SecretsManager::ResourcePolicy')[0]!;
      const statements = policy.ResourcePolicy.Statement as { Sid?: string; Effect: string; Action: string[]; Condition: Record<string, Record<string, unknown>> }[];
      const named = statements.find((s) => s.Sid === 'OnlyNamedRolesReadOrChange')!;
      expect(named.Effect).toBe('Deny');
      expect(named.Action).toContain('secretsmanager:GetSecretValue');
      const allowed = JSON.stringify(named.Condition.ArnNotLike!['aws:PrincipalArn']);
      expect(allowed).toContain('role/sra-key-administrators');
      expect(allowed).toContain('cdk-hnb659fds-cfn-exec-role');
      expect(allowed).toContain('role/sra-app-dev-data-*');
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
