import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FleetMirroring, HEARTBEAT, MIRROR_FLEET_TAG } from '../../../src/constructs/network/fleet-mirroring';
import { FLEET_TAG } from '../../../functions/fleet-mirroring/mirror';
import { buildChecked } from '../../helpers/nag';

type Resource = { Properties: Record<string, any>; DependsOn?: string[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

const { template, findings } = buildChecked(({ stack, vpc, key }) => {
  const group = new autoscaling.AutoScalingGroup(stack, 'Fleet', {
    vpc,
    vpcSubnets: { subnetGroupName: 'App' },
    launchTemplate: new ec2.LaunchTemplate(stack, 'Template', { instanceType: new ec2.InstanceType('t4g.small'), machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }), requireImdsv2: true }),
  });
  new FleetMirroring(stack, 'Mirroring', {
    fleetName: 'sra-app-dev',
    autoScalingGroup: group,
    vpc,
    subnets: { subnetGroupName: 'App' },
    targetId: 'tmt-0123456789abcdef0',
    filterId: 'tmf-0123456789abcdef0',
    sessionNumber: 7,
    virtualNetworkId: 4242,
    key,
    logsKey: key,
    logRetentionDays: 365,
    alarmTopic: new sns.Topic(stack, 'Alarms', { masterKey: key, enforceSSL: true }),
  });
});

const one = (t: Template, type: string, props?: object): [string, Resource] => {
  const entries = Object.entries(t.findResources(type, props ? { Properties: props } : undefined)) as [string, Resource][];
  expect(entries).toHaveLength(1);
  return entries[0]!;
};
const statements = (): Statement[] => {
  const [roleId] = one(template, 'AWS::IAM::Role', { Description: Match.stringLikeRegexp('^Mirrors each instance') });
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: roleId }] } })).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
};
const allowing = (action: string) => statements().filter((s) => [s.Action].flat().includes(action));

