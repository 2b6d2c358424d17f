import { formatPhysicalId, ownedTypes, parsePhysicalId } from '../../../functions/inspector-enablement/physical-id';

describe('physical id', () => {
  it('records the account and the baseline in canonical order, and reads them back', () => {
    const id = formatPhysicalId({ accountId: '111122223333', baseline: ['LAMBDA', 'EC2'] });

    expect(id).toBe('inspector2:111122223333:enabled-before=EC2,LAMBDA');
    expect(parsePhysicalId(id)).toEqual({ accountId: '111122223333', baseline: ['EC2', 'LAMBDA'] });
  });

  it('writes an empty baseline as "none"', () => {
    const id = formatPhysicalId({ accountId: '111122223333', baseline: [] });

    expect(id).toBe('inspector2:111122223333:enabled-before=none');
    expect(parsePhysicalId(id).baseline).toEqual([]);
  });

  it.each(['request-id-from-a-failed-create', 'inspector2:111122223333', 'inspector2:111122223333:enabled-before='])(
    'rejects an id it did not write: %s',
    (id) => {
      expect(() => parsePhysicalId(id)).toThrow('was not written by this handler');
    },
  );

  it('rejects an unknown type in the baseline', () => {
    expect(() => parsePhysicalId('inspector2:111122223333:enabled-before=EC2,S3')).toThrow('contains "S3"');
  });

  it('counts as owned the requested types that were not on before', () => {
    expect(ownedTypes(['EC2', 'ECR', 'LAMBDA'], ['EC2', 'LAMBDA_CODE'])).toEqual(['ECR', 'LAMBDA']);
  });
});
