import { Match } from 'aws-cdk-lib/assertions';
import { UNSCOPED_ACTIONS } from '../../src/constructs/lambda/unscoped-actions';
import { CLEAN_ROOM_ENDPOINTS } from '../../src/constructs/response/clean-room-network';
import { configFrom, resourcesOfType, synthesize } from '../helpers/app';

const RESPONDER = 'arn:aws:iam::111111111111:role/security-responders';
const INVESTIGATOR = 'arn:aws:iam::111111111111:role/security-investigators';

// One synth for the file: the dev example with responders named, retention changed and the clean room on.
const s = synthesize(
  configFrom('dev', (c) => {
    c.response = {
      evidenceRetentionDays: 400,
      responders: { trustedPrincipalArns: [RESPONDER], investigatorPrincipalArns: [INVESTIGATOR] },
      cleanRoom: { enabled: true, cidr: '10.255.0.0/24', instanceType: 'm7g.large' },
    };
  }),
);
const response = s.templates.Response!;
const responseJson = s.json.Response!;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const only = <T>(list: T[]): T => {
  expect(list).toHaveLength(1);
  return list[0]!;
};
const idOf = (json: Json, type: string, prefix: string) => only(resourcesOfType(json, type).filter(([id]) => id.startsWith(prefix)))[0];
const statementsOf = (json: Json, policyPrefix: string): Json[] =>
  resourcesOfType(json, 'AWS::IAM::ManagedPolicy')
    .filter(([id]) => id.startsWith(policyPrefix))
    .flatMap(([, p]) => p.PolicyDocument.Statement);
const actionsOf = (statements: Json[]) => statements.filter((st) => st.Effect === 'Allow').flatMap((st) => [st.Action].flat());

