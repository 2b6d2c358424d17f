import { configFrom, resourcesOfType, synthesize, synthesizeExample, type Synthesized } from '../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A reference rendered as a short name: the resource or output it points at. */
function name(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Json;
  if (v['Fn::GetStackOutput']) return `output:${v['Fn::GetStackOutput'].OutputName.replace(/^PublishOutput(FnGetAtt|Ref)?/, '').replace(/[0-9A-F]{8}$/, '')}`;
  if (v['Fn::GetAtt']) return `${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}`;
  if (v.Ref) return `ref:${v.Ref}`;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(name).join('');
  return JSON.stringify(v);
}

/** Every (action, resource) the fleet role is allowed, from all its customer policies, as readable strings. */
function fleetPermissions(s: Synthesized): string[] {
  const template = s.json.Application!;
  const [role] = resourcesOfType(template, 'AWS::IAM::Role').filter(([id]) => id.startsWith('FleetRole'));
  const policies = [...resourcesOfType(template, 'AWS::IAM::ManagedPolicy'), ...resourcesOfType(template, 'AWS::IAM::Policy')].filter(([, p]) =>
    JSON.stringify(p.Roles ?? []).includes(role![0]),
  );
  return policies.flatMap(([, p]) =>
    (p.PolicyDocument.Statement as Json[]).flatMap((st) => {
      expect(st.Effect).toBe('Allow');
      const condition = st.Condition ? ` if ${Object.keys(Object.values(st.Condition as Json)[0] as Json).sort().join('+')}` : '';
      return [st.Action].flat().flatMap((action: string) => [st.Resource].flat().map((resource: unknown) => `${action} on ${name(resource)}${condition}`));
    }),
  );
}

