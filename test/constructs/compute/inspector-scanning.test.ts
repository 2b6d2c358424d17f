import { existsSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { INSPECTOR_HANDLER, InspectorScanning, type InspectorScanningProps } from '../../../src/constructs/compute/inspector-scanning';
import { UNSCOPED_ACTIONS } from '../../../src/constructs/lambda/unscoped-actions';
import { buildChecked } from '../../helpers/nag';

const subnets = { subnetGroupName: 'App' };

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
/** Statements of the customer-managed policy attached to the role whose path contains `role`. */
function statementsOf(template: Template, role: string): Statement[] {
  const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) => (p.Properties.Description as string).endsWith(`/${role}/Role`));
  return policy!.Properties.PolicyDocument.Statement as Statement[];
}
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

describe('InspectorScanning', () => {
  const { template, findings } = buildChecked(({ stack, vpc, key }) => {
    new InspectorScanning(stack, 'Inspector', { enabled: true, vpc, subnets, key, logsKey: key, logRetentionDays: 90 });
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('uses the project\'s inspector-enablement handlers', () => {
    expect(existsSync(INSPECTOR_HANDLER)).toBe(true);
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.onEvent' });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.isComplete' });
  });

  test('enables EC2 scanning for this account and keeps findings when the stack is deleted', () => {
    template.hasResourceProperties('Custom::InspectorEnablement', {
      ServiceToken: Match.anyValue(),
      AccountId: { Ref: 'AWS::AccountId' },
      ResourceTypes: ['EC2'],
      DisableOnDelete: 'false',
    });
  });

  test('the start handler may read, enable and disable Inspector and create only its service-linked role', () => {
    const statements = statementsOf(template, 'OnEvent');
    expect(statements).toEqual(expect.arrayContaining([
      { Sid: 'ReadAccountStatus', Effect: 'Allow', Action: 'inspector2:BatchGetAccountStatus', Resource: '*' },
      { Sid: 'EnableAndDisableScans', Effect: 'Allow', Action: ['inspector2:Enable', 'inspector2:Disable'], Resource: '*' },
      {
        Sid: 'CreateInspectorServiceLinkedRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2']] },
        Condition: { StringEquals: { 'iam:AWSServiceName': 'inspector2.amazonaws.com' } },
      },
    ]));
  });

  test('the progress handler may only read the account status', () => {
    // Besides what every function holds: tracing, logs, VPC interfaces and its dead-letter queue (send, and encrypt for it).
    const deadLetters = ['sqs:SendMessage', 'kms:GenerateDataKey', 'kms:Decrypt'];
    const actions = actionsOf(statementsOf(template, 'IsComplete')).filter((a) => !/^(xray|logs):|^ec2:.*(NetworkInterface|PrivateIpAddresses)/.test(a) && !deadLetters.includes(a));
    expect(actions).toEqual(['inspector2:BatchGetAccountStatus']);
  });

  test('Resource "*" only for actions that take no resource', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::ManagedPolicy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
        if (statement.Resource !== '*') continue;
        for (const action of [statement.Action].flat()) expect(UNSCOPED_ACTIONS).toContain(action);
      }
    }
  });

  function plain(props: Partial<InspectorScanningProps>): Template {
    const stack = new Stack(new App(), 'Plain', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new InspectorScanning(stack, 'Inspector', { enabled: true, vpc, subnets, key, logsKey: key, logRetentionDays: 90, ...props });
    return Template.fromStack(stack);
  }

  test('organization mode (enabled: false) creates nothing: the delegated administrator enables Inspector', () => {
    const template = plain({ enabled: false });
    template.resourceCountIs('Custom::InspectorEnablement', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test('more scan types, and disabling on delete, when asked', () => {
    plain({ scanTypes: ['EC2', 'ECR', 'LAMBDA'], disableOnDelete: true }).hasResourceProperties('Custom::InspectorEnablement', {
      ResourceTypes: ['EC2', 'ECR', 'LAMBDA'],
      DisableOnDelete: 'true',
    });
  });

  test.each<[string, Partial<InspectorScanningProps>, RegExp]>([
    ['no scan type', { scanTypes: [] }, /scanTypes must list each scan type at most once, and at least one/],
    ['a repeated scan type', { scanTypes: ['EC2', 'EC2'] }, /scanTypes must list each scan type at most once/],
    ['Lambda code scanning without Lambda', { scanTypes: ['EC2', 'LAMBDA_CODE'] }, /LAMBDA_CODE without LAMBDA/],
  ])('refuses %s', (_name, props, message) => {
    expect(() => plain(props)).toThrow(message);
  });
});

describe('InspectorScanning with every scan type and a CIS scan of the fleet', () => {
  const { template, findings } = buildChecked(({ stack, vpc, key }) => {
    new InspectorScanning(stack, 'Inspector', {
      enabled: true,
      scanTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'],
      cisScan: { name: 'app-dev-fleet-cis', tag: { key: 'sra:fleet', value: 'app-dev' }, level: 'LEVEL_1', schedule: { frequency: 'weekly', days: ['SUN'], time: '05:00', timeZone: 'UTC' } },
      vpc,
      subnets,
      key,
      logsKey: key,
      logRetentionDays: 90,
    });
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('enables EC2, ECR, Lambda and Lambda code scanning', () => {
    template.hasResourceProperties('Custom::InspectorEnablement', { ResourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] });
  });

  test('scans the instances with the fleet tag against CIS level 1, weekly, once Inspector is on', () => {
    template.hasResourceProperties('AWS::InspectorV2::CisScanConfiguration', {
      ScanName: 'app-dev-fleet-cis',
      SecurityLevel: 'LEVEL_1',
      Schedule: { Weekly: { Days: ['SUN'], StartTime: { TimeOfDay: '05:00', TimeZone: 'UTC' } } },
      Targets: { AccountIds: ['SELF'], TargetResourceTags: { 'sra:fleet': ['app-dev'] } },
    });
    const [scan] = Object.values(template.findResources('AWS::InspectorV2::CisScanConfiguration'));
    const [enablement] = Object.keys(template.findResources('Custom::InspectorEnablement'));
    expect(scan!.DependsOn).toContain(enablement);
  });
});

test('InspectorScanning refuses a CIS scan without EC2 scanning', () => {
  const stack = new Stack(new App(), 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const key = new kms.Key(stack, 'Key');
  expect(
    () =>
      new InspectorScanning(stack, 'Inspector', {
        enabled: true,
        scanTypes: ['ECR'],
        cisScan: { name: 'x', tag: { key: 'k', value: 'v' }, level: 'LEVEL_1', schedule: { frequency: 'daily', time: '05:00', timeZone: 'UTC' } },
        vpc,
        subnets,
        key,
        logsKey: key,
        logRetentionDays: 90,
      }),
  ).toThrow(/CIS scan needs EC2 scanning/);
});