describe('Response stack', () => {
  const keyId = idOf(responseJson, 'AWS::KMS::Key', 'EvidenceKey');
  const roleArn = (prefix: string) => ({ 'Fn::GetAtt': [idOf(responseJson, 'AWS::IAM::Role', prefix), 'Arn'] });
  const bucketStatements: Json[] = only(resourcesOfType(responseJson, 'AWS::S3::BucketPolicy'))[1].PolicyDocument.Statement;
  const statement = (sid: string) => only(bucketStatements.filter((st) => st.Sid === sid));
  // The workflows' roles, by logical id prefix: the step function's, the two state machines', the forensic instance role and the triggers' EventBridge role.
  const WORKFLOW_ROLES = ['WorkflowsStepsRole', 'WorkflowsIsolationRole', 'WorkflowsReleaseRole', 'WorkflowsForensicRole', 'WorkflowsTriggersRole'];
  const sortedArns = (arns: Json[]) => arns.map((a) => JSON.stringify(a)).sort();

  test('has no unacknowledged finding in any pack, and stays far under the resource limit', () => {
    expect(s.built.findings.all.map((f) => `${f.rule} ${f.resources.join(' ')}`)).toEqual([]);
    expect(Object.keys(responseJson.Resources).length).toBeLessThan(250);
  });

  test('the evidence bucket: its own rotating key, Object Lock COMPLIANCE for the configured days, versioning, Block Public Access, retained', () => {
    response.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BucketName: 'sra-app-dev-evidence-111111111111',
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } })] },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 400 } })] },
      }),
    });
    response.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true, PendingWindowInDays: 30 }) });
  });

  test('the evidence key separates administration from use, and is used only through S3', () => {
    const policy: Json[] = (responseJson.Resources[keyId]!.Properties as Json).KeyPolicy.Statement;
    const sids = policy.map((st) => st.Sid);
    expect(sids).toEqual(expect.arrayContaining(['Administration', 'UseThroughIamPoliciesViaServices', 'OnlyAdministratorsDeleteDisableOrRepolicy', 'AdministratorsDoNotUse']));
    const use = only(policy.filter((st) => st.Sid === 'UseThroughIamPoliciesViaServices'));
    expect(JSON.stringify(use.Condition)).toMatch(/"kms:ViaService":\[\{"Fn::Join":\["",\["s3\./);
  });

  test('every request to the evidence bucket is logged: server access logs, and CloudTrail data events in standalone mode', () => {
    response.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'sra-app-dev-evidence-111111111111/' } });
    const trail = only(resourcesOfType(s.json.Detection!, 'AWS::CloudTrail::Trail'))[1];
    expect(JSON.stringify(trail.EventSelectors)).toContain(':s3:::sra-app-dev-evidence-111111111111/');
  });

  test('TLS only', () => {
    expect(bucketStatements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  test('reading is denied to everyone but the responder roles and the workflows', () => {
    const read = statement('OnlyRespondersRead');
    expect(read).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(read.Action).toEqual(expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket']));
    // Exactly the two responder roles and every role of the workflows (which write, so read too).
    expect(sortedArns(read.Condition.ArnNotLike['aws:PrincipalArn'])).toEqual(sortedArns([roleArn('RespondersInvestigator'), roleArn('RespondersResponder'), ...WORKFLOW_ROLES.map(roleArn)]));
  });

  test('writing is denied to everyone but the workflows; deleting and re-locking to everyone', () => {
    const write = statement('OnlyWorkflowsWrite');
    expect(write.Action).toEqual(expect.arrayContaining(['s3:PutObject']));
    expect(sortedArns(write.Condition.ArnNotLike['aws:PrincipalArn'])).toEqual(sortedArns(WORKFLOW_ROLES.map(roleArn)));
    const never = statement('NobodyDeletesEvidence');
    expect(never).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(never.Condition).toBeUndefined();
    expect(never.Action).toEqual(expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:BypassGovernanceRetention']));
  });

  describe.each([
    ['investigator', 'RespondersInvestigator', 'sra-app-dev-investigator', [RESPONDER, INVESTIGATOR]],
    ['responder', 'RespondersResponder', 'sra-app-dev-responder', [RESPONDER]],
  ])('the %s role', (_name, prefix, roleName, principals) => {
    const role = responseJson.Resources[idOf(responseJson, 'AWS::IAM::Role', prefix)]!.Properties as Json;
    const own = statementsOf(responseJson, `${prefix}Policy`);

    test('is assumable only by the configured principals, with MFA used within the hour, for at most an hour', () => {
      expect(role.RoleName).toBe(roleName);
      expect(role.MaxSessionDuration).toBe(3600);
      const trust: Json[] = role.AssumeRolePolicyDocument.Statement;
      expect(trust.flatMap((st) => [st.Principal.AWS].flat()).sort()).toEqual([...principals].sort());
      for (const st of trust) {
        expect(st.Action).toBe('sts:AssumeRole');
        expect(st.Condition).toEqual({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } });
      }
    });

    test('reads configuration through SecurityAudit and evidence through exact actions; deletes and writes nothing in S3', () => {
      expect(JSON.stringify(role.ManagedPolicyArns)).toContain(':iam::aws:policy/SecurityAudit');
      const actions = actionsOf(own);
      expect(actions).toEqual(expect.arrayContaining(['s3:GetObject', 's3:ListBucket', 'kms:Decrypt']));
      expect(actions.filter((a: string) => /^s3:(Put|Delete|Bypass|\*)|^s3:.*\*$/.test(a))).toEqual([]);
    });
  });

  test('only the responder starts the workflows, both isolation and release', () => {
    const starts = (prefix: string) => statementsOf(responseJson, `${prefix}Policy`).filter((st) => [st.Action].flat().includes('states:StartExecution'));
    expect(starts('RespondersInvestigator')).toEqual([]);
    const resources = starts('RespondersResponder').flatMap((st) => [st.Resource].flat());
    expect(resources).toEqual(expect.arrayContaining([{ Ref: idOf(responseJson, 'AWS::StepFunctions::StateMachine', 'WorkflowsIsolation') }, { Ref: idOf(responseJson, 'AWS::StepFunctions::StateMachine', 'WorkflowsRelease') }]));
  });

  test('every AssumeRole of either role goes to the findings topic', () => {
    // The workflows add their own rules (GuardDuty trigger, Security Hub action): the alarm is the one on STS.
    const rule = only(resourcesOfType(responseJson, 'AWS::Events::Rule').filter(([, p]) => JSON.stringify(p.EventPattern?.source) === '["aws.sts"]'))[1];
    expect(rule.EventPattern).toEqual({
      source: ['aws.sts'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['sts.amazonaws.com'], eventName: ['AssumeRole'], requestParameters: { roleArn: [roleArn('RespondersInvestigator'), roleArn('RespondersResponder')] } },
    });
    expect(JSON.stringify(rule.Targets)).toMatch(/RoutingTopic/);
  });

  test('with no principals configured, the roles trust the account (its IAM policies decide), still with MFA', () => {
    const def = synthesizeWithout();
    const role = only(resourcesOfType(def.Response!, 'AWS::IAM::Role').filter(([id]) => id.startsWith('RespondersResponder')))[1];
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Condition: expect.objectContaining({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) }),
    ]);
  });
});

describe('CleanRoom stack', () => {
  const room = s.templates.CleanRoom!;
  const json = s.json.CleanRoom!;
  const keyId = idOf(json, 'AWS::KMS::Key', 'Key');

  test('is not synthesized unless enabled, and the Response stack goes with response.enabled', () => {
    expect(Object.keys(synthesizeWithout())).toEqual(expect.arrayContaining(['Response']));
    expect(Object.keys(synthesizeWithout())).not.toContain('CleanRoom');
    const off = synthesize(configFrom('dev', (c) => (c.response = { enabled: false }))).json;
    expect(Object.keys(off)).not.toContain('Response');
    expect(JSON.stringify(off.Detection)).not.toContain('-evidence-');
  });

  test('its VPC has no internet gateway, no NAT and no route out; flow logs record all traffic', () => {
    for (const type of ['AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::EgressOnlyInternetGateway', 'AWS::EC2::VPCPeeringConnection', 'AWS::EC2::TransitGatewayAttachment']) {
      expect(resourcesOfType(json, type)).toEqual([]);
    }
    expect(resourcesOfType(json, 'AWS::EC2::Route')).toEqual([]);
    room.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.255.0.0/24' });
    room.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    room.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL' });
  });

  test('only the SSM, KMS and logs endpoints and the S3 gateway, each with the perimeter policy', () => {
    const endpoints = resourcesOfType(json, 'AWS::EC2::VPCEndpoint');
    const names = endpoints.map(([, p]) => JSON.stringify(p.ServiceName).match(/com\.amazonaws\.[^.]+\.([\w.]+)"/)?.[1] ?? JSON.stringify(p.ServiceName));
    expect(names.map((n) => (n.includes('s3') ? 's3' : n)).sort()).toEqual([...CLEAN_ROOM_ENDPOINTS, 's3'].sort());
    for (const [, p] of endpoints) {
      expect(JSON.stringify(p.PolicyDocument)).toContain('"aws:PrincipalAccount":"111111111111"');
    }
  });

  test('the workstation: IMDSv2, encrypted root volume with the clean-room key, no public address, termination protection', () => {
    room.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ MetadataOptions: { HttpTokens: 'required' } }) });
    const instance = only(resourcesOfType(json, 'AWS::EC2::Instance'))[1];
    expect(instance.BlockDeviceMappings).toEqual([expect.objectContaining({ Ebs: expect.objectContaining({ Encrypted: true, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } }) })]);
    expect(instance.DisableApiTermination).toBe(true);
    expect(instance.Monitoring).toBe(true);
    expect(instance.NetworkInterfaces).toBeUndefined();
    expect(instance.IamInstanceProfile).toBeDefined();
    expect(instance.Tags).toContainEqual({ Key: 'sra:clean-room', Value: 'workstation' });
  });

  test('the workstation takes no inbound traffic and sends only HTTPS', () => {
    const groupId = idOf(json, 'AWS::EC2::SecurityGroup', 'WorkstationGroup');
    const group = json.Resources[groupId]!.Properties as Json;
    expect(group.SecurityGroupIngress).toBeUndefined();
    const inbound = resourcesOfType(json, 'AWS::EC2::SecurityGroupIngress').filter(([, p]) => JSON.stringify(p.GroupId).includes(groupId));
    expect(inbound).toEqual([]);
    const egress = [...(group.SecurityGroupEgress ?? []), ...resourcesOfType(json, 'AWS::EC2::SecurityGroupEgress').filter(([, p]) => JSON.stringify(p.GroupId).includes(groupId)).map(([, p]) => p)];
    expect(egress.length).toBeGreaterThan(0);
    for (const rule of egress) expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
  });

  test('its output bucket: the clean-room key, versioning and Object Lock COMPLIANCE', () => {
    room.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } })] },
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
    });
  });

  test('the responder may make volumes only with the case tag and encryption, and attach them only to the workstation', () => {
    const policy = only(resourcesOfType(json, 'AWS::IAM::ManagedPolicy').filter(([id]) => id.startsWith('Operator')))[1];
    expect(policy.Roles).toEqual(['sra-app-dev-responder']);
    const bySid = (sid: string) => only((policy.PolicyDocument.Statement as Json[]).filter((st) => st.Sid === sid));
    expect(bySid('CreateCaseVolumes').Condition).toEqual({ Null: { 'aws:RequestTag/sra:case': 'false' }, Bool: { 'ec2:Encrypted': 'true' } });
    expect(bySid('AttachCaseVolumes').Condition).toEqual({ Null: { 'aws:ResourceTag/sra:case': 'false' } });
    expect(JSON.stringify(bySid('AttachToWorkstation').Resource)).toContain(idOf(json, 'AWS::EC2::Instance', 'Workstation'));
    expect(bySid('TagWhileCreating').Condition).toEqual({ StringEquals: { 'ec2:CreateAction': 'CreateVolume' } });
  });

  test('grants Resource "*" only for actions that support no resource-level permission', () => {
    const statements = ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy'].flatMap((type) => resourcesOfType(json, type).flatMap(([, p]) => p.PolicyDocument.Statement as Json[]));
    const unscoped = statements.filter((st) => st.Effect === 'Allow' && [st.Resource].flat().includes('*')).flatMap((st) => [st.Action].flat());
    expect(unscoped.filter((a: string) => !UNSCOPED_ACTIONS.includes(a))).toEqual([]);
  });
});

let defaults: Record<string, Json> | undefined;
/** The unchanged dev example (clean room off, no principals named), synthesized once when first needed. */
function synthesizeWithout(): Record<string, Json> {
  defaults ??= synthesize(configFrom('dev')).json;
  return defaults;
}