describe('dev: the documents service deployment', () => {
  const dev = synthesizeExample('dev');
  const app = dev.json.Application!;
  const data = dev.json.Data!;

  test('the fleet role holds exactly its own permissions, and not one more', () => {
    const [, bundle] = resourcesOfType(app, 'AWS::EC2::LaunchTemplate')[0]!;
    const objectKey = /s3:\/\/cdk-hnb659fds-assets-111111111111-eu-west-1\/([0-9a-f]{64}\.gz) /.exec(JSON.stringify(bundle))![1];
    expect(fleetPermissions(dev).sort()).toEqual(
      [
        // CloudWatch agent and Systems Manager (their own constructs).
        'cloudwatch:PutMetricData on * if cloudwatch:namespace',
        'logs:CreateLogStream on FleetAppLogsC694B8F0.Arn',
        'logs:CreateLogStream on FleetSystemLogs3CE8B188.Arn',
        'logs:DescribeLogStreams on FleetAppLogsC694B8F0.Arn',
        'logs:DescribeLogStreams on FleetSystemLogs3CE8B188.Arn',
        'logs:PutLogEvents on FleetAppLogsC694B8F0.Arn',
        'logs:PutLogEvents on FleetSystemLogs3CE8B188.Arn',
        'logs:CreateLogStream on SystemsManagerPatchingOutput72925E9A.Arn',
        'logs:CreateLogStream on SystemsManagerSessionsLogs79868704.Arn',
        'logs:DescribeLogStreams on SystemsManagerPatchingOutput72925E9A.Arn',
        'logs:DescribeLogStreams on SystemsManagerSessionsLogs79868704.Arn',
        'logs:PutLogEvents on SystemsManagerPatchingOutput72925E9A.Arn',
        'logs:PutLogEvents on SystemsManagerSessionsLogs79868704.Arn',
        'logs:DescribeLogGroups on *',
        'kms:Decrypt on output:KeysOperationsB3FE4E21Arn',
        // The service bundle: that one object.
        `s3:GetObject on arn:aws:s3:::cdk-hnb659fds-assets-111111111111-eu-west-1/${objectKey}`,
        // Its database user, through IAM authentication.
        'rds-db:connect on arn:aws:rds-db:eu-west-1:111111111111:dbuser:output:DatabaseCluster5B53A178DBClusterResourceId/app',
        // Its prefix of the data bucket, and the data key through S3 only.
        's3:AbortMultipartUpload on arn:ref:AWS::Partition:s3:::sra-app-dev-data-111111111111-eu-west-1/app/*',
        's3:DeleteObject on arn:ref:AWS::Partition:s3:::sra-app-dev-data-111111111111-eu-west-1/app/*',
        's3:GetObject on arn:ref:AWS::Partition:s3:::sra-app-dev-data-111111111111-eu-west-1/app/*',
        's3:PutObject on arn:ref:AWS::Partition:s3:::sra-app-dev-data-111111111111-eu-west-1/app/*',
        's3:ListBucket on arn:ref:AWS::Partition:s3:::sra-app-dev-data-111111111111-eu-west-1 if s3:prefix',
        'kms:Decrypt on output:KeysDataC9F9B497Arn if kms:ViaService',
        'kms:GenerateDataKey on output:KeysDataC9F9B497Arn if kms:ViaService',
        // Its own secret, decrypted through Secrets Manager for that secret only.
        'secretsmanager:GetSecretValue on output:ServiceSecretF171A4BF',
        'kms:Decrypt on output:KeysSecrets3472F0AFArn if kms:EncryptionContext:SecretARN+kms:ViaService',
        // Tokenize on the vault; never detokenize.
        'dynamodb:PutItem on output:TokenVaultTable8458E204Arn if dynamodb:ReturnValues',
        'kms:Decrypt on output:TokenVaultKey2146EBDFArn if kms:ViaService',
        'kms:DescribeKey on output:TokenVaultKey2146EBDFArn if kms:ViaService',
        'kms:Encrypt on output:TokenVaultKey2146EBDFArn if kms:ViaService',
        'kms:GenerateDataKey on output:TokenVaultKey2146EBDFArn if kms:ViaService',
      ].sort(),
    );
  });

  test('nothing in the application account may read a value back from the token vault', () => {
    const everything = Object.values(dev.json).flatMap((t) => [...resourcesOfType(t, 'AWS::IAM::ManagedPolicy'), ...resourcesOfType(t, 'AWS::IAM::Policy')]);
    const reads = everything.filter(([, p]) => /dynamodb:(GetItem|BatchGetItem|Query|Scan)/.test(JSON.stringify(p.PolicyDocument)) && JSON.stringify(p.PolicyDocument).includes('TokenVault'));
    expect(reads).toEqual([]);
  });

  test('the service secret admits the Application stack\'s roles by name, and that name is the stack\'s', () => {
    const stage = dev.built.stages[0]!;
    const [, policy] = resourcesOfType(data, 'AWS::SecretsManager::ResourcePolicy').find(([, p]) => JSON.stringify(p.SecretId).includes('ServiceSecret'))!;
    const deny = (policy.ResourcePolicy.Statement as Json[]).find((s) => s.Sid === 'OnlyNamedRolesReadOrChange')!;
    const patterns = deny.Condition.ArnNotLike['aws:PrincipalArn'] as unknown[];
    const pattern = patterns.map(name).find((p) => p.includes('-application-'))!;
    expect(`arn:ref:AWS::Partition:iam::111111111111:role/${stage.application.stackName}-FleetRole-x`).toMatch(new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  });

  test('the token vault is in the backup plan', () => {
    const selections = resourcesOfType(data, 'AWS::Backup::BackupSelection').map(([, p]) => JSON.stringify(p));
    expect(selections.some((s) => s.includes('TokenVaultTable8458E204'))).toBe(true);
  });

  test('the database bootstrap runs once the writer instance is up, from the app subnets', () => {
    const [id, resource] = Object.entries(data.Resources).find(([, r]) => r.Type === 'Custom::DatabaseBootstrap')!;
    expect(id).toMatch(/^DatabaseBootstrap/);
    expect((resource as Json).DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DatabaseClusterWriter/)]));
    expect((resource as Json).Properties).toMatchObject({ DatabaseName: 'app', AppUsername: 'app', Schema: 'app', Port: '5432' });
  });

  test('the target group reaches the fleet on the app port that the network tier opens', () => {
    const [, group] = resourcesOfType(app, 'AWS::ElasticLoadBalancingV2::TargetGroup')[0]!;
    expect(group).toMatchObject({ Protocol: 'HTTPS', Port: 8080, HealthCheckProtocol: 'HTTPS', HealthCheckPath: '/health/ready' });
    const network = dev.json.Network!;
    const ingress = resourcesOfType(network, 'AWS::EC2::SecurityGroupIngress').filter(([id]) => /^SecurityGroupsAppfrom.*LoadBalancer/.test(id));
    expect(ingress.map(([, p]) => [p.FromPort, p.ToPort])).toEqual([[8080, 8080]]);
    const aclIn = resourcesOfType(network, 'AWS::EC2::NetworkAclEntry').filter(([id, p]) => id.startsWith('NetworkAclsAppIn') && p.PortRange?.From === 8080);
    expect(aclIn.length).toBeGreaterThanOrEqual(2);
  });

  test('without user authentication, the service gets AUTH_MODE none and no load balancer identity', () => {
    const script = JSON.stringify(resourcesOfType(app, 'AWS::EC2::LaunchTemplate')[0]![1]);
    expect(script).toContain('AUTH_MODE=none');
    expect(script).not.toContain('ALB_ARN=');
    expect(script).toContain('ENVIRONMENT_PROFILE=development');
    expect(script).toContain('DB_AUTH=iam');
    expect(script).toContain('BUCKET_PREFIX=app/');
  });
});

describe('with OIDC at the load balancer', () => {
  const oidc = synthesize(
    configFrom('dev', (c) => {
      c.application.authentication = {
        kind: 'oidc',
        issuer: 'https://idp.example.com',
        authorizationEndpoint: 'https://idp.example.com/authorize',
        tokenEndpoint: 'https://idp.example.com/token',
        userInfoEndpoint: 'https://idp.example.com/userinfo',
        clientId: 'documents-client',
        clientSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:oidc-client-AbCdEf',
      };
    }),
  );

  test('the service verifies the load balancer\'s signed identity: alb-oidc, this load balancer, this client, this issuer', () => {
    const [, template] = resourcesOfType(oidc.json.Application!, 'AWS::EC2::LaunchTemplate')[0]!;
    const parts = template.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1] as unknown[];
    const script = parts.map((p) => (typeof p === 'string' ? p : `<${name(p)}>`)).join('');
    const [balancer] = resourcesOfType(oidc.json.Application!, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map(([id]) => id);
    expect(script).toContain(`AUTH_MODE=alb-oidc\nALB_ARN=<ref:${balancer}>\nOIDC_CLIENT_ID=documents-client\nOIDC_ISSUER=https://idp.example.com\n`);
  });
});
