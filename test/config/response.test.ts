import { COMPROMISE_FINDING_TYPES, resolveEnvironments, validateConfig } from '../../src/config';
import { configErrorOf, devConfig, devWith, type Mutation, set } from './helpers';

describe('config: response section', () => {
  test('defaults: enabled, compromise finding types at high severity, automatic isolation, one-year COMPLIANCE lock, no clean room', () => {
    const response = validateConfig(devConfig()).response;
    expect(response).toEqual({
      enabled: true,
      findingTypes: [...COMPROMISE_FINDING_TYPES],
      minimumSeverity: 7,
      autoIsolate: true,
      autoScalingAction: 'standby',
      memoryCapture: false,
      dryRun: false,
      untrackWaitSeconds: 30,
      evidenceRetentionDays: 365,
      responders: { trustedPrincipalArns: [], investigatorPrincipalArns: [], maxSessionMinutes: 60 },
      cleanRoom: { enabled: false, cidr: '10.255.0.0/24', instanceType: 'm7g.large' },
    });
    expect(COMPROMISE_FINDING_TYPES).toEqual(expect.arrayContaining(['Backdoor:EC2', 'CryptoCurrency:EC2', 'Trojan:EC2', 'UnauthorizedAccess:EC2', 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration']));
  });

  test('every environment carries the section', () => {
    const config = validateConfig(devWith(set('response.autoScalingAction', 'detach')));
    expect(resolveEnvironments(config)[0]!.response.autoScalingAction).toBe('detach');
  });

  test('accepts responders given as roles, users or the account root', () => {
    const arns = ['arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_IR_0123', 'arn:aws:iam::222222222222:user/alice', 'arn:aws:iam::333333333333:root'];
    expect(validateConfig(devWith(set('response.responders.trustedPrincipalArns', arns))).response.responders.trustedPrincipalArns).toEqual(arns);
  });

  const bad: [string, Mutation, RegExp][] = [
    ['a finding type without a category', set('response.findingTypes', ['Backdoor']), /response\.findingTypes\[0\]: must be a GuardDuty finding type or prefix like Backdoor:EC2/],
    ['no finding types', set('response.findingTypes', []), /response\.findingTypes: list at least one finding type/],
    ['severity above 10', set('response.minimumSeverity', 11), /response\.minimumSeverity: .*10/],
    ['severity below 1', set('response.minimumSeverity', 0), /response\.minimumSeverity: .*1/],
    ['an unknown Auto Scaling action', set('response.autoScalingAction', 'terminate'), /response\.autoScalingAction: got string "terminate"; allowed: "standby", "detach"/],
    ['a fractional wait', set('response.untrackWaitSeconds', 1.5), /response\.untrackWaitSeconds: expected int/],
    ['a wait over two minutes (the isolation workflow accepts 1-120)', set('response.untrackWaitSeconds', 121), /response\.untrackWaitSeconds: at most 120 seconds/],
    ['no wait', set('response.untrackWaitSeconds', 0), /response\.untrackWaitSeconds: at least 1 second/],
    ['evidence kept 7 days', set('response.evidenceRetentionDays', 7), /response\.evidenceRetentionDays: at least 30 days/],
    ['evidence kept 20 years', set('response.evidenceRetentionDays', 7300), /response\.evidenceRetentionDays: at most 3653 days/],
    ['a responder that is not an IAM ARN', set('response.responders.trustedPrincipalArns', ['alice']), /response\.responders\.trustedPrincipalArns\[0\]: must be an IAM role, user or account root ARN/],
    ['an investigator given as a group', set('response.responders.investigatorPrincipalArns', ['arn:aws:iam::111111111111:group/ir']), /response\.responders\.investigatorPrincipalArns\[0\]: must be an IAM role, user or account root ARN/],
    ['sessions of two hours', set('response.responders.maxSessionMinutes', 120), /response\.responders\.maxSessionMinutes: got number 120; allowed: 60/],
    ['an unknown responders field', set('response.responders.mfa', false), /response\.responders\.mfa: unknown field; allowed here: trustedPrincipalArns, investigatorPrincipalArns, maxSessionMinutes/],
    ['an unknown response field', set('response.isolate', true), /response\.isolate: unknown field; allowed here: enabled, findingTypes/],
    ['a clean-room CIDR off its boundary', set('response.cleanRoom.cidr', '10.255.0.1/24'), /response\.cleanRoom\.cidr: must be an IPv4 CIDR on its network boundary/],
    ['a clean room too small', set('response.cleanRoom.cidr', '10.255.0.0/28'), /response\.cleanRoom\.cidr: must be between \/16 and \/26/],
    ['a clean-room instance type without a size', set('response.cleanRoom.instanceType', 'm7g'), /response\.cleanRoom\.instanceType: must be an EC2 instance type/],
    [
      'a clean room inside the environment',
      set('response.cleanRoom', { enabled: true, cidr: '10.20.255.0/24' }),
      /response\.cleanRoom\.cidr: 10\.20\.255\.0\/24 overlaps 10\.20\.0\.0\/16 of environment "dev"; the clean room needs address space of its own/,
    ],
    [
      'a clean room over address space used elsewhere',
      (c) => {
        set('network.avoidCidrs', ['10.255.0.0/16'])(c);
        set('response.cleanRoom', { enabled: true })(c);
      },
      /response\.cleanRoom\.cidr: 10\.255\.0\.0\/24 overlaps 10\.255\.0\.0\/16 of network\.avoidCidrs\[0\]/,
    ],
    [
      'names too long for the evidence bucket',
      (c) => {
        set('name', 'a-very-long-application-name-xyz')(c);
        set('environments.0.name', 'staging-eu-west1')(c);
      },
      /environments\[0\]\.name: the evidence bucket name a-very-long-application-name-xyz-staging-eu-west1-evidence-111111111111 is 71 characters; S3 allows 63/,
    ],
  ];

  test.each(bad)('%s is refused, naming the field', (_what, mutate, message) => {
    const error = configErrorOf(() => validateConfig(devWith(mutate)));
    expect(error.message).toMatch(message);
  });

  test('an overlapping clean-room CIDR is accepted while the clean room is off', () => {
    expect(() => validateConfig(devWith(set('response.cleanRoom', { enabled: false, cidr: '10.20.0.0/24' })))).not.toThrow();
  });
});
