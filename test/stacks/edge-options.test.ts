import { UNSCOPED_ACTIONS } from '../../src/constructs/lambda/unscoped-actions';
import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../helpers/app';
import { SHIELD_AND_FLEET_MIRRORING } from '../helpers/variants';

/** The two opt-ins of the edge and the fleet, wired into the application stack of a synthesized environment. */
describe('Shield Advanced and fleet mirroring in the application stack', () => {
  const { json } = synthesize(configFrom('dev', SHIELD_AND_FLEET_MIRRORING));
  const app = json.Application!;
  const ofType = (type: string) => resourcesOfType(app, type);

  test('off by default: the dev example creates no Shield resource and no lifecycle hook', () => {
    const example = synthesizeExample('dev').json;
    expect(Object.values(example).flatMap((t) => Object.values(t.Resources)).filter((r) => r.Type.startsWith('AWS::Shield::'))).toEqual([]);
    const [[, group]] = resourcesOfType(example.Application!, 'AWS::AutoScaling::AutoScalingGroup') as [[string, Record<string, unknown>]];
    expect(group.LifecycleHookSpecificationList).toBeUndefined();
  });

  test('the protection is on the application load balancer, whose web ACL has the rate-based rule automatic mitigation needs', () => {
    const [[albId]] = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer');
    const [[, protection]] = ofType('AWS::Shield::Protection');
    expect(protection!.ResourceArn).toEqual({ Ref: albId });
    expect(protection!.ApplicationLayerAutomaticResponseConfiguration).toEqual({ Status: 'ENABLED', Action: { Block: {} } });
    const [[, acl]] = ofType('AWS::WAFv2::WebACL');
    expect((acl!.Rules as { Statement: Record<string, unknown> }[]).some((r) => r.Statement.RateBasedStatement)).toBe(true);
    expect(ofType('AWS::Shield::ProtectionGroup')).toHaveLength(1);
    expect(ofType('AWS::Shield::DRTAccess')).toHaveLength(1);
    expect(ofType('AWS::Route53::HealthCheck')).toHaveLength(3);
    expect(ofType('AWS::Shield::ProactiveEngagement')[0]![1].EmergencyContactList).toEqual([{ EmailAddress: 'soc@example.com', PhoneNumber: '+4915112345678', ContactNotes: 'SOC on call' }]);
  });

  test('the health alarms and the response team\'s log access point at this environment\'s resources', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a);
    const elb5xx = alarms.find((a) => a.MetricName === 'HTTPCode_ELB_5XX_Count')!;
    const [[albId]] = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(JSON.stringify(elb5xx.Dimensions)).toContain(albId);
    expect(elb5xx.AlarmActions).toHaveLength(1);
  });

  test('the fleet\'s group carries both hooks and waits for the mirroring function, which gets the network stack\'s target and filter', () => {
    const [[, group]] = ofType('AWS::AutoScaling::AutoScalingGroup');
    expect((group!.LifecycleHookSpecificationList as { DefaultResult: string }[]).map((h) => h.DefaultResult)).toEqual(['ABANDON', 'CONTINUE']);
    const fn = ofType('AWS::Lambda::Function').find(([, f]) => (f.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.HOOK_NAMES)!;
    const variables = (fn[1].Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables.TARGET_ID)).toMatch(/sra-app-dev-network.*TrafficMirroringTarget/);
    expect(JSON.stringify(variables.FILTER_ID)).toMatch(/sra-app-dev-network.*TrafficMirroringFilter/);
    expect(variables.VIRTUAL_NETWORK_ID).toBe('4242');
    const groupResource = Object.values(app.Resources).find((r) => r.Type === 'AWS::AutoScaling::AutoScalingGroup') as { DependsOn?: string[] };
    expect(groupResource.DependsOn).toContain(fn[0]);
    // The network stack holds the target and filter; with no ENI list it creates no fixed session.
    expect(resourcesOfType(json.Network!, 'AWS::EC2::TrafficMirrorTarget')).toHaveLength(1);
    expect(resourcesOfType(json.Network!, 'AWS::EC2::TrafficMirrorSession')).toHaveLength(0);
  });

  test('the new roles grant Resource "*" only for actions that support no resource-level permission', () => {
    const statements = resourcesOfType(app, 'AWS::IAM::ManagedPolicy').flatMap(([, p]) => p.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const unscoped = statements.filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*'))).flatMap((s) => [s.Action].flat());
    expect(unscoped.filter((a) => !UNSCOPED_ACTIONS.includes(a))).toEqual([]);
    expect(unscoped).toContain('ec2:DescribeTrafficMirrorSessions');
  });
});
