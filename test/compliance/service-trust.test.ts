import { synthesizeExample } from '../helpers/app';

/**
 * Services that do not send `aws:SourceAccount`/`aws:SourceArn` when they assume a role: a condition
 * on either key would stop them assuming it. Each with what says so; every other service principal
 * in a trust policy must carry one of the keys (the confused-deputy guard).
 */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  'lambda.amazonaws.com': 'Lambda assumes a function\'s execution role for the function itself; the Lambda guide gives no source keys for execution-role trust',
  'ec2.amazonaws.com': 'EC2 assumes the instance profile role for the instance; no source keys are sent',
  'backup.amazonaws.com': 'AWS Backup documents source keys only for SNS topic and KMS key policies (cross-service confused deputy prevention), not for its service role',
  'cloudtrail.amazonaws.com':
    'CloudTrail user guide, role policy for CloudWatch Logs: "Confused deputy prevention is not applicable to the role policy for CloudWatch Logs monitoring. The role policy doesn\'t support the use of aws:SourceArn and aws:SourceAccount."',
};

type Statement = { Effect: string; Principal?: { Service?: string | string[] }; Condition?: Record<string, Record<string, unknown>> };

describe.each(['dev', 'prod'] as const)('trust policies of every role (%s)', (name) => {
  const { json } = synthesizeExample(name);
  const trusts = Object.entries(json).flatMap(([stack, t]) =>
    Object.entries(t.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .flatMap(([id, r]) => ((r.Properties!.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement).map((s) => [`${stack}/${id}`, s] as const)),
  );
  const byService = trusts.flatMap(([role, s]) => [s.Principal?.Service ?? []].flat().map((service) => [role, service, s] as const));

  test('there are service roles to check, and every exception is still in use', () => {
    expect(byService.length).toBeGreaterThan(10);
    if (name === 'dev') for (const service of Object.keys(EXCEPTIONS)) expect(byService.map(([, s]) => s)).toContain(service);
  });

  test('every service principal outside the exceptions may assume the role only for this account (aws:SourceAccount or aws:SourceArn)', () => {
    for (const [role, service, s] of byService) {
      if (EXCEPTIONS[service]) continue;
      const keys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c));
      expect([role, service, keys.some((k) => k === 'aws:SourceAccount' || k === 'aws:SourceArn')]).toEqual([role, service, true]);
    }
  });

  test('source conditions name this account', () => {
    for (const [role, service, s] of byService) {
      const account = s.Condition?.StringEquals?.['aws:SourceAccount'];
      if (account !== undefined) expect([role, service, account]).toEqual([role, service, { Ref: 'AWS::AccountId' }]);
    }
  });
});
