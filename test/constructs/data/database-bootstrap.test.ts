import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, type Stage } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DatabaseBootstrap, type DatabaseBootstrapProps } from '../../../src/constructs/data/database-bootstrap';
import { buildChecked } from '../../helpers/nag';
import { REPO_ROOT } from '../../helpers/app';

function props(scope: Stack, vpc: ec2.IVpc, key: kms.IKey): DatabaseBootstrapProps {
  const secret = new secretsmanager.Secret(scope, 'Master', { encryptionKey: key });
  const database = new ec2.SecurityGroup(scope, 'DatabaseGroup', { vpc, allowAllOutbound: false, description: 'database' });
  return {
    engine: 'aurora-postgresql',
    masterSecret: secret,
    masterSecretKey: key,
    host: 'db.cluster-x.eu-west-1.rds.amazonaws.com',
    port: 5432,
    databaseName: 'app',
    appUsername: 'app',
    vpc,
    subnets: { subnetGroupName: 'App' },
    database,
    key,
    logsKey: key,
    logRetentionDays: 90,
  };
}

describe('DatabaseBootstrap', () => {
  const { template, findings } = buildChecked(({ stack, vpc, key }) => {
    // The database and its secret live elsewhere, as in the app (the Aurora construct owns them).
    const db = new Stack(stack.node.scope as Stage, 'Db');
    new DatabaseBootstrap(stack, 'DatabaseBootstrap', props(db, vpc, key));
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('CloudFormation invokes the function itself: no provider framework', () => {
    template.hasResourceProperties('Custom::DatabaseBootstrap', { ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseBootstrapFunction'), 'Arn'] } });
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  });

  test('one custom resource with the database, the role, its schema and the grants version', () => {
    const version = createHash('sha256').update(readFileSync(join(REPO_ROOT, 'functions', 'db-bootstrap', 'grants.ts'))).digest('hex').slice(0, 16);
    template.hasResourceProperties('Custom::DatabaseBootstrap', {
      MasterSecretArn: { 'Fn::ImportValue': Match.stringLikeRegexp('Master') },
      Host: 'db.cluster-x.eu-west-1.rds.amazonaws.com',
      Port: '5432',
      DatabaseName: 'app',
      AppUsername: 'app',
      Schema: 'app',
      GrantsVersion: version,
    });
  });

  test('the function may read the master secret, decrypting it only through Secrets Manager for that secret', () => {
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) => JSON.stringify(p.Properties.Roles).includes('DatabaseBootstrapFunctionRole'))!;
    const statements = policy.Properties.PolicyDocument.Statement as { Sid?: string; Action: string | string[]; Condition?: unknown }[];
    // Besides encrypting for its own dead-letter queue (SecureFunction's `DeadLettersEncrypted`, via SQS only).
    const secretAccess = statements.filter((s) => s.Sid !== 'DeadLettersEncrypted' && [s.Action].flat().some((a) => /^(secretsmanager|kms):/.test(a)));
    expect(secretAccess).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { 'Fn::ImportValue': expect.stringMatching(/Master/) } },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::ImportValue': expect.stringMatching(/Key/) },
        Condition: { StringEquals: { 'kms:ViaService': expect.anything(), 'kms:EncryptionContext:SecretARN': { 'Fn::ImportValue': expect.stringMatching(/Master/) } } },
      },
    ]);
  });

  test('its group reaches the database port of the database group, which admits it', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, DestinationSecurityGroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('DatabaseGroup') } });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, GroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('DatabaseGroup') } });
  });

  test.each<[string, Partial<DatabaseBootstrapProps>, RegExp]>([
    ['Aurora MySQL', { engine: 'aurora-mysql' }, /supports engine aurora-postgresql only \(got "aurora-mysql"\)/],
    ['a role name that needs quoting', { appUsername: 'App-User' }, /appUsername must be a lower-case identifier/],
    ['a schema name that needs quoting', { schema: 'a;b' }, /schema must be a lower-case identifier/],
  ])('refuses %s with a clear message', (_what, change, message) => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    expect(() => new DatabaseBootstrap(stack, 'Bootstrap', { ...props(stack, vpc, key), ...change })).toThrow(message);
  });
});
