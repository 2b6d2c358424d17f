import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AL2023_AMI_PARAMETERS, AppFleet, type AppFleetProps } from '../../../src/constructs/compute/app-fleet';
import { autoScalingKeyPolicyStatements } from '../../../src/constructs/compute/fleet-key-access';
import { NODE_EXECUTABLE, NODE_PACKAGE, SERVICE_ENV_FILE, USER_DATA_LIMIT_BYTES } from '../../../src/constructs/compute/fleet-user-data';
import { UNSCOPED_ACTIONS } from '../../../src/constructs/lambda/unscoped-actions';
import { buildChecked } from '../../helpers/nag';

/** Unscoped actions this construct needs beyond the shared list (see the report to the lead). */
const PROPOSED_UNSCOPED = ['cloudwatch:PutMetricData'];

function compose(stack: Stack, vpc: ec2.IVpc, key: kms.IKey, overrides: Partial<AppFleetProps> = {}): AppFleet {
  const group = new ec2.SecurityGroup(stack, 'AppGroup', { vpc, description: 'app fleet (network tier)', allowAllOutbound: false });
  const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'Targets', { vpc, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP });
  return new AppFleet(stack, 'Fleet', {
    fleetName: 'sra-app-test',
    vpc,
    subnets: { subnetGroupName: 'App' },
    securityGroup: group,
    appPort: 8080,
    targetGroup,
    volumeKey: key,
    logsKey: key,
    logRetentionDays: 90,
    classification: 'confidential',
    owner: 'payments-team',
    serviceEnvironment: { DB_HOST: 'db.example.internal', AUTH_MODE: 'none' },
    ...overrides,
  });
}

function plain(overrides: Partial<AppFleetProps> = {}): Template {
  const stack = new Stack(new App(), 'Plain', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  compose(stack, vpc, new kms.Key(stack, 'Key', { enableKeyRotation: true }), overrides);
  return Template.fromStack(stack);
}

function launchTemplateData(template: Template): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const [lt] = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
  return lt!.Properties.LaunchTemplateData;
}

/** The user data script with CloudFormation tokens replaced by `token` (default `<token>`). */
function userDataScript(template: Template, token = '<token>'): string {
  const parts = launchTemplateData(template).UserData['Fn::Base64']['Fn::Join'][1] as unknown[];
  return parts.map((p) => (typeof p === 'string' ? p : token)).join('');
}

