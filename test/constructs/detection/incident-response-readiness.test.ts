import { Match } from 'aws-cdk-lib/assertions';
import { CONTAINMENT_EXECUTION_ROLE_NAME, CONTAINMENT_ROLE_NAME, IncidentResponseReadiness } from '../../../src/constructs/detection/incident-response-readiness';
import { buildChecked } from '../../helpers/nag';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
function policyOf(template: ReturnType<typeof buildChecked>['template'], role: string): Statement[] {
  const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) => (p.Properties.Description as string).endsWith(`/${role}`));
  return policy!.Properties.PolicyDocument.Statement;
}

describe('IncidentResponseReadiness', () => {
  const { template, findings } = buildChecked(({ stack }) => {
    new IncidentResponseReadiness(stack, 'SecurityIr');
  });

  test('passes all four packs', () => {
    expect(findings).toEqual([]);
  });

  test('creates the triage service-linked role', () => {
    template.hasResourceProperties('AWS::IAM::ServiceLinkedRole', { AWSServiceName: 'triage.security-ir.amazonaws.com' });
  });

  test('the containment role trusts only the Security Incident Response containment service, with this account as external id', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: CONTAINMENT_ROLE_NAME,
      AssumeRolePolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'containment.security-ir.amazonaws.com' }, Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } } },
          { Effect: 'Allow', Action: 'sts:TagSession', Principal: { Service: 'containment.security-ir.amazonaws.com' } },
        ],
      },
    });
  });

  test('the containment role may start only the EC2 containment runbook, and pass only the execution role, only to SSM', () => {
    const statements = policyOf(template, 'ContainmentRole');
    expect(statements.find((s) => s.Sid === 'StartTheContainmentRunbook')).toMatchObject({
      Action: 'ssm:StartAutomationExecution',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, '::automation-definition/AWSSupport-ContainEC2Instance:$DEFAULT']] },
    });
    expect(statements.find((s) => s.Sid === 'PassTheExecutionRoleToSsm')).toMatchObject({
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SecurityIrExecutionRole/), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    });
    expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual(['iam:PassRole', 'ssm:GetAutomationExecution', 'ssm:StartAutomationExecution']);
  });

  test('the execution role is for Systems Manager of this account only, and changes EC2 only in this account and Region', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: CONTAINMENT_EXECUTION_ROLE_NAME,
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ssm.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } })] },
    });
    const contain = policyOf(template, 'ExecutionRole').find((s) => s.Sid === 'ContainInstancesOfThisAccount')!;
    for (const resource of contain.Resource as { 'Fn::Join': [string, unknown[]] }[]) {
      expect(resource['Fn::Join'][1]).toEqual(expect.arrayContaining([':ec2:', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]));
    }
    expect([contain.Action].flat()).not.toContain('ec2:TerminateInstances');
  });
});

test('IncidentResponseReadiness creates only the roles asked for', () => {
  const { template } = buildChecked(({ stack }) => {
    new IncidentResponseReadiness(stack, 'SecurityIr', { createTriageServiceLinkedRole: false, containmentRoles: false });
  });
  template.resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
  template.resourceCountIs('AWS::IAM::Role', 0);
});
