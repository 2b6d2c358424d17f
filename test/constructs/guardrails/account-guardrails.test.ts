import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as cr from 'aws-cdk-lib/custom-resources';
import { AccountGuardrails, type AccountGuardrailsProps, type GuardrailRemoval } from '../../../src/constructs/guardrails/account-guardrails';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../../../src/constructs/guardrails/password-policy';
import { FindingsRouting } from '../../../src/constructs/detection/findings-routing';
import { UNSCOPED_ACTIONS } from '../../../src/constructs/lambda/unscoped-actions';
import { buildChecked } from '../../helpers/nag';
import { withProjectFlags } from '../detection/fixtures';

/** What the guardrails need on top of the UNSCOPED_ACTIONS list (reported for the lead to add). */
const ACCOUNT_LEVEL_ACTIONS = [
  'iam:UpdateAccountPasswordPolicy',
  'iam:DeleteAccountPasswordPolicy',
  'ec2:ModifyEbsDefaultKmsKeyId',
  'ec2:ResetEbsDefaultKmsKeyId',
  'ec2:EnableEbsEncryptionByDefault',
  's3:PutAccountPublicAccessBlock',
  'ec2:ModifyInstanceMetadataDefaults',
];

function build(removal?: GuardrailRemoval) {
  return buildChecked(({ stack, vpc, key }) => {
    withProjectFlags(stack);
    const routing = new FindingsRouting(stack, 'Routing', { key: new kms.Key(stack, 'AlertsKey', { enableKeyRotation: true }), routeRootActivity: false });
    new AccountGuardrails(stack, 'Guardrails', {
      ebsKey: key,
      alertTargets: routing.target(),
      removal,
      vpc,
      subnets: { subnetGroupName: 'App' },
      logsKey: key,
      logRetentionDays: 90,
    });
  });
}

/** Custom resources of the template by type, with their create/update/delete calls parsed. */
function settings(template: Template): Record<string, { create: Record<string, unknown>; update: Record<string, unknown>; delete?: Record<string, unknown> }> {
  const found: Record<string, { create: Record<string, unknown>; update: Record<string, unknown>; delete?: Record<string, unknown> }> = {};
  for (const [type, resources] of Object.entries(groupByType(template))) {
    if (!type.startsWith('Custom::')) continue;
    const props = resources[0]!.Properties as Record<string, unknown>;
    const parse = (value: unknown) => (value === undefined ? undefined : JSON.parse(flatten(value)));
    found[type.slice('Custom::'.length)] = { create: parse(props.Create), update: parse(props.Update), delete: parse(props.Delete) };
  }
  return found;
}

/** A property that may be an Fn::Join of JSON text and tokens, as one string with each token written «like this». */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((p) => (typeof p === 'string' ? p : `«${JSON.stringify(p).replace(/"/g, "'")}»`)).join('');
}

function groupByType(template: Template): Record<string, { Properties: unknown }[]> {
  const grouped: Record<string, { Properties: unknown }[]> = {};
  for (const resource of Object.values(template.toJSON().Resources as Record<string, { Type: string; Properties: unknown }>)) {
    (grouped[resource.Type] ??= []).push(resource);
  }
  return grouped;
}

/** Every statement of the guardrail function's role policy. */
function roleStatements(template: Template): { Action: string | string[]; Resource: unknown }[] {
  const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) => JSON.stringify(p.Properties.Roles).includes('GuardrailsSettingsRole'));
  return policy!.Properties.PolicyDocument.Statement;
}

const restoring = build();
const retaining = build('retain');

