import { DEFAULTS, parseProperties } from '../../../functions/cloudhsm-cluster/properties';

const SUBNETS = ['subnet-0a1', 'subnet-0b2'];

describe('CloudHSM cluster properties', () => {
  test('applies the defaults', () => {
    expect(parseProperties({ ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:p', SubnetIds: SUBNETS })).toEqual({
      subnetIds: SUBNETS,
      hsmCount: 2,
      hsmType: 'hsm2m.medium',
      backupRetentionDays: 90,
      tags: [],
      removalPolicy: 'retain',
    });
    expect(DEFAULTS.hsmCount).toBe(2);
  });

  test('parses numbers delivered as strings (as CloudFormation does) and as numbers', () => {
    const fromStrings = parseProperties({ SubnetIds: SUBNETS, HsmCount: '3', BackupRetentionDays: '379' });
    const fromNumbers = parseProperties({ SubnetIds: SUBNETS, HsmCount: 3, BackupRetentionDays: 7 });
    expect([fromStrings.hsmCount, fromStrings.backupRetentionDays]).toEqual([3, 379]);
    expect([fromNumbers.hsmCount, fromNumbers.backupRetentionDays]).toEqual([3, 7]);
  });

  test('keeps tags and the removal policy', () => {
    const parsed = parseProperties({ SubnetIds: SUBNETS, Tags: [{ Key: 'Application', Value: 'sra' }], RemovalPolicy: 'destroy' });
    expect(parsed.tags).toEqual([{ Key: 'Application', Value: 'sra' }]);
    expect(parsed.removalPolicy).toBe('destroy');
  });

  test.each([
    ['one subnet', { SubnetIds: ['subnet-0a1'] }, 'SubnetIds: must be a list of 2 to 10 distinct subnet ids'],
    ['a repeated subnet', { SubnetIds: ['subnet-0a1', 'subnet-0a1'] }, 'SubnetIds: must be a list of 2 to 10'],
    ['no subnets', { SubnetIds: undefined }, 'SubnetIds: must be a list of 2 to 10'],
    ['a subnet that is not a subnet id', { SubnetIds: ['subnet-0a1', 'vpc-0b2'] }, 'SubnetIds: must be'],
    ['HsmCount 0', { HsmCount: '0' }, 'HsmCount: must be a whole number from 1 to 28 (got "0")'],
    ['HsmCount 29', { HsmCount: 29 }, 'HsmCount: must be a whole number from 1 to 28 (got 29)'],
    ['HsmCount 1.5', { HsmCount: '1.5' }, 'HsmCount: must be a whole number from 1 to 28'],
    ['HsmCount text', { HsmCount: 'two' }, 'HsmCount: must be a whole number from 1 to 28'],
    ['BackupRetentionDays 6', { BackupRetentionDays: '6' }, 'BackupRetentionDays: must be a whole number from 7 to 379 (got "6")'],
    ['BackupRetentionDays 380', { BackupRetentionDays: '380' }, 'BackupRetentionDays: must be a whole number from 7 to 379'],
    ['RemovalPolicy snapshot', { RemovalPolicy: 'snapshot' }, 'RemovalPolicy: must be one of retain, destroy (got "snapshot")'],
    ['RemovalPolicy in capitals', { RemovalPolicy: 'RETAIN' }, 'RemovalPolicy: must be one of retain, destroy'],
    ['an empty HsmType', { HsmType: '' }, 'HsmType: must be a CloudHSM instance type such as "hsm2m.medium"'],
    ['a tag without a value', { Tags: [{ Key: 'a' }] }, 'Tags: must be a list of up to 50 {Key, Value} strings'],
    ['an aws: tag', { Tags: [{ Key: 'aws:cloudformation:stack-name', Value: 'x' }] }, 'Tags: must be'],
    ['a repeated tag key', { Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] }, 'Tags: must be'],
    ['a misspelt property', { HSMCount: '2' }, 'HSMCount: unknown property; allowed: SubnetIds, HsmCount, HsmType, BackupRetentionDays, Tags, RemovalPolicy'],
  ])('rejects %s, naming the property and what it allows', (_, overrides, message) => {
    expect(() => parseProperties({ SubnetIds: SUBNETS, ...overrides })).toThrow(message);
  });

  test('reports every problem at once', () => {
    expect(() => parseProperties({ SubnetIds: ['subnet-0a1'], HsmCount: '0', RemovalPolicy: 'keep' })).toThrow(
      /^Invalid CloudHSM cluster properties \(3 problems\): SubnetIds: .*; HsmCount: .*; RemovalPolicy: /,
    );
  });

  test('names the previous properties when those are the invalid ones', () => {
    expect(() => parseProperties({ SubnetIds: [] }, 'previous')).toThrow('Invalid previous CloudHSM cluster properties');
  });
});
