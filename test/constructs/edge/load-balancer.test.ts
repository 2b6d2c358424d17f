import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { LoadBalancerAuthentication } from '../../../src/constructs/edge/load-balancer-auth';
import { SecureLoadBalancer, type SecureLoadBalancerProps, TLS_POLICIES, type TlsPolicyName } from '../../../src/constructs/edge/load-balancer';
import { LoadBalancerLogBucket } from '../../../src/constructs/edge/load-balancer-log-bucket';
import { WebAcl } from '../../../src/constructs/edge/web-acl';
import { buildChecked, type Fixture } from '../../helpers/nag';

const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/12345678-1234-1234-1234-123456789012';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:oidc-client-AbCdEf';
const OIDC: LoadBalancerAuthentication = {
  kind: 'oidc',
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
  clientId: 'sra-app',
  clientSecretArn: SECRET_ARN,
  clientSecretJsonField: 'clientSecret',
};

type Overrides = Partial<SecureLoadBalancerProps> | ((scope: Construct) => Partial<SecureLoadBalancerProps>);

/** The load balancer as the Application stack composes it: its log bucket, and the web ACL that NIST and PCI require on an ALB. */
function compose({ stack, vpc, key }: Pick<Fixture, 'stack' | 'vpc' | 'key'>, overrides: Overrides = {}) {
  const group = new ec2.SecurityGroup(stack, 'LoadBalancerGroup', { vpc, description: 'load balancer (network tier)', allowAllOutbound: false });
  const logs = new LoadBalancerLogBucket(stack, 'LbLogs', { accessLogBucket: s3.Bucket.fromBucketName(stack, 'AccessLogs', 'sra-access-logs'), retentionDays: 365 });
  const lb = new SecureLoadBalancer(stack, 'Lb', {
    vpc,
    subnets: { subnetType: ec2.SubnetType.PUBLIC },
    securityGroup: group,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
    logBucket: logs.bucket,
    appPort: 8080,
    ...(typeof overrides === 'function' ? overrides(stack) : overrides),
  });
  new WebAcl(stack, 'Waf', { loadBalancerArn: lb.loadBalancer.loadBalancerArn, name: 'sra-app-test', logging: { kind: 'cloudWatchLogs', key, retentionDays: 365 } });
  return lb;
}

