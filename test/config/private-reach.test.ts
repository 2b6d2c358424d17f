import { ConfigError, validateConfig } from '../../src/config';
import { exampleConfig } from '../helpers/app';

function problemsOf(mutate: (c: Record<string, any>) => void): readonly string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const config = exampleConfig('dev');
  mutate(config);
  try {
    validateConfig(config);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('reaching AWS without NAT', () => {
  test('is refused, saying why, and names the endpoints that would also be missing', () => {
    expect(
      problemsOf((c) => {
        c.network.natGateways = 'none';
        c.network.interfaceEndpoints = ['kms', 'ssm'];
      }),
    ).toEqual([
      'network.natGateways: none is not supported yet: the account guardrails call IAM and S3 Control, which have no VPC endpoints, and the findings webhook calls the internet; use single or perAz',
      'network.interfaceEndpoints: with natGateways: none the app subnets reach AWS only through endpoints; add ssmmessages, ec2messages, secretsmanager, logs, monitoring, sts',
    ]);
  });

  test('the CloudHSM API endpoint is among those named when the cluster is on', () => {
    expect(
      problemsOf((c) => {
        c.network.natGateways = 'none';
        c.keys.cloudHsm = { enabled: true };
      }),
    ).toContain('network.interfaceEndpoints: with natGateways: none the app subnets reach AWS only through endpoints; add cloudhsmv2');
  });

  test('with NAT any endpoint list is accepted', () => {
    expect(problemsOf((c) => (c.network.interfaceEndpoints = ['kms']))).toEqual([]);
  });
});
