import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ServiceSecret } from '../../../src/constructs/data/service-secret';
import { ManagedPolicyRole } from '../../../src/constructs/lambda/managed-policy-role';
import { buildChecked } from '../../helpers/nag';

describe('ServiceSecret', () => {
  let secretId = '';
  const { template, findings } = buildChecked(({ stack, vpc, key }) => {
    const secret = new ServiceSecret(stack, 'ServiceSecret', {
      description: 'test service: signing key',
      key,
      rotationDays: 30,
      readers: ['arn:aws:iam::111111111111:role/admins', 'arn:aws:iam::111111111111:role/sra-app-test-application-*'],
      vpc,
      subnets: { subnetGroupName: 'App' },
      functionKey: key,
      logsKey: key,
      logRetentionDays: 90,
    });
    secretId = stack.getLogicalId(secret.secret.node.defaultChild as never);
    const fleet = new ManagedPolicyRole(stack, 'Fleet', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    secret.grantRead(fleet);
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('a generated 64-character key, encrypted with the given key, retained on removal', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KmsKeyId: { 'Fn::ImportValue': Match.stringLikeRegexp('Key') },
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false, RequireEachIncludedType: true },
      },
    });
  });

  test('rotates on schedule through its own function, which Secrets Manager may invoke for this secret only', () => {
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: secretId },
      RotationLambdaARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('ServiceSecretRotationFunction'), 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'secretsmanager.amazonaws.com', SourceArn: { Ref: secretId } });
  });

  test('the rotation function changes this secret only', () => {
    const rotation = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) => JSON.stringify(p.Properties.Roles).includes('Rotation'))!;
    const statements = rotation.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
    const secretActions = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:') && a !== 'secretsmanager:GetRandomPassword'));
    expect(secretActions).toEqual([
      { Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'], Resource: { Ref: secretId } },
    ]);
  });

  test('reading or changing it is denied to every role but the named ones and this stack\'s', () => {
    template.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      ResourcePolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'OnlyNamedRolesReadOrChange',
            Effect: 'Deny',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': Match.arrayWith(['arn:aws:iam::111111111111:role/admins', 'arn:aws:iam::111111111111:role/sra-app-test-application-*']) } },
          }),
        ]),
      },
    });
  });

  test('grantRead: GetSecretValue on this secret, and decryption only through Secrets Manager and for this secret', () => {
    const fleet = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) => JSON.stringify(p.Properties.Roles).includes('Fleet'))!;
    expect(fleet.Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId } },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::ImportValue': expect.stringMatching(/FnGetAttKey.*Arn/) },
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] }, 'kms:EncryptionContext:SecretARN': { Ref: secretId } } },
      },
    ]);
  });
});
