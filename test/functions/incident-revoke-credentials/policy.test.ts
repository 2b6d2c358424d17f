import { denyPolicy } from '../../../functions/incident-revoke-credentials/step';

type Condition = Record<string, Record<string, string | string[]>>;
interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Condition;
}

/**
 * The part of IAM policy evaluation the deny policy relies on: action and
 * resource wildcards, and the condition operators it may use (ArnEquals,
 * ArnLike, StringEquals, StringLike). An operator this evaluator does not know
 * fails the test rather than being guessed. A key missing from the request
 * makes a condition false, as in IAM (no ...IfExists operators here).
 */
function denies(statement: Statement, request: { action: string; resource: string; context: Record<string, string> }): boolean {
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
  const glob = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
  if (statement.Effect !== 'Deny') return false;
  if (!list(statement.Action).some((a) => glob(a, request.action))) return false;
  if (!list(statement.Resource).some((r) => glob(r, request.resource))) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => {
      const actual = request.context[key];
      if (actual === undefined) return false;
      switch (operator) {
        case 'ArnEquals':
        case 'StringEquals':
          return list(values).includes(actual);
        case 'ArnLike':
        case 'StringLike':
          return list(values).some((v) => glob(v, actual));
        default:
          throw new Error(`the evaluator does not know ${operator}`);
      }
    }),
  );
}

describe('deny policy for a quarantined instance', () => {
  const arn = (id: string) => `arn:aws:ec2:eu-west-1:111111111111:instance/${id}`;
  const quarantined = arn('i-0aaaaaaaaaaaaaaaa');
  const policy = denyPolicy(quarantined);
  const statement = policy.Statement[0] as unknown as Statement;

  test('its only condition names this one instance, by ec2:SourceInstanceARN; no token-age condition', () => {
    expect(policy.Statement).toHaveLength(1);
    expect(statement.Condition).toEqual({ ArnEquals: { 'ec2:SourceInstanceARN': quarantined } });
    expect(JSON.stringify(policy)).not.toMatch(/TokenIssueTime/);
  });

  test.each([
    ['the quarantined instance credentials, used anywhere', { 'ec2:SourceInstanceARN': quarantined, 'aws:SourceIp': '203.0.113.9' }, true],
    ['another instance of the same role', { 'ec2:SourceInstanceARN': arn('i-0bbbbbbbbbbbbbbbb') }, false],
    ['an instance whose id starts the same', { 'ec2:SourceInstanceARN': `${quarantined}0` }, false],
    ['a session without instance credentials (a person, a function)', { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/app' }, false],
  ])('%s: denied %s', (_name, context, expected) => {
    for (const action of ['s3:GetObject', 'secretsmanager:GetSecretValue', 'iam:PassRole']) {
      expect(denies(statement, { action, resource: 'arn:aws:s3:::data/object', context })).toBe(expected);
    }
  });

  test('the evaluator would catch a policy that denies the whole role', () => {
    const tokenAge = { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-12-01T00:00:00Z' } } } as Statement;
    expect(() => denies(tokenAge, { action: 's3:GetObject', resource: '*', context: { 'aws:TokenIssueTime': '2026-11-30T00:00:00Z' } })).toThrow(/does not know DateLessThan/);
    const unconditional = { Effect: 'Deny', Action: '*', Resource: '*' } as Statement;
    expect(denies(unconditional, { action: 's3:GetObject', resource: '*', context: { 'ec2:SourceInstanceARN': arn('i-0bbbbbbbbbbbbbbbb') } })).toBe(true);
  });
});
