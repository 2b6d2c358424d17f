import { Match } from 'aws-cdk-lib/assertions';
import { CustomResource } from 'aws-cdk-lib';
import { SecureFunction } from '../../../src/constructs/lambda/secure-function';
import { SecureProvider } from '../../../src/constructs/lambda/secure-provider';
import { UNSCOPED_ACTIONS } from '../../../src/constructs/lambda/unscoped-actions';
import { buildChecked } from '../../helpers/nag';

const subnets = { subnetGroupName: 'App' };

describe('SecureFunction', () => {
  const { template, findings } = buildChecked(({ stack, vpc, key }) => {
    new SecureFunction(stack, 'Fn', { entry: 'functions/finding-notifier/handler.ts', description: 'test function', vpc, subnets, key, logsKey: key, logRetentionDays: 90 });
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('runs in the VPC, with reserved concurrency, a dead-letter queue, encrypted environment and tracing', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() }),
      ReservedConcurrentExecutions: 2,
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      KmsKeyArn: Match.anyValue(),
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      Runtime: 'nodejs24.x',
    });
  });

  test('its dead-letter queue and log group are encrypted with customer keys', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 90 });
  });

  test('its security group sends HTTPS only', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })],
    });
  });

  test('its role may attach the function to the VPC and write to its own log group', () => {
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const statements = policy!.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'logs:CreateLogStream', 'logs:PutLogEvents']));
    const logs = statements.find((s) => [s.Action].flat().includes('logs:PutLogEvents'))!;
    expect(JSON.stringify(logs.Resource)).toMatch(/FnLogs.*Arn/);
  });

  test('its permissions live in a customer-managed policy, not inline', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
  });
});

describe('SecureProvider', () => {
  const { template, findings } = buildChecked(({ stack, vpc, key }) => {
    const provider = new SecureProvider(stack, 'P', {
      entry: 'functions/inspector-enablement/handler.ts',
      description: 'test provider',
      withIsComplete: true,
      vpc,
      subnets,
      key,
      logsKey: key,
      logRetentionDays: 90,
    });
    new CustomResource(stack, 'R', { serviceToken: provider.provider.serviceToken });
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('the waiter state machine logs ALL events to an encrypted group', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  test('every framework function runs in the VPC', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions).length).toBeGreaterThanOrEqual(4);
    for (const fn of Object.values(functions)) expect(fn.Properties.VpcConfig).toBeDefined();
  });

  test('Resource "*" is granted only for actions that take no resource', () => {
    const policies = [...Object.values(template.findResources('AWS::IAM::ManagedPolicy')), ...Object.values(template.findResources('AWS::IAM::Policy'))];
    for (const policy of policies) {
      for (const statement of policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
        if (statement.Resource !== '*') continue;
        for (const action of [statement.Action].flat()) expect(UNSCOPED_ACTIONS).toContain(action);
      }
    }
  });
});
