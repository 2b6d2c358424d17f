import { Match } from 'aws-cdk-lib/assertions';
import { DEFAULT_FINDING_TYPES } from '../../../src/constructs/response/incident-workflows';
import { build } from './fixture';

/* eslint-disable @typescript-eslint/no-explicit-any -- template fragments */
describe('IncidentWorkflows', () => {
  const built = build();
  const { template } = built;
  const resources = (type: string) => Object.values(template.findResources(type)) as { Properties: any }[];

  test('all four rule packs are clean for every resource of the workflows', () => {
    expect(built.findings).toEqual([]);
  });

  test('the workflows stay small inside the Response stack (its limit is 250 resources)', () => {
    const own = Object.keys(template.toJSON().Resources).filter((id) => id.startsWith('Workflows'));
    console.log(`IncidentWorkflows resources: ${own.length}`);
    expect(own.length).toBeLessThan(60);
  });

  test('two Standard state machines, logging everything to an encrypted group, traced', () => {
    const machines = resources('AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(2);
    for (const m of machines) {
      expect(m.Properties.StateMachineType).toBe('STANDARD');
      expect(m.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
      expect(m.Properties.TracingConfiguration).toEqual({ Enabled: true });
    }
    for (const group of resources('AWS::Logs::LogGroup')) expect(group.Properties.KmsKeyId).toBeDefined();
  });

  test('GuardDuty findings about instances start isolation, filtered by type prefix and numeric severity', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: {
          resource: { resourceType: ['Instance'] },
          severity: [{ numeric: ['>=', 7] }],
          type: DEFAULT_FINDING_TYPES.map((prefix) => ({ prefix })),
        },
      },
      Targets: [Match.objectLike({ InputTransformer: Match.objectLike({ InputPathsMap: Match.objectLike({ 'detail-resource-instanceDetails-instanceId': '$.detail.resource.instanceDetails.instanceId' }) }), DeadLetterConfig: Match.anyValue() })],
    });
  });

  test('without automatic isolation no GuardDuty rule exists, and the Security Hub action remains', () => {
    const manual = build({ autoIsolate: false }, { checks: false }).template;
    expect(Object.values(manual.findResources('AWS::Events::Rule')).map((r: any) => r.Properties.EventPattern.source)).toEqual([['aws.securityhub']]);
  });

  test('a Security Hub custom action "Isolate instance" routes to the isolation workflow', () => {
    template.hasResourceProperties('AWS::SecurityHub::ActionTarget', { Name: 'Isolate instance', Id: 'IsolateInstance' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.securityhub'], 'detail-type': ['Security Hub Findings - Custom Action'], resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('IsolateInstanceAction'), 'ActionTargetArn'] }] },
    });
  });

  test('the isolation group admits nothing and sends nothing; the untrack group is all traffic (for seconds)', () => {
    const groups = resources('AWS::EC2::SecurityGroup');
    const isolation = groups.find((g) => /Incident isolation/.test(g.Properties.GroupDescription))!;
    expect(isolation.Properties.SecurityGroupIngress).toBeUndefined();
    expect(isolation.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
    const untrack = groups.find((g) => /all traffic both ways/.test(g.Properties.GroupDescription))!;
    expect(untrack.Properties.SecurityGroupIngress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: '-1' })]);
  });

  test('with memory capture, the isolation group reaches only the endpoints group on 443, and the document ships', () => {
    const withCapture = build({ memoryCapture: true }, { checks: false }).template;
    withCapture.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: Match.anyValue() });
    withCapture.hasResourceProperties('AWS::SSM::Document', { DocumentType: 'Command', Content: Match.objectLike({ schemaVersion: '2.2' }) });
  });

  test('the forensic profile holds Systems Manager core and nothing of the workload', () => {
    const role = resources('AWS::IAM::Role').find((r) => /Quarantined instances/.test(r.Properties.Description))!;
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toMatch(/AmazonSSMManagedInstanceCore/);
    expect(role.Properties.Policies).toBeUndefined();
  });

  test('the steps may write the deny policy only on the instance roles given, and ACL entries only in the given ACLs', () => {
    const statements = resources('AWS::IAM::ManagedPolicy').flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    const deny = statements.find((s) => s.Sid === 'DenyPolicyOnInstanceRoles');
    expect(deny.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^FleetRole/), 'Arn'] });
    const acl = statements.find((s) => s.Sid === 'ContainmentEntriesInTheWorkloadAcls');
    expect(JSON.stringify(acl.Resource)).toMatch(/AppAcl/);
    const groups = statements.find((s) => s.Sid === 'GroupsOfInterfacesInTheVpc');
    expect(groups.Condition.ArnEquals['ec2:Vpc']).toBeDefined();
    expect(statements.some((s) => [s.Action].flat().includes('iam:PutRolePolicy') && s.Resource === '*')).toBe(false);
  });

  test('responders get start and read on both workflows through grantStart*', () => {
    const statements = resources('AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    const starts = statements.filter((s) => [s.Action].flat().includes('states:StartExecution'));
    const machines = starts.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r));
    expect(machines.some((r) => /WorkflowsIsolation/.test(r))).toBe(true);
    expect(machines.some((r) => /WorkflowsRelease/.test(r))).toBe(true);
  });

  test.each([
    [{ minimumSeverity: 0 }, /response.minimumSeverity must be a number from 0.1 to 10, got 0/],
    [{ findingTypes: [] }, /response.findingTypes must be a non-empty list/],
    [{ untrackWaitSeconds: 0 }, /response.untrackWaitSeconds must be a whole number of seconds from 1 to 120/],
    [{ autoScalingAction: 'terminate' as never }, /response.autoScalingAction must be standby or detach/],
  ])('bad options fail with a one-line error naming the field: %j', (options, message) => {
    expect(() => build(options, { checks: false })).toThrow(message);
  });
});
