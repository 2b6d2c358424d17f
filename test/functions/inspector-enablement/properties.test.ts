import { parseProperties } from '../../../functions/inspector-enablement/properties';

const ACCOUNT = '111122223333';

describe('parseProperties', () => {
  it('defaults to EC2 and keeping Inspector on at delete', () => {
    expect(parseProperties({ ServiceToken: 'arn', AccountId: ACCOUNT })).toEqual({
      accountId: ACCOUNT,
      resourceTypes: ['EC2'],
      disableOnDelete: false,
    });
  });

  it('accepts every allowed type, in canonical order, and DisableOnDelete "true"', () => {
    const parsed = parseProperties({
      ServiceToken: 'arn',
      ServiceTimeout: '900',
      AccountId: ACCOUNT,
      ResourceTypes: ['LAMBDA_CODE', 'ECR', 'LAMBDA', 'EC2'],
      DisableOnDelete: 'true',
    });

    expect(parsed).toEqual({ accountId: ACCOUNT, resourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'], disableOnDelete: true });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['missing AccountId', {}, /AccountId must be a 12-digit AWS account ID, got undefined/],
    ['short AccountId', { AccountId: '12345678901' }, /AccountId must be a 12-digit AWS account ID, got "12345678901"/],
    ['numeric AccountId', { AccountId: 111122223333 }, /AccountId must be a 12-digit/],
    ['ResourceTypes as a string', { AccountId: ACCOUNT, ResourceTypes: 'EC2' }, /ResourceTypes must be a non-empty list of EC2, ECR, LAMBDA, LAMBDA_CODE/],
    ['empty ResourceTypes', { AccountId: ACCOUNT, ResourceTypes: [] }, /ResourceTypes must be a non-empty list/],
    ['unknown type', { AccountId: ACCOUNT, ResourceTypes: ['EC2', 'ec2'] }, /ResourceTypes contains "ec2"; allowed: EC2, ECR, LAMBDA, LAMBDA_CODE/],
    ['CODE_REPOSITORY', { AccountId: ACCOUNT, ResourceTypes: ['CODE_REPOSITORY'] }, /ResourceTypes contains "CODE_REPOSITORY"/],
    ['duplicate type', { AccountId: ACCOUNT, ResourceTypes: ['EC2', 'EC2'] }, /ResourceTypes lists a type more than once/],
    ['LAMBDA_CODE alone', { AccountId: ACCOUNT, ResourceTypes: ['LAMBDA_CODE'] }, /LAMBDA_CODE without LAMBDA/],
    ['boolean DisableOnDelete', { AccountId: ACCOUNT, DisableOnDelete: true }, /DisableOnDelete must be "true" or "false" \(default "false"\), got true/],
    ['other DisableOnDelete', { AccountId: ACCOUNT, DisableOnDelete: 'TRUE' }, /DisableOnDelete must be "true" or "false"/],
    ['misspelt property', { AccountId: ACCOUNT, DisableOnDeletion: 'true' }, /Unknown property DisableOnDeletion; allowed: AccountId, ResourceTypes, DisableOnDelete/],
  ])('rejects %s', (_name, props, message) => {
    expect(() => parseProperties(props)).toThrow(message);
  });
});