describe('AppFleet', () => {
  let fleet!: AppFleet;
  const { template, findings } = buildChecked(({ stack, vpc, key }) => {
    fleet = compose(stack, vpc, key);
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('requires IMDSv2 with a hop limit of 1 (EC2.8, EC2.170), instance tags not exposed', () => {
    expect(launchTemplateData(template).MetadataOptions).toEqual({
      HttpEndpoint: 'enabled',
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 1,
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'disabled',
    });
  });

  test('no key pair anywhere', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/KeyName|KeyPair/);
  });

  test('no public IPv4 address (EC2.9, EC2.25), only the app group, short connection-tracking timeouts', () => {
    expect(launchTemplateData(template).NetworkInterfaces).toEqual([
      {
        DeviceIndex: 0,
        AssociatePublicIpAddress: false,
        Groups: [{ 'Fn::GetAtt': [expect.stringMatching(/^AppGroup/), 'GroupId'] }],
        ConnectionTrackingSpecification: { TcpEstablishedTimeout: 60, UdpStreamTimeout: 60, UdpTimeout: 30 },
      },
    ]);
  });

  test('the connection-tracking timeout is adjustable within what EC2 accepts', () => {
    const data = launchTemplateData(plain({ tcpEstablishedTimeout: Duration.minutes(5) }));
    expect(data.NetworkInterfaces[0].ConnectionTrackingSpecification.TcpEstablishedTimeout).toBe(300);
  });

  test('a gp3 root volume encrypted with the given key, deleted with the instance unless incident response says otherwise (EC2.3)', () => {
    expect(launchTemplateData(template).BlockDeviceMappings).toEqual([
      {
        DeviceName: '/dev/xvda',
        Ebs: { VolumeType: 'gp3', VolumeSize: 20, Encrypted: true, KmsKeyId: { 'Fn::ImportValue': expect.stringMatching(/Key/) }, DeleteOnTermination: true },
      },
    ]);
  });

  test('Amazon Linux 2023 for arm64 from its public SSM parameter, resolved at deploy time; t4g.small; detailed monitoring', () => {
    const data = launchTemplateData(template);
    expect(data).toMatchObject({ InstanceType: 't4g.small', Monitoring: { Enabled: true }, ImageId: { Ref: expect.stringMatching(/al2023amikerneldefaultarm64/) } });
    template.hasParameter(data.ImageId.Ref, { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' });
  });

  test.each([
    ['t4g.small', AL2023_AMI_PARAMETERS.arm64],
    ['m7g.large', AL2023_AMI_PARAMETERS.arm64],
    ['m7i.large', AL2023_AMI_PARAMETERS.x86_64],
    ['m7i-flex.large', AL2023_AMI_PARAMETERS.x86_64],
  ])('%s gets the AMI of its architecture', (instanceType, parameter) => {
    const template = plain({ instanceType });
    template.hasParameter('*', { Default: parameter });
    expect(launchTemplateData(template).InstanceType).toBe(instanceType);
  });

  test('with an image parameter (hardened image), EC2 resolves it at each launch; no deploy-time parameter, same logical IDs', () => {
    const hardened = plain({ imageParameterName: '/sra-app/test/fleet/image-id' });
    expect(launchTemplateData(hardened).ImageId).toBe('resolve:ssm:/sra-app/test/fleet/image-id');
    expect(Object.keys(hardened.toJSON().Parameters ?? {}).filter((p) => p.startsWith('SsmParameterValue'))).toEqual([]);
    const ids = (t: Template) => ['AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::AutoScalingGroup'].map((type) => Object.keys(t.findResources(type)));
    expect(ids(hardened)).toEqual(ids(plain()));
  });

  test('instances, volumes and network interfaces carry the classification, owner and fleet tags', () => {
    const specs = launchTemplateData(template).TagSpecifications as { ResourceType: string; Tags: { Key: string; Value: string }[] }[];
    expect(specs.map((s) => s.ResourceType)).toEqual(['instance', 'volume', 'network-interface']);
    for (const spec of specs) {
      expect(spec.Tags).toEqual(expect.arrayContaining([
        { Key: 'DataClassification', Value: 'confidential' },
        { Key: 'Owner', Value: 'payments-team' },
        { Key: 'Fleet', Value: 'sra-app-test' },
      ]));
    }
    expect(fleet.fleetTag).toEqual({ key: 'Fleet', value: 'sra-app-test' });
  });

  test('spans the app subnets of two zones with the given capacity, attached to the target group', () => {
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '2',
      MaxSize: '4',
      DesiredCapacity: Match.absent(),
      VPCZoneIdentifier: [{ 'Fn::ImportValue': Match.stringLikeRegexp('AppSubnet1') }, { 'Fn::ImportValue': Match.stringLikeRegexp('AppSubnet2') }],
      TargetGroupARNs: [{ Ref: Match.stringLikeRegexp('^Targets') }],
      LaunchTemplate: { LaunchTemplateId: { Ref: Match.anyValue() }, Version: { 'Fn::GetAtt': [Match.anyValue(), 'LatestVersionNumber'] } },
    });
  });

  test('replaces instances the load balancer finds unhealthy, after a grace period', () => {
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { HealthCheckType: 'ELB', HealthCheckGracePeriod: 300 });
  });

  test('a changed launch template rolls through the group one instance at a time, keeping capacity', () => {
    template.hasResource('AWS::AutoScaling::AutoScalingGroup', {
      UpdatePolicy: { AutoScalingRollingUpdate: Match.objectLike({ MaxBatchSize: 1, MinInstancesInService: 2, PauseTime: 'PT5M' }) },
    });
  });

  test('scales to keep average CPU at 50%', () => {
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
    });
  });

  test('launch and termination events, and their errors, go to an encrypted TLS-only topic', () => {
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      NotificationConfigurations: [{
        TopicARN: { Ref: Match.stringLikeRegexp('ScalingEvents') },
        NotificationTypes: ['autoscaling:EC2_INSTANCE_LAUNCH', 'autoscaling:EC2_INSTANCE_LAUNCH_ERROR', 'autoscaling:EC2_INSTANCE_TERMINATE', 'autoscaling:EC2_INSTANCE_TERMINATE_ERROR'],
      }],
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] } });
  });

  test('adds no rule to the network tier group', () => {
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'app fleet (network tier)', SecurityGroupIngress: Match.absent() });
  });

  describe('instance role', () => {
    test('Systems Manager core, and a customer-managed policy for the CloudWatch agent and the service bundle only', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] },
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] }],
      });
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [
            { Sid: 'AgentMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'SRA/sra-app-test' } } },
            {
              Sid: 'AgentLogs',
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('SystemLogs'), 'Arn'] }, { 'Fn::GetAtt': [Match.stringLikeRegexp('AppLogs'), 'Arn'] }],
            },
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::cdk-hnb659fds-assets-111111111111-eu-west-1/${fleet.service.bundle.objectKey}`]] },
            },
          ],
          Version: '2012-10-17',
        },
      });
    });

    test('Resource "*" only for actions that take no resource', () => {
      for (const policy of Object.values(template.findResources('AWS::IAM::ManagedPolicy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
          if (statement.Resource !== '*') continue;
          for (const action of [statement.Action].flat()) expect([...UNSCOPED_ACTIONS, ...PROPOSED_UNSCOPED]).toContain(action);
        }
      }
    });

    test('is exposed for data-tier grants', () => {
      expect(fleet.grantPrincipal).toBe(fleet.role);
      expect(fleet.connections.defaultPort?.toString()).toBe('8080');
    });
  });

  test('two KMS-encrypted log groups with retention: system messages and the app log', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(2);
    for (const group of groups) expect(group.Properties).toMatchObject({ KmsKeyId: expect.anything(), RetentionInDays: 90 });
  });

  describe('user data', () => {
    const script = userDataScript(template);

    test('installs and starts the CloudWatch agent, shipping /var/log/messages and the app log to the fleet groups', () => {
      expect(script).toContain('dnf install -y amazon-cloudwatch-agent rsyslog');
      expect(script).toContain('amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s');
      expect(script).toMatch(/"file_path":"\/var\/log\/messages","log_group_name":"<token>"/);
      expect(script).toMatch(/"file_path":"\/var\/log\/app\/app.log","log_group_name":"<token>"/);
      expect(script).toContain('"namespace":"SRA/sra-app-test"');
      expect(script).toContain('"mem":{"measurement":["mem_used_percent"]}');
    });

    test('installs Node.js from the Amazon Linux 2023 repositories and runs the bundle with it', () => {
      expect(script).toContain(`dnf install -y amazon-cloudwatch-agent rsyslog openssl ${NODE_PACKAGE}`);
      expect(script).toContain(`ExecStart=${NODE_EXECUTABLE} /opt/app/current/server.js`);
    });

    test('downloads exactly the bundle, and checks its SHA-256 before unpacking it', () => {
      const { objectKey, sha256 } = fleet.service.bundle;
      expect(sha256).toMatch(/^[0-9a-f]{64}$/);
      const download = script.indexOf(`s3://cdk-hnb659fds-assets-111111111111-eu-west-1/${objectKey} /opt/app/service.tar.gz`);
      const check = script.indexOf(`echo '${sha256}  /opt/app/service.tar.gz' | sha256sum --check --strict --quiet`);
      const unpack = script.indexOf('tar -xzf /opt/app/service.tar.gz');
      expect(download).toBeGreaterThan(0);
      expect(check).toBeGreaterThan(download);
      expect(unpack).toBeGreaterThan(check);
      // set -e makes a failed check stop the script before anything runs.
      expect(script.indexOf('set -euo pipefail')).toBeLessThan(download);
    });

    test('writes the settings to an environment file readable by root and the service group only', () => {
      const body = /cat > \/etc\/app\/app\.env <<'SRA_ENV'\n([\s\S]*?)\nSRA_ENV/.exec(script)?.[1];
      expect(body?.split('\n')).toEqual([
        'PORT=8080',
        'TLS_CERT_FILE=/var/lib/app/tls/cert.pem',
        'TLS_KEY_FILE=/var/lib/app/tls/key.pem',
        'DB_HOST=db.example.internal',
        'AUTH_MODE=none',
      ]);
      expect(script).toContain(`chown root:app ${SERVICE_ENV_FILE} && chmod 0640 ${SERVICE_ENV_FILE}`);
      expect(script).toContain(`EnvironmentFile=${SERVICE_ENV_FILE}`);
    });

    test('generates the TLS key at each start as the service user, readable by it alone', () => {
      expect(script).toMatch(/\[Service\][\s\S]*User=app\nGroup=app\nUMask=0077\n/);
      expect(script).toContain('ExecStartPre=/usr/bin/openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 -subj /CN=app -keyout /var/lib/app/tls/key.pem -out /var/lib/app/tls/cert.pem');
      expect(script).toContain('StateDirectory=app\nStateDirectoryMode=0700');
    });

    test.each([
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'PrivateDevices=yes',
      'ProtectKernelTunables=yes',
      'ProtectKernelModules=yes',
      'ProtectControlGroups=yes',
      'RestrictSUIDSGID=yes',
      'CapabilityBoundingSet=\n',
      'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
      'Restart=on-failure',
      'KillSignal=SIGTERM',
      'TimeoutStopSec=30',
    ])('the unit sets %s', (directive) => {
      expect(script).toContain(directive);
    });

    test('a port below 1024 gets the one capability it needs, nothing more', () => {
      const low = userDataScript(plain({ appPort: 443 }));
      expect(low).toContain('AmbientCapabilities=CAP_NET_BIND_SERVICE\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n');
      expect(script).not.toContain('AmbientCapabilities');
    });

    test('stays well under the 16 KB user data limit, with every reference at 256 characters', () => {
      const size = Buffer.byteLength(userDataScript(template, 'x'.repeat(256)));
      expect(size).toBeLessThan(USER_DATA_LIMIT_BYTES / 2);
    });

    test('creates the non-root Session Manager user, and nothing opens SSH', () => {
      expect(script).toContain('useradd --create-home --shell /bin/bash ssm-user');
      expect(script).not.toMatch(/sshd|authorized_keys|sudoers/);
    });
  });

  test('the key-policy statements for the Auto Scaling service-linked role', () => {
    const [use, grant] = autoScalingKeyPolicyStatements().map((s) => new Stack().resolve(s.toStatementJson()));
    expect(use).toMatchObject({ Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']), Principal: { AWS: expect.anything() } });
    expect(JSON.stringify(use.Principal)).toContain('autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling');
    expect(grant).toMatchObject({ Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
  });

  test('a given Auto Scaling service-linked role is used instead of the default', () => {
    const template = plain({ serviceLinkedRoleArn: 'arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_sra' });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { ServiceLinkedRoleARN: Match.stringLikeRegexp('AWSServiceRoleForAutoScaling_sra$') });
  });

  test.each<[string, Partial<AppFleetProps>, RegExp]>([
    ['no instances', { minCapacity: 0 }, /minCapacity must be a whole number of at least 1/],
    ['a maximum below the minimum', { minCapacity: 3, maxCapacity: 2 }, /maxCapacity must be at least minCapacity/],
    ['a desired capacity outside the range', { desiredCapacity: 9 }, /desiredCapacity must lie between minCapacity and maxCapacity/],
    ['the app on port 22', { appPort: 22 }, /appPort must be a port number from 1 to 65535 other than 22/],
    ['a tracking timeout below EC2\'s minimum', { tcpEstablishedTimeout: Duration.seconds(30) }, /tcpEstablishedTimeout must be a whole number of seconds from 60 to 432000/],
    ['root as the session user', { sessionUser: 'root' }, /sessionUser must be a Linux user name other than root/],
    ['a malformed instance type', { instanceType: 'small' }, /instanceType must look like t4g\.small/],
    ['a health path that is not a path', { healthCheckPath: 'health; reboot' }, /healthCheckPath must be a URL path/],
    ['a fleet name with spaces', { fleetName: 'app fleet' }, /fleetName may use letters, digits and "-" only/],
    ['a lower-case setting name', { serviceEnvironment: { db_host: 'x' } }, /environment variable names must be upper case/],
    ['a setting over two lines', { serviceEnvironment: { DB_HOST: 'a\nB=c' } }, /environment variable DB_HOST must be one line/],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => plain(overrides)).toThrow(message);
  });
});