function plain(overrides: Overrides = {}): Template {
  const app = new App();
  const fixture = new Stack(app, 'Fixture', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(fixture, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const key = new kms.Key(fixture, 'Key', { enableKeyRotation: true });
  compose({ stack: fixture, vpc, key }, overrides);
  return Template.fromStack(fixture);
}

const cognitoAuth = (scope: Construct): Partial<SecureLoadBalancerProps> => ({
  authentication: {
    kind: 'cognito',
    userPool: cognito.UserPool.fromUserPoolArn(scope, 'Pool', 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbCdEfGhI'),
    userPoolClient: cognito.UserPoolClient.fromUserPoolClientId(scope, 'Client', 'abcdefghijklmnopqrstuvwxyz'),
    userPoolDomain: cognito.UserPoolDomain.fromDomainName(scope, 'Domain', 'sra-app-login'),
  },
});

function loadBalancerAttributes(template: Template): Record<string, string> {
  const [lb] = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
  return Object.fromEntries((lb!.Properties.LoadBalancerAttributes as { Key: string; Value: string }[]).map((a) => [a.Key, a.Value]));
}

describe('SecureLoadBalancer', () => {
  const { template, findings } = buildChecked((fixture) => compose(fixture));

  test('passes all four packs (with its log bucket and web ACL, as the stack composes them)', () => {
    expect(findings).toEqual([]);
  });

  test('internet-facing, IPv4, in the public subnets of two zones, behind the given group only', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'application',
      Scheme: 'internet-facing',
      IpAddressType: 'ipv4',
      Subnets: [Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('PublicSubnet1') }), Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('PublicSubnet2') })],
      SecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^LoadBalancerGroup'), 'GroupId'] }],
    });
  });

  test('adds no rule to the network tier group (no listener opens it, no target attachment widens it)', () => {
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'load balancer (network tier)', SecurityGroupIngress: Match.absent() });
  });

  test('HTTPS on 443 with the certificate and the TLS 1.3/1.2 policy by default (ELB.17, ELB.18)', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      Port: 443,
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: CERT_ARN }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^LbAppTargets') } }],
    });
  });

  test('port 80 only answers with a permanent redirect to HTTPS (ELB.1)', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
  });

  test('drops invalid header fields (ELB.4) and uses the strictest desync mitigation (ELB.12)', () => {
    const attributes = loadBalancerAttributes(template);
    expect(attributes['routing.http.drop_invalid_header_fields.enabled']).toBe('true');
    expect(attributes['routing.http.desync_mitigation_mode']).toBe('strictest');
  });

  test('access and connection logs go to the log bucket (ELB.5)', () => {
    const attributes = loadBalancerAttributes(template);
    expect(attributes['access_logs.s3.enabled']).toBe('true');
    expect(attributes['access_logs.s3.bucket']).toEqual({ Ref: expect.stringMatching(/^LbLogs/) });
    expect(attributes['access_logs.s3.prefix']).toBe('alb');
    expect(attributes['connection_logs.s3.enabled']).toBe('true');
    expect(attributes['connection_logs.s3.prefix']).toBe('alb-connections');
  });

  test('deletion protection is on by default (ELB.6), and WAF does not fail open', () => {
    const attributes = loadBalancerAttributes(template);
    expect(attributes['deletion_protection.enabled']).toBe('true');
    expect(attributes['waf.fail_open.enabled']).toBe('false');
  });

  test('one target group: HTTPS to the app port (encrypted to the instance), health checks over HTTPS on /health/ready, 30-second deregistration delay', () => {
    const groups = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
    expect(groups).toHaveLength(1);
    expect(groups[0]!.Properties).toMatchObject({ Protocol: 'HTTPS', ProtocolVersion: 'HTTP1', HealthCheckProtocol: 'HTTPS', HealthCheckPort: 'traffic-port' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Protocol: 'HTTPS',
      Port: 8080,
      TargetType: 'instance',
      HealthCheckPath: '/health/ready',
      HealthCheckProtocol: 'HTTPS',
      Matcher: { HttpCode: '200' },
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      HealthCheckIntervalSeconds: 15,
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
  });

  describe('log bucket', () => {
    test('SSE-S3 (the only encryption ELB log delivery accepts), private, versioned, with lifecycle and access logs', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: 'sra-access-logs', LogFilePrefix: 'load-balancer-logs/' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
      });
    });

    test('only the regional ELB account may write, and only under this account\'s AWSLogs prefix', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 's3:PutObject',
              Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::156460612806:root']] } },
              Resource: { 'Fn::Join': ['', [Match.anyValue(), '/alb/AWSLogs/111111111111/*']] },
            }),
          ]),
        },
      });
    });
  });

  test.each(Object.entries(TLS_POLICIES))('tlsPolicy %s selects %s', (name, policy) => {
    plain({ tlsPolicy: name as TlsPolicyName }).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', SslPolicy: policy });
  });

  test('the post-quantum choice is the restricted ML-KEM hybrid policy', () => {
    expect(TLS_POLICIES['post-quantum']).toBe('ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09');
    expect(TLS_POLICIES.fips).toBe('ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04');
  });

  test('internal and without deletion protection when asked', () => {
    const template = plain({ internetFacing: false, deletionProtection: false });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    expect(loadBalancerAttributes(template)['deletion_protection.enabled']).toBe('false');
  });

  describe.each([
    ['oidc', { authentication: OIDC } as Overrides, 'authenticate-oidc'],
    ['cognito', cognitoAuth as Overrides, 'authenticate-cognito'],
  ])('%s authentication', (_name, overrides, type) => {
    const checked = buildChecked((fixture) => compose(fixture, overrides));

    test('passes all four packs', () => {
      expect(checked.findings).toEqual([]);
    });

    test('authenticates every request before forwarding, sending unauthenticated users to the IdP', () => {
      checked.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTPS',
        DefaultActions: [
          Match.objectLike({ Type: type, Order: 1 }),
          Match.objectLike({ Type: 'forward', Order: 2 }),
        ],
      });
    });

    test('the load balancer group may reach the IdP over HTTPS', () => {
      checked.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'load balancer (network tier)',
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })],
      });
    });
  });

  test('the OIDC client secret is a Secrets Manager reference resolved at deploy time, never a literal', () => {
    plain({ authentication: OIDC }).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      DefaultActions: Match.arrayWith([
        Match.objectLike({
          AuthenticateOidcConfig: Match.objectLike({
            ClientSecret: `{{resolve:secretsmanager:${SECRET_ARN}:SecretString:clientSecret::}}`,
            Issuer: 'https://idp.example.com',
            OnUnauthenticatedRequest: 'authenticate',
            Scope: 'openid',
            SessionTimeout: '28800',
          }),
        }),
      ]),
    });
  });

  test.each([
    ['OIDC without a client secret', { authentication: { ...OIDC, clientSecretArn: undefined } }, /authentication\.clientSecretArn must be the ARN of the Secrets Manager secret/],
    ['OIDC with a literal secret instead of its ARN', { authentication: { ...OIDC, clientSecretArn: 's3cr3t' } }, /authentication\.clientSecretArn must be the ARN/],
    ['OIDC with a plain-HTTP token endpoint', { authentication: { ...OIDC, tokenEndpoint: 'http://idp.example.com/token' } }, /authentication\.tokenEndpoint must be an https:\/\/ URL/],
    ['OIDC without a client id', { authentication: { ...OIDC, clientId: '' } }, /authentication\.clientId is required/],
    ['an unknown TLS policy', { tlsPolicy: 'legacy' }, /tlsPolicy must be one of recommended, fips, post-quantum, fips-post-quantum/],
    ['an app port out of range', { appPort: 70000 }, /appPort must be a port number/],
    ['a log prefix with slashes', { logPrefix: '/alb/' }, /logPrefix must not start or end with "\/"/],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => plain(overrides as Overrides)).toThrow(message);
  });
});
