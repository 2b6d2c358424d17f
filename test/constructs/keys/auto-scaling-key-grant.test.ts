import { GRANT_OPERATIONS } from '../../../src/constructs/keys/auto-scaling-key-grant';
import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CENTRAL_DATA_KEY = 'arn:aws:kms:eu-west-1:999999999999:key/11111111-1111-4111-8111-111111111111';
const grantsIn = (json: Record<string, { Resources: Record<string, Json> }>) =>
  Object.entries(json).flatMap(([stack, t]) => resourcesOfType(t as never, 'Custom::KmsGrant').map(([id, p]) => ({ stack, id, p })));
const statementsOf = (template: { Resources: Record<string, Json> }) =>
  Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[]);

describe('the Auto Scaling key grant (central keys)', () => {
  const { json } = synthesizeExample('prod');
  const grants = grantsIn(json);

  test('one grant, created from this account, lets the fleet\'s service-linked role use the security account\'s data key', () => {
    expect(grants).toHaveLength(1);
    const [{ stack, p }] = grants as [(typeof grants)[number]];
    expect(stack).toBe('Application');
    expect(p.KeyArn).toBe(CENTRAL_DATA_KEY);
    expect(JSON.stringify(p.GranteePrincipal)).toContain(':iam::222222222222:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_sra-app-prod');
    expect([...p.Operations].sort()).toEqual(
      ['CreateGrant', 'Decrypt', 'DescribeKey', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo'].sort(),
    );
    expect(p.Name).toBe('sra-app-prod-auto-scaling-volumes');
    expect(p.ServiceTimeout).toBe('300');
  });

  test('the same service-linked role is the one the Security stack creates and the fleet launches with', () => {
    const [, slr] = resourcesOfType(json.Security!, 'AWS::IAM::ServiceLinkedRole')[0]!;
    expect(slr).toMatchObject({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'sra-app-prod' });
    const [, group] = resourcesOfType(json.Application!, 'AWS::AutoScaling::AutoScalingGroup')[0]!;
    expect(JSON.stringify(group.ServiceLinkedRoleARN)).toBe(JSON.stringify(grants[0]!.p.GranteePrincipal));
  });

  test('the fleet launches only once the grant exists', () => {
    const [groupId] = resourcesOfType(json.Application!, 'AWS::AutoScaling::AutoScalingGroup')[0]!;
    expect([(json.Application!.Resources[groupId] as Json).DependsOn].flat()).toContain(grants[0]!.id);
  });

  test('the handler may create exactly this grant on exactly this key, and no other KMS action anywhere', () => {
    const kms = statementsOf(json.Application!).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    const create = kms.filter((s) => [s.Action].flat().includes('kms:CreateGrant'));
    expect(create).toHaveLength(1);
    expect(create[0]!.Resource).toBe(CENTRAL_DATA_KEY);
    expect(JSON.stringify(create[0]!.Condition.StringEquals['kms:GranteePrincipal'])).toContain('AWSServiceRoleForAutoScaling_sra-app-prod');
    expect(create[0]!.Condition.StringEquals['kms:RetiringPrincipal']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^FleetKeyGrantProviderOnEventRole/), 'Arn'] });
    expect(create[0]!.Condition['ForAllValues:StringEquals']['kms:GrantOperations']).toEqual([...GRANT_OPERATIONS]);
    for (const s of kms) expect(s.Resource).not.toBe('*');
  });

  test('the local-mode key-policy statements for Auto Scaling are not written anywhere (the security account owns the policy)', () => {
    expect(JSON.stringify(json)).not.toContain('AutoScalingEncryptsFleetVolumes');
  });
});

describe('the Auto Scaling key grant (local keys)', () => {
  test('no grant: the data key\'s own policy admits the role', () => {
    const { json } = synthesizeExample('dev');
    expect(grantsIn(json)).toEqual([]);
    const [, dataKey] = resourcesOfType(json.Security!, 'AWS::KMS::Key').find(([id]) => id.startsWith('KeysData'))!;
    const sids = (dataKey.KeyPolicy.Statement as Json[]).map((s) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(['AutoScalingEncryptsFleetVolumes', 'AutoScalingAttachesFleetVolumes']));
  });

  test('an HSM-backed data key, whose policy this app does not write, gets the grant', () => {
    const hsmKey = 'arn:aws:kms:eu-west-1:111111111111:key/55555555-5555-4555-8555-555555555555';
    const { json } = synthesize(configFrom('dev', (c) => (c.keys.hsmBackedKeyArns = { data: hsmKey })));
    const grants = grantsIn(json);
    expect(grants).toHaveLength(1);
    expect(grants[0]!.p.KeyArn).toBe(hsmKey);
    expect(JSON.stringify(grants[0]!.p.GranteePrincipal)).toContain('AWSServiceRoleForAutoScaling_sra-app-dev');
  });
});
