import { listAcknowledgements } from '../../src/compliance';
import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../helpers/app';

const DETECTOR = '6ac9cbf423ef198cf7ee66ea166c0634';

/** The dev example with every singleton adopted: the account already has them all. */
const adopted = synthesize(
  configFrom('dev', (c) => {
    c.existingResources = {
      guardDutyDetector: { adopt: DETECTOR },
      securityHub: 'adopt',
      configRecorder: 'adopt',
      configDeliveryChannel: 'adopt',
      externalAccessAnalyzer: 'adopt',
      unusedAccessAnalyzer: 'adopt',
      sessionManagerPreferences: 'adopt',
      enabledSecurityHubStandards: ['cis-aws-foundations-benchmark-3.0'],
    };
  }),
);
const created = synthesizeExample('dev');

const count = (s: typeof created, stack: string, type: string) => resourcesOfType(s.json[stack]!, type).length;

describe('existingResources switches in the templates', () => {
  test.each([
    ['Detection', 'AWS::GuardDuty::Detector', 1],
    ['Detection', 'AWS::SecurityHub::Hub', 1],
    ['Detection', 'AWS::Config::ConfigurationRecorder', 1],
    ['Detection', 'AWS::Config::DeliveryChannel', 1],
    ['Detection', 'AWS::IAM::ServiceLinkedRole', 1],
    ['Detection', 'AWS::AccessAnalyzer::Analyzer', 2],
  ])('%s %s: created by default, absent when adopted', (stack, type, byDefault) => {
    expect(count(created, stack, type)).toBe(byDefault);
    expect(count(adopted, stack, type)).toBe(0);
  });

  test('Application: the Session Manager preferences document is created by default, absent when adopted; the OS baseline document stays', () => {
    const sessionDocuments = (s: typeof created) => resourcesOfType(s.json.Application!, 'AWS::SSM::Document').filter(([, p]) => p.Name === 'SSM-SessionManagerRunShell');
    expect(sessionDocuments(created)).toHaveLength(1);
    expect(sessionDocuments(adopted)).toHaveLength(0);
    expect(count(adopted, 'Application', 'AWS::SSM::Document')).toBe(count(created, 'Application', 'AWS::SSM::Document') - 1);
  });

  test('the session document that disappears is the account preferences document, and nothing else of SSM goes', () => {
    // The OS baseline's Command document has a generated name.
    const documents = resourcesOfType(created.json.Application!, 'AWS::SSM::Document').map(([, p]) => p.Name).filter((name) => name !== undefined);
    expect(documents).toEqual(['SSM-SessionManagerRunShell']);
    // The log group and the instance grants stay, so the existing preferences can point at them.
    expect(count(adopted, 'Application', 'AWS::Logs::LogGroup')).toBe(count(created, 'Application', 'AWS::Logs::LogGroup'));
  });

  test('adopting the hub still subscribes the configured standards it does not have yet, without depending on a hub', () => {
    const standards = Object.values(adopted.json.Detection!.Resources).filter((r) => r.Type === 'AWS::SecurityHub::Standard');
    expect(count(created, 'Detection', 'AWS::SecurityHub::Standard')).toBe(2);
    expect(standards).toHaveLength(1);
    expect(JSON.stringify(standards)).toContain('aws-foundational-security-best-practices/v/1.0.0');
    for (const standard of standards as { DependsOn?: string[] }[]) expect(standard.DependsOn ?? []).toEqual([]);
  });

  test('the Config rules stay, and no longer wait for a recorder of their own', () => {
    const rules = Object.values(adopted.json.Detection!.Resources).filter((r) => r.Type === 'AWS::Config::ConfigRule');
    expect(rules.length).toBe(count(created, 'Detection', 'AWS::Config::ConfigRule'));
    expect(rules.length).toBeGreaterThan(0);
    const recorderIds = resourcesOfType(created.json.Detection!, 'AWS::Config::ConfigurationRecorder').map(([id]) => id);
    for (const rule of rules as { DependsOn?: string[] }[]) for (const id of recorderIds) expect(rule.DependsOn ?? []).not.toContain(id);
  });

  test('the Config delivery statements leave the log bucket policy with the channel', () => {
    const policyText = (s: typeof created) => JSON.stringify(resourcesOfType(s.json.Security!, 'AWS::S3::BucketPolicy').concat(resourcesOfType(s.json.Detection!, 'AWS::S3::BucketPolicy')));
    expect(policyText(created)).toContain('config.amazonaws.com');
    expect(policyText(adopted)).not.toContain('config.amazonaws.com');
  });

  test('the adopted configuration is clean in all four packs, with no more acknowledgements than the default', () => {
    expect(adopted.built.findings.errors).toEqual([]);
    expect(created.built.findings.errors).toEqual([]);
    expect(listAcknowledgements(adopted.built.app).length).toBeLessThanOrEqual(listAcknowledgements(created.built.app).length);
  });
});