describe.each([
  ['restore-defaults (default)', restoring],
  ['retain', retaining],
])('AccountGuardrails, removal %s', (_name, { template, findings }) => {
  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('sets the password policy: 14+ characters, every class, 24 remembered, 90 days', () => {
    const call = settings(template).PasswordPolicy!;
    expect(call.create).toEqual(call.update);
    expect(call.create).toMatchObject({
      service: 'IAM',
      action: 'UpdateAccountPasswordPolicy',
      parameters: {
        MinimumPasswordLength: 14,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
        RequireNumbers: true,
        RequireSymbols: true,
        PasswordReusePrevention: 24,
        MaxPasswordAge: 90,
        AllowUsersToChangePassword: true,
      },
      physicalResourceId: { id: 'account-password-policy' },
    });
  });

  test('makes the data key the EBS default key, then turns EBS encryption by default on', () => {
    const all = settings(template);
    expect(all.EbsDefaultKey!.create).toMatchObject({ service: 'EC2', action: 'ModifyEbsDefaultKmsKeyId', parameters: { KmsKeyId: expect.stringMatching(/GetAttKey[0-9A-F]{8}Arn/) } });
    expect(all.EbsEncryptionByDefault!.create).toMatchObject({ service: 'EC2', action: 'EnableEbsEncryptionByDefault' });
    const [encryption] = Object.values(template.findResources('Custom::EbsEncryptionByDefault'));
    expect(encryption!.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/EbsDefaultKey/)]));
  });

  test('blocks public access to S3 for the whole account, all four settings', () => {
    expect(settings(template).S3BlockPublicAccess!.create).toMatchObject({
      service: 'S3Control',
      action: 'PutPublicAccessBlock',
      parameters: { AccountId: '111111111111', PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } },
    });
  });

  test('requires IMDSv2 with a hop limit of 1 for new instances by default', () => {
    expect(settings(template).InstanceMetadataDefaults!.create).toMatchObject({
      service: 'EC2',
      action: 'ModifyInstanceMetadataDefaults',
      parameters: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
    });
  });

  test.each(['EbsEncryptionByDefault', 'S3BlockPublicAccess', 'InstanceMetadataDefaults'])('%s stays on when removed (turning it off is never safe)', (setting) => {
    expect(settings(template)[setting]!.delete).toBeUndefined();
  });

  test('every setting has a fixed physical id, so an update never replaces (and so undoes) it', () => {
    for (const call of Object.values(settings(template))) expect(call.create.physicalResourceId).toEqual({ id: expect.any(String) });
  });

  test('the function calls the Lambda runtime SDK, not one downloaded at deploy time', () => {
    for (const resource of Object.values(groupByType(template)).flat()) {
      const props = resource.Properties as Record<string, unknown> | undefined;
      if (props && 'InstallLatestAwsSdk' in props) expect(props.InstallLatestAwsSdk).toBe(false);
    }
  });

  test('the function runs in the VPC behind a group that sends HTTPS only, logging to an encrypted group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^GuardrailsSettingsLogs') } },
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GuardrailsSettingsRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('AWS679f53fac002430cb0da5b7982bd2287'),
      SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: Match.anyValue() }],
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 90 });
  });

  test('its permissions are one customer-managed policy; nothing inline', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('Resource "*" is granted only for actions that take no resource', () => {
    for (const s of roleStatements(template)) {
      if (s.Resource !== '*') continue;
      for (const action of [s.Action].flat()) expect([...UNSCOPED_ACTIONS, ...ACCOUNT_LEVEL_ACTIONS]).toContain(action);
    }
  });

  test('alerts on any root-user activity through the given targets', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'detail-type': ['AWS API Call via CloudTrail', 'AWS Console Sign In via CloudTrail'],
        detail: { userIdentity: { type: ['Root'], invokedBy: [{ exists: false }] }, eventType: [{ 'anything-but': 'AwsServiceEvent' }] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^RoutingTopic') }, DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });
});

describe('AccountGuardrails removal', () => {
  const granted = (template: Template) => roleStatements(template).flatMap((s) => [s.Action].flat());

  test('restore-defaults deletes the password policy (tolerating none) and resets the EBS key to the AWS managed key', () => {
    const all = settings(restoring.template);
    expect(all.PasswordPolicy!.delete).toMatchObject({ service: 'IAM', action: 'DeleteAccountPasswordPolicy', ignoreErrorCodesMatching: 'NoSuchEntity' });
    expect(all.EbsDefaultKey!.delete).toMatchObject({ service: 'EC2', action: 'ResetEbsDefaultKmsKeyId' });
  });

  test('the role holds exactly the calls the settings make', () => {
    expect(granted(restoring.template).filter((a) => !isLambdaPlumbing(a)).sort()).toEqual([...ACCOUNT_LEVEL_ACTIONS].sort());
    expect(granted(retaining.template).filter((a) => !isLambdaPlumbing(a)).sort()).toEqual(
      ACCOUNT_LEVEL_ACTIONS.filter((a) => !['iam:DeleteAccountPasswordPolicy', 'ec2:ResetEbsDefaultKmsKeyId'].includes(a)).sort(),
    );
  });

  test('logs are written only to the function\'s own group', () => {
    const logs = roleStatements(restoring.template).find((s) => [s.Action].flat().includes('logs:PutLogEvents'))!;
    expect(logs.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^GuardrailsSettingsLogs/), 'Arn'] });
  });

  test('retain leaves every setting in place', () => {
    for (const call of Object.values(settings(retaining.template))) expect(call.delete).toBeUndefined();
  });
});

