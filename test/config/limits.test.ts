import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { validateConfig } from '../../src/config';
import {
  auroraClassProblem,
  checkInstanceType,
  COUNTRY_CODES,
  countryProblem,
  maxIngressCidrs,
  NITRO_FAMILIES,
  partitionOf,
  scheduleProblem,
  tagKeyProblem,
  tagValueProblem,
} from '../../src/config/limits';
import { all, devWith, set } from './helpers';

describe('schedule grammar', () => {
  test.each([
    'cron(0 3 ? * SUN *)',
    'cron(0 2 ? * TUE *)',
    'cron(0/15 * * * ? *)',
    'cron(30 1 ? * MON-FRI *)',
    'cron(0 3 L * ? *)',
    'cron(0 3 15W * ? *)',
    'cron(0 3 ? * 6#3 *)',
    'cron(0 3 ? * SUNL *)',
    'cron(0 3 1,15 JAN-JUN ? 2027-2030)',
    'rate(7 days)',
    'rate(1 day)',
    'rate(12 hours)',
  ])('accepts %s', (expression) => {
    expect(scheduleProblem(expression)).toBeUndefined();
  });

  test.each([
    ['cron(0 3 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 24 ? * SUN *)', /hours field/],
    ['cron(0 3 32 * ? *)', /day-of-month field/],
    ['cron(0 3 ? 13 SUN *)', /month field/],
    ['cron(0 3 ? * 8 *)', /day-of-week field/],
    ['cron(0 3 ? * SUN 1969)', /year field/],
    ['cron(0/0 3 ? * SUN *)', /step 0 is outside/],
    ['cron(0 3 ? * SUN * *)', /got 7/],
    ['rate(5 weeks)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['rate(2 day)', /plural above 1/],
  ])('refuses %s', (expression, message) => {
    expect(scheduleProblem(expression)).toMatch(message);
  });
});

describe('instance types', () => {
  test('every family in the table has the architecture the CDK derives (which picks the AMI)', () => {
    for (const [family, architecture] of Object.entries(NITRO_FAMILIES)) {
      const cdk = new ec2.InstanceType(`${family}.large`).architecture;
      expect({ family, architecture }).toEqual({ family, architecture: cdk === ec2.InstanceArchitecture.ARM_64 ? 'arm64' : 'x86_64' });
    }
  });

  test.each(['t4g.small', 'm7g.large', 'm7i-flex.xlarge', 'c8g.48xlarge', 'r7i.metal-24xl', 't3.nano'])('accepts %s', (type) => {
    expect(checkInstanceType(type)).toHaveProperty('architecture');
  });

  test.each(['r7g.large', 'r8g.2xlarge', 't4g.medium', 'x2g.xlarge', 'r6i.32xlarge'])('Aurora accepts db.%s', (instanceClass) => {
    expect(auroraClassProblem(instanceClass)).toBeUndefined();
  });
});

describe('countries and tags', () => {
  test('the country list is ISO 3166-1 alpha-2 (249 codes) with Kosovo', () => {
    expect(COUNTRY_CODES.size).toBe(250);
    for (const code of ['GB', 'DE', 'US', 'KP', 'XK', 'SS']) expect(countryProblem(code)).toBeUndefined();
  });

  test('tags in any script, with the allowed symbols, are accepted', () => {
    expect(tagKeyProblem('Kostenstelle')).toBeUndefined();
    expect(tagKeyProblem('team:owner/name=x+y-z@co')).toBeUndefined();
    expect(tagKeyProblem('Owner')).toBeUndefined();
    expect(tagValueProblem('Équipe 日本 7')).toBeUndefined();
    expect(tagValueProblem('')).toBeUndefined();
    expect(tagValueProblem('v'.repeat(256))).toBeUndefined();
  });
});

describe('limits at their edge are accepted', () => {
  test('7 ingress CIDRs in development, the most the quota leaves', () => {
    expect(maxIngressCidrs({ zones: 2, natEgress: true })).toBe(7);
    const cidrs = Array.from({ length: 7 }, (_, i) => `198.51.${i}.0/24`);
    expect(() => validateConfig(devWith(set('network.ingressCidrs', cidrs)))).not.toThrow();
  });

  test('more ingress CIDRs with a raised quota', () => {
    const cidrs = Array.from({ length: 16 }, (_, i) => `198.51.${i}.0/24`);
    expect(() => validateConfig(devWith(set('network.ingressCidrs', cidrs), set('network.naclRulesPerDirection', 40)))).not.toThrow();
  });

  test('44 tags besides Owner', () => {
    const tags = Object.fromEntries([...Array.from({ length: 44 }, (_, i) => [`Tag${i}`, 'x']), ['Owner', 'team']]);
    expect(() => validateConfig(devWith(set('tags', tags)))).not.toThrow();
  });

  test('ARNs in the environment\'s own region and account', () => {
    const config = devWith(
      set('detection.webhook', { secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:hook-AbCdEf' }),
      set('keys.hsmBackedKeyArns.data', 'arn:aws:kms:eu-west-1:111111111111:key/11111111-1111-4111-8111-111111111111'),
      // A central bus and a copy vault may be anywhere.
      set('detection.centralEventBusArn', 'arn:aws:events:us-east-1:999999999999:event-bus/findings'),
      set('backup.copyToVaultArn', 'arn:aws:backup:eu-central-1:999999999999:backup-vault:copy'),
    );
    expect(() => validateConfig(config)).not.toThrow();
  });

  test('one imported certificate shared by two environments of one account and region', () => {
    // The second environment of the account and region adopts the account singletons the first creates.
    const adoptAll = {
      guardDutyDetector: { adopt: '6ac9cbf423ef198cf7ee66ea166c0634' },
      securityHub: 'adopt',
      configRecorder: 'adopt',
      configDeliveryChannel: 'adopt',
      externalAccessAnalyzer: 'adopt',
      unusedAccessAnalyzer: 'adopt',
      sessionManagerPreferences: 'adopt',
    };
    const config = devWith(
      all(set('environments.1', { name: 'dev2', account: '111111111111', region: 'eu-west-1', profile: 'development', cidr: '10.21.0.0/16' }), set('existingResources.byEnvironment', { dev2: adoptAll })),
    );
    expect(() => validateConfig(config)).not.toThrow();
  });

  test('the partition follows the region', () => {
    expect(partitionOf('eu-west-1')).toBe('aws');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
  });
});
