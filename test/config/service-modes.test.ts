import { resolveEnvironments, serviceModes } from '../../src/config';
import { configFrom, resourcesOfType, synthesizeExample } from '../helpers/app';

describe('service modes', () => {
  test.each([
    ['dev', 'this account'],
    ['prod', 'organization (delegated administrator)'],
  ] as const)('%s: the org-level services are run by %s', (name, runBy) => {
    const modes = serviceModes(resolveEnvironments(configFrom(name))[0]!);
    for (const service of ['GuardDuty', 'Security Hub', 'Inspector (EC2 scanning)', 'AWS Config recorder', 'Macie (automated sensitive data discovery)']) {
      expect(modes.find((m) => m.service === service)!.runBy).toBe(runBy);
    }
    expect(modes.find((m) => m.service === 'AWS Config rules for this workload')!.runBy).toBe('this account');
  });

  test('what the summary says is what the templates create', () => {
    const dev = synthesizeExample('dev');
    const prod = synthesizeExample('prod');
    for (const type of ['AWS::GuardDuty::Detector', 'AWS::SecurityHub::Hub', 'AWS::Config::ConfigurationRecorder', 'AWS::CloudTrail::Trail']) {
      expect(resourcesOfType(dev.json.Detection!, type)).toHaveLength(1);
      expect(resourcesOfType(prod.json.Detection!, type)).toHaveLength(0);
    }
    expect(resourcesOfType(dev.json.Application!, 'Custom::InspectorEnablement')).toHaveLength(1);
    expect(resourcesOfType(prod.json.Application!, 'Custom::InspectorEnablement')).toHaveLength(0);
    expect(resourcesOfType(dev.json.Detection!, 'AWS::Macie::Session')).toHaveLength(1);
    expect(resourcesOfType(prod.json.Detection!, 'AWS::Macie::Session')).toHaveLength(0);
    expect(resourcesOfType(prod.json.Detection!, 'AWS::Config::ConfigRule').length).toBeGreaterThan(20);
    expect(resourcesOfType(prod.json.Detection!, 'AWS::AccessAnalyzer::Analyzer')).toHaveLength(2);
  });
});

test.each(['dev', 'prod'] as const)('%s: the account runs each Config rule once', (name) => {
  const identifiers = Object.values(synthesizeExample(name).json).flatMap((t) =>
    resourcesOfType(t, 'AWS::Config::ConfigRule').map(([, r]) => (r.Source as { SourceIdentifier: string }).SourceIdentifier),
  );
  expect(identifiers).toContain('ACM_CERTIFICATE_EXPIRATION_CHECK');
  expect(identifiers.length).toBe(new Set(identifiers).size);
});
