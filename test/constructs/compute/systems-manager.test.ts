import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AppFleet } from '../../../src/constructs/compute/app-fleet';
import { SESSION_PREFERENCES_DOCUMENT } from '../../../src/constructs/compute/session-manager';
import { SystemsManager, type SystemsManagerProps } from '../../../src/constructs/compute/systems-manager';
import { SecureLoadBalancer } from '../../../src/constructs/edge/load-balancer';
import { LoadBalancerLogBucket } from '../../../src/constructs/edge/load-balancer-log-bucket';
import { WebAcl } from '../../../src/constructs/edge/web-acl';
import { UNSCOPED_ACTIONS } from '../../../src/constructs/lambda/unscoped-actions';
import { buildChecked, type Fixture } from '../../helpers/nag';

/** Unscoped actions the maintenance window and the fleet need beyond the shared list (see the report to the lead). */
const PROPOSED_UNSCOPED = ['cloudwatch:PutMetricData', 'ssm:CancelCommand', 'ssm:GetCommandInvocation', 'ssm:ListCommands', 'ssm:ListCommandInvocations'];
const TARGET = { key: 'Fleet', values: ['sra-app-test'] };

/** The application tier as the stack will compose it: load balancer, web ACL, fleet and Systems Manager. */
function applicationTier({ stack, vpc, key }: Pick<Fixture, 'stack' | 'vpc' | 'key'>, overrides: Partial<SystemsManagerProps> = {}) {
  const lbGroup = new ec2.SecurityGroup(stack, 'LoadBalancerGroup', { vpc, description: 'load balancer', allowAllOutbound: false });
  const appGroup = new ec2.SecurityGroup(stack, 'AppGroup', { vpc, description: 'app fleet', allowAllOutbound: false });
  lbGroup.addIngressRule(ec2.Peer.ipv4('203.0.113.0/24'), ec2.Port.tcp(443), 'HTTPS from the allowed sources');
  lbGroup.connections.allowTo(appGroup, ec2.Port.tcp(8080), 'to the app fleet');
  const logs = new LoadBalancerLogBucket(stack, 'LbLogs', { accessLogBucket: s3.Bucket.fromBucketName(stack, 'AccessLogs', 'sra-access-logs'), retentionDays: 365 });
  const lb = new SecureLoadBalancer(stack, 'Lb', {
    vpc,
    subnets: { subnetType: ec2.SubnetType.PUBLIC },
    securityGroup: lbGroup,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/12345678-1234-1234-1234-123456789012'),
    logBucket: logs.bucket,
    appPort: 8080,
  });
  new WebAcl(stack, 'Waf', { loadBalancerArn: lb.loadBalancer.loadBalancerArn, name: 'sra-app-test', logging: { kind: 'cloudWatchLogs', key, retentionDays: 365 } });
  const fleet = new AppFleet(stack, 'Fleet', {
    fleetName: 'sra-app-test',
    vpc,
    subnets: { subnetGroupName: 'App' },
    securityGroup: appGroup,
    appPort: 8080,
    targetGroup: lb.targetGroup,
    volumeKey: key,
    logsKey: key,
    logRetentionDays: 90,
    classification: 'internal',
    owner: 'app-team',
  });
  const ssm = new SystemsManager(stack, 'Ssm', {
    name: 'sra-app-test',
    target: { key: fleet.fleetTag.key, values: [fleet.fleetTag.value] },
    sessionKey: key,
    logsKey: key,
    logRetentionDays: 90,
    ...overrides,
  });
  ssm.grantInstanceAccess(fleet.role);
  return { fleet, ssm };
}