describe('AccountGuardrails options', () => {
  /** A stack with what the guardrails need, and a function that adds them with `overrides`. */
  const setUp = () => {
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const key = new kms.Key(stack, 'Key');
    const props: AccountGuardrailsProps = {
      ebsKey: key,
      alertTargets: [{ bind: () => ({ arn: 'arn:aws:sns:eu-west-1:111111111111:t' }) } as events.IRuleTarget],
      vpc,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      logsKey: key,
      logRetentionDays: 30,
    };
    return { stack, add: (overrides: Partial<AccountGuardrailsProps> = {}) => new AccountGuardrails(stack, 'Guardrails', { ...props, ...overrides }) };
  };
  const build = (overrides: Partial<AccountGuardrailsProps>) => () => setUp().add(overrides);

  test('a stricter password policy and a container-friendly hop limit are accepted', () => {
    const { stack, add } = setUp();
    add({ passwordPolicy: { ...DEFAULT_PASSWORD_POLICY, minimumLength: 20, maxAgeDays: 60 }, metadataHopLimit: 2 });
    const all = settings(Template.fromStack(stack));
    expect(all.PasswordPolicy!.create).toMatchObject({ parameters: { MinimumPasswordLength: 20, MaxPasswordAge: 60 } });
    expect(all.InstanceMetadataDefaults!.create).toMatchObject({ parameters: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } });
  });

  test.each<[string, PasswordPolicy, RegExp]>([
    ['shorter than 14', { ...DEFAULT_PASSWORD_POLICY, minimumLength: 8 }, /minimumLength must be an integer from 14 to 128/],
    ['missing character classes', { ...DEFAULT_PASSWORD_POLICY, requireAllCharacterClasses: false }, /requireAllCharacterClasses must be true/],
    ['reuse beyond IAM limits', { ...DEFAULT_PASSWORD_POLICY, reusePrevention: 25 }, /reusePrevention must be an integer from 1 to 24/],
    ['no expiry', { ...DEFAULT_PASSWORD_POLICY, maxAgeDays: 0 }, /maxAgeDays must be an integer from 1 to 1095/],
  ])('a password policy %s is refused', (_name, passwordPolicy, message) => {
    expect(build({ passwordPolicy })).toThrow(message);
  });

  test.each([0, 65])('a hop limit of %d is refused', (metadataHopLimit) => {
    expect(build({ metadataHopLimit })).toThrow(/metadataHopLimit must be from 1 to 64/);
  });

  test('a root-activity alert with nobody to tell is refused', () => {
    expect(build({ alertTargets: [] })).toThrow(/alertTargets is empty/);
  });

  test('a stack whose AwsCustomResource function already runs under another role is refused', () => {
    const { stack, add } = setUp();
    new cr.AwsCustomResource(stack, 'Earlier', {
      onCreate: { service: 'SSM', action: 'GetParameter', parameters: { Name: 'p' }, physicalResourceId: cr.PhysicalResourceId.of('p') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    expect(() => add()).toThrow(/another AwsCustomResource created this stack's singleton function first/);
  });
});

/** What every function in the VPC holds besides its job: X-Ray, network interfaces, its own logs. */
function isLambdaPlumbing(action: string): boolean {
  return action.startsWith('xray:') || action.startsWith('logs:') || /^ec2:(Create|Describe|Delete)NetworkInterfaces?$|^ec2:(Assign|Unassign)PrivateIpAddresses$/.test(action);
}