describe('FleetMirroring', () => {
  test('passes all four packs', () => {
    // The fixture's bare group is not under test.
    expect(findings.filter((f) => f.resources.some((r) => r.startsWith('Test/Stack/Mirroring/')))).toEqual([]);
  });

  test('the group holds every launch and termination for the function: a launch without a session is abandoned, a termination goes ahead', () => {
    const [, group] = one(template, 'AWS::AutoScaling::AutoScalingGroup');
    expect(group.Properties.LifecycleHookSpecificationList).toEqual([
      { LifecycleHookName: 'sra-app-dev-mirror-launch', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', DefaultResult: 'ABANDON', HeartbeatTimeout: 900 },
      { LifecycleHookName: 'sra-app-dev-mirror-terminate', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', DefaultResult: 'CONTINUE', HeartbeatTimeout: 900 },
    ]);
    expect(group.Properties.Tags).toContainEqual({ Key: MIRROR_FLEET_TAG, Value: 'sra-app-dev', PropagateAtLaunch: false });
  });

  test('the group is created after the rule and function, so its first instances are mirrored too', () => {
    const [, group] = one(template, 'AWS::AutoScaling::AutoScalingGroup');
    const [ruleId] = one(template, 'AWS::Events::Rule');
    const [functionId] = one(template, 'AWS::Lambda::Function', { Environment: Match.objectLike({ Variables: Match.objectLike({ FLEET_NAME: 'sra-app-dev' }) }) });
    expect(group.DependsOn).toEqual(expect.arrayContaining([ruleId, functionId]));
  });

  test('the rule sends the two hooks\' lifecycle actions to the function, with retries and a dead-letter queue', () => {
    const [, rule] = one(template, 'AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance-launch Lifecycle Action', 'EC2 Instance-terminate Lifecycle Action'],
      detail: { LifecycleHookName: ['sra-app-dev-mirror-launch', 'sra-app-dev-mirror-terminate'] },
    });
    expect(rule.Properties.Targets[0]).toMatchObject({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 600 } });
    expect(rule.Properties.Targets[0].DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/^MirroringDeliveryDeadLetters/);
  });

  test('the function knows the target, filter, session number, VXLAN id and its hooks; its retries end before the heartbeat', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { FLEET_NAME: 'sra-app-dev', HOOK_NAMES: 'sra-app-dev-mirror-launch,sra-app-dev-mirror-terminate', TARGET_ID: 'tmt-0123456789abcdef0', FILTER_ID: 'tmf-0123456789abcdef0', SESSION_NUMBER: '7', VIRTUAL_NETWORK_ID: '4242' } },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
    const [, config] = one(template, 'AWS::Lambda::EventInvokeConfig');
    expect(config.Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 });
    expect(config.Properties.MaximumEventAgeInSeconds + 2 * 60 + 30).toBeLessThan(HEARTBEAT.toSeconds());
  });

  test('sessions only from interfaces in this VPC, to the configured target and filter, tagged as the fleet\'s', () => {
    const creates = allowing('ec2:CreateTrafficMirrorSession');
    expect(creates).toHaveLength(3);
    const text = (s: Statement) => JSON.stringify(s.Resource);
    const onInterfaces = creates.find((s) => text(s).includes(':network-interface/*'))!;
    expect(onInterfaces.Condition).toEqual({ StringEquals: { 'ec2:Vpc': expect.anything() } });
    expect(JSON.stringify(onInterfaces.Condition)).toContain(':vpc/');
    const onTargetAndFilter = creates.find((s) => text(s).includes('traffic-mirror-target'))!;
    expect(text(onTargetAndFilter)).toContain(':traffic-mirror-target/tmt-0123456789abcdef0');
    expect(text(onTargetAndFilter)).toContain(':traffic-mirror-filter/tmf-0123456789abcdef0');
    expect(text(onTargetAndFilter)).not.toContain('*');
    const onSessions = creates.find((s) => text(s).includes(':traffic-mirror-session/*'))!;
    expect(onSessions.Condition).toEqual({ StringEquals: { [`aws:RequestTag/${MIRROR_FLEET_TAG}`]: 'sra-app-dev' } });
    // The handler's tag key is the one the policy conditions on.
    expect(FLEET_TAG).toBe(MIRROR_FLEET_TAG);
    expect(allowing('ec2:CreateTags')).toEqual([expect.objectContaining({ Condition: { StringEquals: { 'ec2:CreateAction': 'CreateTrafficMirrorSession' } } })]);
  });

  test('deletes only of the fleet\'s sessions, and completes lifecycle actions only of the tagged group', () => {
    expect(allowing('ec2:DeleteTrafficMirrorSession')).toEqual([expect.objectContaining({ Condition: { StringEquals: { [`aws:ResourceTag/${MIRROR_FLEET_TAG}`]: 'sra-app-dev' } } })]);
    const [complete] = allowing('autoscaling:CompleteLifecycleAction');
    expect(complete!.Condition).toEqual({ StringEquals: { [`autoscaling:ResourceTag/${MIRROR_FLEET_TAG}`]: 'sra-app-dev' } });
    expect(JSON.stringify(complete!.Resource)).toContain(':autoScalingGroup:*');
    // Nothing else is granted on EC2 beyond the describes that take no resource.
    const ec2Actions = statements().flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('ec2:') && !/NetworkInterface|PrivateIpAddresses/.test(a));
    expect(new Set(ec2Actions)).toEqual(new Set(['ec2:DescribeInstances', 'ec2:DescribeTrafficMirrorSessions', 'ec2:CreateTrafficMirrorSession', 'ec2:CreateTags', 'ec2:DeleteTrafficMirrorSession']));
  });

  test('a failed or undelivered lifecycle action raises an alarm to the topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, AlarmActions: [{ Ref: expect.stringMatching(/^Alarms/) }] });
    }
  });
});
