import { UNSCOPED_ACTIONS } from '../../src/constructs/lambda/unscoped-actions';
import { resourcesOfType, synthesizeExample } from '../helpers/app';

interface Statement {
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
}

describe.each(['dev', 'prod'] as const)('%s: IAM policies', (name) => {
  const { json } = synthesizeExample(name);
  const statements = Object.entries(json).flatMap(([stack, template]) =>
    ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy'].flatMap((type) =>
      resourcesOfType(template, type).flatMap(([id, p]) => (p.PolicyDocument.Statement as Statement[]).map((s) => ({ where: `${stack}/${id}`, ...s }))),
    ),
  );

  test('grant Resource "*" only for actions that support no resource-level permission', () => {
    expect(statements.length).toBeGreaterThan(10);
    const unscoped = statements
      .filter((s) => s.Effect === 'Allow' && (s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*'))))
      .flatMap((s) => [s.Action ?? []].flat().map((action) => `${action} (${s.where})`))
      .filter((entry) => !UNSCOPED_ACTIONS.includes(entry.split(' ')[0]!));
    expect(unscoped).toEqual([]);
  });

  test('never allow a service-wide wildcard action such as s3:* or iam:*', () => {
    const wildcards = statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action ?? []].flat().filter((a) => a === '*' || a.endsWith(':*')));
    expect(wildcards).toEqual([]);
  });

  test('no inline policy except the CDK provider framework waiter and AwsCustomResource roles', () => {
    const inline = Object.entries(json).flatMap(([stack, template]) => resourcesOfType(template, 'AWS::IAM::Policy').map(([id]) => `${stack}/${id}`));
    expect(inline.filter((id) => !/waiterstatemachine|AWS679f53fac002430cb0da5b7982bd2287/i.test(id))).toEqual([]);
  });
});