function plain(overrides: Partial<SystemsManagerProps> = {}): Template {
  const stack = new Stack(new App(), 'Plain', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  new SystemsManager(stack, 'Ssm', { name: 'sra-app-test', target: TARGET, sessionKey: key, logsKey: key, logRetentionDays: 90, ...overrides });
  return Template.fromStack(stack);
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Every place in a template that could admit or send SSH: security-group rules, network ACL entries, key pairs, bastions. */
function sshExposures(resources: Resources): string[] {
  const found: string[] = [];
  const covers22 = (rule: { IpProtocol?: string | number; FromPort?: number; ToPort?: number; PortRange?: { From: number; To: number }; Protocol?: number }) => {
    if (String(rule.IpProtocol ?? rule.Protocol) === '-1') return true;
    const from = rule.FromPort ?? rule.PortRange?.From;
    const to = rule.ToPort ?? rule.PortRange?.To;
    return from !== undefined && to !== undefined && from <= 22 && 22 <= to;
  };
  for (const [id, { Type, Properties = {} }] of Object.entries(resources)) {
    const rules = [
      ...((Properties.SecurityGroupIngress as object[] | undefined) ?? []),
      ...((Properties.SecurityGroupEgress as object[] | undefined) ?? []),
      ...(['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress', 'AWS::EC2::NetworkAclEntry'].includes(Type) ? [Properties] : []),
    ];
    if (rules.some(covers22)) found.push(`${id}: a rule covering port 22`);
    if (Type === 'AWS::EC2::KeyPair' || /"KeyName"/.test(JSON.stringify(Properties))) found.push(`${id}: a key pair`);
    if (/bastion/i.test(id)) found.push(`${id}: a bastion`);
  }
  return found;
}

describe('SystemsManager', () => {
  const { template, findings } = buildChecked((fixture) => applicationTier(fixture));

  test('passes all four packs, with the fleet granted what sessions and patch output need', () => {
    expect(findings).toEqual([]);
  });

  test('the load balancer and the fleet add no rule to the network tier groups: only the tier\'s own two remain', () => {
    const rules = [...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')), ...Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))];
    expect(rules.map((r) => r.Properties.Description)).toEqual(['to the app fleet', 'to the app fleet']);
  });

  describe('no SSH anywhere', () => {
    test('the application tier has no rule covering port 22, no key pair and no bastion', () => {
      expect(sshExposures(template.toJSON().Resources as Resources)).toEqual([]);
    });

    test('the walk catches each of them', () => {
      expect(sshExposures({
        Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 1024 }] } },
        All: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { IpProtocol: '-1' } },
        Acl: { Type: 'AWS::EC2::NetworkAclEntry', Properties: { Protocol: 6, PortRange: { From: 22, To: 22 } } },
        Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { KeyName: 'ops' } } },
        BastionHost: { Type: 'AWS::EC2::Instance', Properties: {} },
      })).toHaveLength(5);
    });
  });

  describe('Session Manager preferences', () => {
    test('the account\'s fixed Session document', () => {
      template.hasResourceProperties('AWS::SSM::Document', {
        Name: SESSION_PREFERENCES_DOCUMENT,
        DocumentType: 'Session',
        DocumentFormat: 'JSON',
        UpdateMethod: 'NewVersion',
        Content: Match.objectLike({ schemaVersion: '1.0', sessionType: 'Standard_Stream' }),
      });
      expect(SESSION_PREFERENCES_DOCUMENT).toBe('SSM-SessionManagerRunShell');
    });

    test('sessions run as a non-root user, are encrypted with the key, streamed to an encrypted group and time out', () => {
      template.hasResourceProperties('AWS::SSM::Document', {
        Content: {
          schemaVersion: '1.0',
          description: Match.anyValue(),
          sessionType: 'Standard_Stream',
          inputs: {
            s3BucketName: '',
            s3KeyPrefix: '',
            s3EncryptionEnabled: true,
            cloudWatchLogGroupName: { Ref: Match.stringLikeRegexp('^SsmSessionsLogs') },
            cloudWatchEncryptionEnabled: true,
            cloudWatchStreamingEnabled: true,
            kmsKeyId: { 'Fn::ImportValue': Match.stringLikeRegexp('Key') },
            idleSessionTimeout: '20',
            maxSessionDuration: '60',
            runAsEnabled: true,
            runAsDefaultUser: 'ssm-user',
            shellProfile: { linux: 'cd ~ && exec bash --login', windows: '' },
          },
        },
      });
    });

    test('the fleet role may decrypt sessions and stream to the session group', () => {
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Description: Match.stringLikeRegexp('Fleet/Role'),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 'kms:Decrypt', Resource: { 'Fn::ImportValue': Match.stringLikeRegexp('Key') } }),
            Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SsmSessionsLogs'), 'Arn'] } }),
            Match.objectLike({ Action: 'logs:DescribeLogGroups', Resource: '*' }),
          ]),
        },
      });
    });

    test('with a bucket, transcripts are also written under its prefix', () => {
      const checked = buildChecked((fixture) => applicationTier(fixture, { sessionBucket: new s3.Bucket(fixture.stack, 'Sessions', { bucketName: 'sra-sessions', enforceSSL: true }) }));
      checked.template.hasResourceProperties('AWS::SSM::Document', {
        Content: Match.objectLike({ inputs: Match.objectLike({ s3BucketName: { Ref: Match.stringLikeRegexp('^Sessions') }, s3KeyPrefix: 'session-manager', s3EncryptionEnabled: true }) }),
      });
      checked.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/session-manager/*']] } })]) },
      });
      // The bucket itself is the test's; only the fleet's and Systems Manager's findings matter here.
      expect(checked.findings.filter((f) => !f.resources.every((r) => r.startsWith('Test/Stack/Sessions/')))).toEqual([]);
    });
  });

  describe('Patch Manager', () => {
    test('an Amazon Linux 2023 baseline approving security (all severities) and bug-fix updates after 7 days, as the default', () => {
      template.hasResourceProperties('AWS::SSM::PatchBaseline', {
        Name: 'sra-app-test-al2023',
        OperatingSystem: 'AMAZON_LINUX_2023',
        DefaultBaseline: true,
        AvailableSecurityUpdatesComplianceStatus: 'NON_COMPLIANT',
        ApprovalRules: {
          PatchRules: [
            {
              ApproveAfterDays: 7,
              ComplianceLevel: 'CRITICAL',
              EnableNonSecurity: false,
              PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['Security'] }, { Key: 'SEVERITY', Values: ['Critical', 'Important', 'Medium', 'Low'] }] },
            },
            { ApproveAfterDays: 7, ComplianceLevel: 'MEDIUM', EnableNonSecurity: true, PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['Bugfix'] }] } },
          ],
        },
      });
    });

    test('registered for a patch group instead, and with another delay, when asked', () => {
      const template = plain({ patchBaselineRegistration: { patchGroup: 'sra-app' }, approveAfterDays: 3 });
      template.hasResourceProperties('AWS::SSM::PatchBaseline', {
        DefaultBaseline: false,
        PatchGroups: ['sra-app'],
        ApprovalRules: { PatchRules: Match.arrayWith([Match.objectLike({ ApproveAfterDays: 3 })]) },
      });
    });

    test('scans the fleet daily for compliance and gathers inventory every 12 hours', () => {
      template.hasResourceProperties('AWS::SSM::Association', {
        Name: 'AWS-RunPatchBaseline',
        Parameters: { Operation: ['Scan'] },
        Targets: [{ Key: 'tag:Fleet', Values: ['sra-app-test'] }],
        ScheduleExpression: 'rate(1 day)',
      });
      template.hasResourceProperties('AWS::SSM::Association', {
        Name: 'AWS-GatherSoftwareInventory',
        Targets: [{ Key: 'tag:Fleet', Values: ['sra-app-test'] }],
        ScheduleExpression: 'rate(12 hours)',
      });
    });

    test('installs in a weekly maintenance window, one instance at a time, rebooting only if needed, output logged', () => {
      template.hasResourceProperties('AWS::SSM::MaintenanceWindow', { Schedule: 'cron(0 3 ? * SUN *)', ScheduleTimezone: 'UTC', Duration: 3, Cutoff: 1, AllowUnassociatedTargets: false });
      template.hasResourceProperties('AWS::SSM::MaintenanceWindowTarget', { ResourceType: 'INSTANCE', Targets: [{ Key: 'tag:Fleet', Values: ['sra-app-test'] }] });
      template.hasResourceProperties('AWS::SSM::MaintenanceWindowTask', {
        TaskType: 'RUN_COMMAND',
        TaskArn: 'AWS-RunPatchBaseline',
        MaxConcurrency: '1',
        MaxErrors: '1',
        ServiceRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('WindowRole'), 'Arn'] },
        TaskInvocationParameters: {
          MaintenanceWindowRunCommandParameters: Match.objectLike({
            Parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] },
            CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: { Ref: Match.stringLikeRegexp('PatchingOutput') } },
          }),
        },
      });
    });

    test('the window role may run only AWS-RunPatchBaseline, only on fleet instances, and only for this account', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ssm.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } })] },
      });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Description: Match.stringLikeRegexp('WindowRole'),
        PolicyDocument: {
          Statement: [
            { Sid: 'RunPatchBaselineDocument', Effect: 'Allow', Action: 'ssm:SendCommand', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1::document/AWS-RunPatchBaseline']] } },
            {
              Sid: 'OnFleetInstancesOnly',
              Effect: 'Allow',
              Action: 'ssm:SendCommand',
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-1:111111111111:instance/*']] },
              Condition: { StringEquals: { 'ssm:resourceTag/Fleet': ['sra-app-test'] } },
            },
            { Sid: 'FollowCommands', Effect: 'Allow', Action: ['ssm:CancelCommand', 'ssm:GetCommandInvocation', 'ssm:ListCommands', 'ssm:ListCommandInvocations'], Resource: '*' },
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
  });

  test.each<[string, Partial<SystemsManagerProps>, RegExp]>([
    ['an approval delay over 360 days', { approveAfterDays: 400 }, /approveAfterDays must be a whole number from 0 to 360/],
    ['a schedule that is not cron or rate', { installSchedule: 'weekly' }, /installSchedule must be a cron\(\.\.\.\) or rate\(\.\.\.\) expression/],
    ['an idle timeout of 0', { idleSessionTimeoutMinutes: 0 }, /idleSessionTimeoutMinutes must be a whole number from 1 to 60/],
    ['root sessions', { sessionUser: 'root' }, /runAsDefaultUser must be a Linux user name other than root/],
    ['no target tag values', { target: { key: 'Fleet', values: [] } }, /target needs a tag key and at least one value/],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => plain(overrides)).toThrow(message);
  });
});
