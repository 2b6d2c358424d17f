import { ConfigError, resolveDeployment, validateConfig } from '../../src/config';
import { exampleConfig } from '../helpers/app';

function problems(deployment: unknown, environments?: unknown[]): string[] {
  const raw = exampleConfig('dev');
  raw.deployment = deployment;
  if (environments) raw.environments = environments;
  try {
    validateConfig(raw, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('deployment section', () => {
  test('defaults to the CDK bootstrap: qualifier hnb659fds and its roles', () => {
    const raw = exampleConfig('dev');
    expect(validateConfig(raw).deployment).toEqual({ qualifier: 'hnb659fds' });
  });

  test.each([
    [{ qualifier: 'Custom' }, /^deployment\.qualifier: must be 1-10 lowercase letters or digits/],
    [{ qualifier: 'elevenchars' }, /^deployment\.qualifier: /],
    [{ qualifier: '' }, /^deployment\.qualifier: /],
    [{ cloudFormationExecutionRoleArn: 'arn:aws:iam::111111111111:user/bob' }, /^deployment\.cloudFormationExecutionRoleArn: must be an IAM role ARN/],
    [{ deployRoleArn: 'cdk-deploy-role' }, /^deployment\.deployRoleArn: must be an IAM role ARN/],
    [{ cloudFormationExecutionRoleArn: 'arn:aws:iam::${AWS::Accountid}:role/x' }, /^deployment\.cloudFormationExecutionRoleArn: /],
    [{ qualifer: 'abc' }, /^deployment\.qualifer: unknown field; allowed here: qualifier, cloudFormationExecutionRoleArn, deployRoleArn/],
  ])('%j is refused with the field named', (deployment, message) => {
    expect(problems(deployment)).toEqual([expect.stringMatching(message)]);
  });

  test('a role of another account is refused: it cannot deploy into the environment', () => {
    expect(problems({ cloudFormationExecutionRoleArn: 'arn:aws:iam::999999999999:role/pipeline-exec' })).toEqual([
      expect.stringMatching(/^deployment\.cloudFormationExecutionRoleArn: names account 999999999999, but environment "dev" deploys into 111111111111; write \$\{AWS::AccountId\}/),
    ]);
  });

  test('placeholders are filled in per environment', () => {
    const config = validateConfig({
      ...exampleConfig('dev'),
      deployment: {
        qualifier: 'sra7',
        cloudFormationExecutionRoleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-${Qualifier}-exec-${AWS::Region}',
        deployRoleArn: 'arn:aws:iam::111111111111:role/pipeline-deploy',
      },
    });
    expect(resolveDeployment(config.deployment, '111111111111', 'eu-west-1')).toEqual({
      qualifier: 'sra7',
      cloudFormationExecutionRoleArn: 'arn:aws:iam::111111111111:role/cdk-sra7-exec-eu-west-1',
      deployRoleArn: 'arn:aws:iam::111111111111:role/pipeline-deploy',
    });
    expect(resolveDeployment(config.deployment, '111111111111', 'cn-north-1').cloudFormationExecutionRoleArn).toMatch(/^arn:aws-cn:/);
  });
});
