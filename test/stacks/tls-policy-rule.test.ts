import { configRuleCatalog, DEFAULT_CATALOG_OPTIONS } from '../../src/constructs/detection/config-rule-catalog';
import { TLS_POLICIES } from '../../src/constructs/edge/load-balancer';
import { resourcesOfType, synthesizeExample } from '../helpers/app';

/** The load-balancer TLS rule must accept what the project deploys, or production is NON_COMPLIANT forever. */
describe('the Config rule on load-balancer TLS policies', () => {
  const allowed = () => configRuleCatalog(DEFAULT_CATALOG_OPTIONS).find((r) => r.id === 'AlbTlsPolicy')!.inputParameters!.sslPolicies!.split(',');

  test.each(Object.entries(TLS_POLICIES))('accepts the policy the config names %s', (_name, policy) => {
    expect(allowed()).toContain(String(policy));
  });

  test('accepts nothing the load balancer does not offer', () => {
    expect([...allowed()].sort()).toEqual([...new Set(Object.values(TLS_POLICIES).map(String))].sort());
  });

  test.each(['dev', 'prod'] as const)('accepts the %s listener\'s own policy (prod: post-quantum)', (name) => {
    const { json } = synthesizeExample(name);
    const policies = resourcesOfType(json.Application!, 'AWS::ElasticLoadBalancingV2::Listener').map(([, l]) => l.SslPolicy as string | undefined).filter((p): p is string => p !== undefined);
    expect(policies.length).toBe(1);
    const [[, rule]] = resourcesOfType(json.Detection!, 'AWS::Config::ConfigRule').filter(([, r]) => r.Source.SourceIdentifier === 'ELBV2_PREDEFINED_SECURITY_POLICY_SSL_CHECK');
    expect(rule!.InputParameters.sslPolicies.split(',')).toContain(policies[0]);
    if (name === 'prod') expect(policies[0]).toMatch(/PQ/);
  });
});
