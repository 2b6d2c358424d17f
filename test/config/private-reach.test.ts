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

describe('without NAT, the endpoints the workload needs', () => {
  test('are required, naming each missing one', () => {
    expect(
      problemsOf((c) => {
        c.network.natGateways = 'none';
        c.network.interfaceEndpoints = ['kms', 'ssm'];
      }),
    ).toEqual(['network.interfaceEndpoints: with natGateways: none the app subnets reach AWS only through endpoints; add ssmmessages, ec2messages, secretsmanager, logs, monitoring, sts']);
  });

  test('include the CloudHSM API when the cluster is on', () => {
    expect(
      problemsOf((c) => {
        c.network.natGateways = 'none';
        c.keys.cloudHsm = { enabled: true };
      }),
    ).toEqual(['network.interfaceEndpoints: with natGateways: none the app subnets reach AWS only through endpoints; add cloudhsmv2']);
  });

  test('the default endpoint list is enough on its own', () => {
    expect(problemsOf((c) => ((c.network.natGateways = 'none'), delete c.network.interfaceEndpoints))).toEqual([]);
  });

  test('with NAT nothing is required', () => {
    expect(problemsOf((c) => (c.network.interfaceEndpoints = ['kms']))).toEqual([]);
  });
});
