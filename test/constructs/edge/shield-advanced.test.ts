import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { SERVER_ERRORS_PER_MINUTE, ShieldAdvanced, type ShieldAdvancedProps } from '../../../src/constructs/edge/shield-advanced';
import { WebAcl } from '../../../src/constructs/edge/web-acl';
import { buildChecked, type Fixture } from '../../helpers/nag';

const CONTACTS = [{ email: 'soc@example.com', phone: '+4915112345678', notes: 'SOC on call' }, { email: 'ops@example.com' }];

/** A load balancer with a target group, its web ACL and a topic: the parts the application stack hands over. */
function edge({ stack, vpc, key }: Fixture) {
  const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
  const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'Targets', { vpc, port: 8080, protocol: elbv2.ApplicationProtocol.HTTPS, healthCheck: { interval: Duration.seconds(30) } });
  const certificate = { certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d' };
  loadBalancer.addListener('Https', { port: 443, certificates: [certificate], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, defaultTargetGroups: [targetGroup] });
  const webAcl = new WebAcl(stack, 'Waf', { loadBalancerArn: loadBalancer.loadBalancerArn, name: 'sra-app-test', logging: { kind: 'cloudWatchLogs', key, retentionDays: 365 } });
  const alarmTopic = new sns.Topic(stack, 'Alarms', { masterKey: key, enforceSSL: true });
  const logs = s3.Bucket.fromBucketName(stack, 'Logs', 'sra-app-test-alb-logs');
  return { name: 'sra-app-test', loadBalancer, targetGroup, webAcl: webAcl.webAcl, webAclAssociation: webAcl.association, alarmTopic, logBuckets: [logs] } satisfies ShieldAdvancedProps;
}

type Resource = { Properties: Record<string, any>; DependsOn?: string[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
const only = (template: Template, type: string): [string, Resource] => {
  const entries = Object.entries(template.findResources(type)) as [string, Resource][];
  expect(entries).toHaveLength(1);
  return entries[0]!;
};

describe('ShieldAdvanced', () => {
  const { template, findings } = buildChecked((fixture) => {
    new ShieldAdvanced(fixture.stack, 'Shield', { ...edge(fixture), emergencyContacts: CONTACTS });
  });

  test('passes all four packs', () => {
    // The fixture's bare load balancer is not under test.
    expect(findings.filter((f) => f.resources.some((r) => r.startsWith('Test/Stack/Shield/')))).toEqual([]);
  });

  test('protects the load balancer, after its web ACL is associated, with automatic application-layer mitigation blocking', () => {
    const [, protection] = only(template, 'AWS::Shield::Protection');
    expect(protection.Properties).toMatchObject({
      ResourceArn: { Ref: expect.stringMatching(/^Alb/) },
      ApplicationLayerAutomaticResponseConfiguration: { Status: 'ENABLED', Action: { Block: {} } },
    });
    const [associationId] = only(template, 'AWS::WAFv2::WebACLAssociation');
    expect(protection.DependsOn).toContain(associationId);
  });

  test('the protection carries the calculated health check, which is healthy only while both alarm checks are', () => {
    const [calculatedId, calculated] = Object.entries(template.findResources('AWS::Route53::HealthCheck', { Properties: { HealthCheckConfig: { Type: 'CALCULATED' } } }))[0] as [string, Resource];
    const children = Object.keys(template.findResources('AWS::Route53::HealthCheck', { Properties: { HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC' } } }));
    expect(children).toHaveLength(2);
    expect(calculated.Properties.HealthCheckConfig).toEqual({ Type: 'CALCULATED', ChildHealthChecks: children.map((id) => ({ 'Fn::GetAtt': [id, 'HealthCheckId'] })), HealthThreshold: 2 });
    const [, protection] = only(template, 'AWS::Shield::Protection');
    expect(JSON.stringify(protection.Properties.HealthCheckArns)).toContain(calculatedId);
    expect(JSON.stringify(protection.Properties.HealthCheckArns)).toContain(':route53:::healthcheck/');
  });

  test('the alarm checks watch load balancer 5xx responses and healthy targets, and the alarms notify', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HTTPCode_ELB_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Threshold: SERVER_ERRORS_PER_MINUTE,
      Period: 60,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alarms') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HealthyHostCount',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alarms') }],
    });
    template.resourcePropertiesCountIs('AWS::Route53::HealthCheck', { HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Name: Match.anyValue(), Region: Match.anyValue() } } }, 2);
  });

  test('a protection group of the load balancer', () => {
    const [, group] = only(template, 'AWS::Shield::ProtectionGroup');
    expect(group.Properties).toMatchObject({ ProtectionGroupId: 'sra-app-test-edge', Pattern: 'ARBITRARY', Aggregation: 'SUM', Members: [{ Ref: expect.stringMatching(/^Alb/) }] });
  });

  test('the Shield Response Team gets a role only it can assume, with the policy Shield requires and read access to the logs', () => {
    const [roleId] = Object.entries(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'drt.shield.amazonaws.com' } }] } } }))[0]!;
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'drt.shield.amazonaws.com' } }] },
      ManagedPolicyArns: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSShieldDRTAccessPolicy']] }]),
    });
    const [, access] = only(template, 'AWS::Shield::DRTAccess');
    expect(access.Properties.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', Match.arrayWith([':s3:::sra-app-test-alb-logs/*'])] } })]) },
    });
  });

  test('proactive engagement with the configured contacts', () => {
    const [, engagement] = only(template, 'AWS::Shield::ProactiveEngagement');
    expect(engagement.Properties).toEqual({
      ProactiveEngagementStatus: 'ENABLED',
      EmergencyContactList: [{ EmailAddress: 'soc@example.com', PhoneNumber: '+4915112345678', ContactNotes: 'SOC on call' }, { EmailAddress: 'ops@example.com' }],
    });
  });

  test.each([
    ['count', { Status: 'ENABLED', Action: { Count: {} } }],
    ['off', undefined],
  ] as const)('automaticMitigation %s', (mitigation, expected) => {
    const { template: t } = buildChecked((fixture) => {
      new ShieldAdvanced(fixture.stack, 'Shield', { ...edge(fixture), automaticMitigation: mitigation, responseTeamAccess: false });
    });
    expect(only(t, 'AWS::Shield::Protection')[1].Properties.ApplicationLayerAutomaticResponseConfiguration).toEqual(expected);
    t.resourceCountIs('AWS::Shield::DRTAccess', 0);
    t.resourceCountIs('AWS::Shield::ProactiveEngagement', 0);
  });

  test('refuses automatic mitigation on a web ACL without a rate-based rule', () => {
    expect(() =>
      buildChecked((fixture) => {
        const props = edge(fixture);
        const bare = new wafv2.CfnWebACL(fixture.stack, 'Bare', { scope: 'REGIONAL', defaultAction: { allow: {} }, rules: [], visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'bare' } });
        new ShieldAdvanced(fixture.stack, 'Shield', { ...props, webAcl: bare });
      }),
    ).toThrow(/automatic application-layer mitigation needs a rate-based rule in the web ACL/);
  });

  test('refuses a name whose protection group id Shield would reject', () => {
    expect(() =>
      buildChecked((fixture) => {
        new ShieldAdvanced(fixture.stack, 'Shield', { ...edge(fixture), name: 'a'.repeat(40) });
      }),
    ).toThrow(/protection group id "a{40}-edge" must be 1-36 letters, digits or hyphens/);
  });
});
