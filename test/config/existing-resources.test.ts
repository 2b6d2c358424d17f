import { resolveEnvironments, validateConfig } from '../../src/config';
import { configErrorOf, devWith, set, add, all } from './helpers';

const DETECTOR = '6ac9cbf423ef198cf7ee66ea166c0634';
const SECOND = { name: 'test', account: '111111111111', region: 'eu-west-1', profile: 'development', cidr: '10.30.0.0/16' };
/** An imported certificate serves one account and Region only; environments elsewhere need one issued in each (DNS-validated). */
const publicCertificate = set('application.certificate', { kind: 'public', domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' });
/** Organization mode routes findings to the security tooling account's bus, which the loader requires. */
const centralBus = set('detection.centralEventBusArn', 'arn:aws:events:eu-west-1:999999999999:event-bus/findings');

describe('existingResources', () => {
  test('every singleton is created unless the config says the account has it', () => {
    const [env] = resolveEnvironments(validateConfig(devWith()));
    expect(env!.existingResources).toEqual({
      guardDutyDetector: 'create',
      securityHub: 'create',
      configRecorder: 'create',
      configDeliveryChannel: 'create',
      externalAccessAnalyzer: 'create',
      unusedAccessAnalyzer: 'create',
      sessionManagerPreferences: 'create',
      enabledSecurityHubStandards: [],
    });
  });

  test('per-environment overrides win over the config-wide switches', () => {
    const config = validateConfig(
      devWith(
        add('environments', { ...SECOND, account: '333333333333' }),
        publicCertificate,
        set('existingResources', { securityHub: 'adopt', byEnvironment: { test: { guardDutyDetector: { adopt: DETECTOR }, securityHub: 'create' } } }),
      ),
    );
    const [dev, test] = resolveEnvironments(config);
    expect(dev!.existingResources).toMatchObject({ guardDutyDetector: 'create', securityHub: 'adopt' });
    expect(test!.existingResources).toMatchObject({ guardDutyDetector: { adopt: DETECTOR }, securityHub: 'create', configRecorder: 'create' });
  });

  test.each([
    ['a switch that is neither create nor adopt', set('existingResources.securityHub', 'skip'), /existingResources\.securityHub: got string "skip"; allowed: "create", "adopt"/],
    ['a detector adopted without its id', set('existingResources.guardDutyDetector', 'adopt'), /existingResources\.guardDutyDetector: must be create, or \{ adopt: <detector id> \}/],
    ['a detector id of the wrong shape', set('existingResources.guardDutyDetector', { adopt: 'abc' }), /existingResources\.guardDutyDetector\.adopt: must be the existing detector id, 32 lowercase hex/],
    ['an unknown switch', set('existingResources.inspector', 'adopt'), /existingResources\.inspector: unknown field; allowed here: guardDutyDetector, securityHub, configRecorder, configDeliveryChannel, externalAccessAnalyzer, unusedAccessAnalyzer, sessionManagerPreferences, enabledSecurityHubStandards, byEnvironment/],
    ['enabled standards on a hub the stacks create', set('existingResources.enabledSecurityHubStandards', ['nist-800-53-r5']), /existingResources\.enabledSecurityHubStandards: environment "dev" creates its hub, which starts with no standard enabled; list enabled standards only with securityHub: adopt/],
    ['an unknown standard', set('existingResources', { securityHub: 'adopt', enabledSecurityHubStandards: ['pci-dss'] }), /existingResources\.enabledSecurityHubStandards\[0\]: got string "pci-dss"; allowed: "aws-foundational-security-best-practices"/],
    ['an override for an environment that does not exist', set('existingResources.byEnvironment', { prod: { securityHub: 'adopt' } }), /existingResources\.byEnvironment\.prod: names no environment; environments: dev/],
  ])('refuses %s', (_name, mutation, expected) => {
    expect(configErrorOf(() => validateConfig(devWith(mutation))).message).toMatch(expected);
  });

  describe('two environments in one account and Region', () => {
    test('standalone: refused in one line naming both environments, every singleton and the switches to set', () => {
      const message = configErrorOf(() => validateConfig(devWith(add('environments', SECOND)))).message;
      expect(message).toMatch(/\(1 problem\)/);
      expect(message).toContain(
        'existingResources.byEnvironment.test: environments "dev" and "test" are both in account 111111111111 eu-west-1 and would both create the GuardDuty detector, the Security Hub subscription, the AWS Config recorder, the AWS Config delivery channel, the account external-access analyzer (type ACCOUNT), the account unused-access analyzer (type ACCOUNT_UNUSED_ACCESS), the SSM-SessionManagerRunShell document (one per account and Region); set existingResources.byEnvironment.test: { guardDutyDetector: { adopt: <detector id> }, securityHub: adopt, configRecorder: adopt, configDeliveryChannel: adopt, externalAccessAnalyzer: adopt, unusedAccessAnalyzer: adopt, sessionManagerPreferences: adopt }, or use another account or Region',
      );
    });

    test('only the singletons still created by both are named', () => {
      const message = configErrorOf(() => validateConfig(devWith(add('environments', SECOND), set('existingResources.byEnvironment', { test: { guardDutyDetector: { adopt: DETECTOR }, securityHub: 'adopt' } })))).message;
      expect(message).toContain('would both create the AWS Config recorder,');
      expect(message).not.toMatch(/GuardDuty|Security Hub/);
    });

    test('organization mode: only the singletons this account creates itself collide', () => {
      const message = configErrorOf(() => validateConfig(devWith(set('mode', 'organization'), centralBus, add('environments', SECOND)))).message;
      expect(message).toMatch(/\(1 problem\)/);
      expect(message).toContain('set existingResources.byEnvironment.test: { externalAccessAnalyzer: adopt, unusedAccessAnalyzer: adopt, sessionManagerPreferences: adopt }');
      expect(message).not.toContain('GuardDuty');
    });

    test('accepted when the second environment adopts what the first creates', () => {
      const adoptAll = {
        guardDutyDetector: { adopt: DETECTOR },
        securityHub: 'adopt',
        configRecorder: 'adopt',
        configDeliveryChannel: 'adopt',
        externalAccessAnalyzer: 'adopt',
        unusedAccessAnalyzer: 'adopt',
        sessionManagerPreferences: 'adopt',
      };
      expect(() => validateConfig(devWith(all(add('environments', SECOND), set('existingResources.byEnvironment', { test: adoptAll }))))).not.toThrow();
    });

    test('accepted in different Regions or accounts', () => {
      expect(() => validateConfig(devWith(add('environments', { ...SECOND, region: 'eu-central-1' }), publicCertificate))).not.toThrow();
      expect(() => validateConfig(devWith(add('environments', { ...SECOND, account: '333333333333' }), publicCertificate))).not.toThrow();
    });
  });
});
