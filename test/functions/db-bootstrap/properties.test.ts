import { parseProperties } from '../../../functions/db-bootstrap/properties';

const valid = { MasterSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:master-AbCdEf', Host: 'db.cluster-x.eu-west-1.rds.amazonaws.com', Port: '5432', DatabaseName: 'app', AppUsername: 'app', Schema: 'app' };

describe('bootstrap properties', () => {
  test('valid properties are read', () => {
    expect(parseProperties(valid)).toEqual({ masterSecretArn: valid.MasterSecretArn, host: valid.Host, port: 5432, database: 'app', appUsername: 'app', schema: 'app' });
  });

  test.each([
    ['an identifier that needs quoting', { AppUsername: 'app"; DROP ROLE x; --' }, /AppUsername must be a lower-case identifier/],
    ['an upper-case schema', { Schema: 'App' }, /Schema must be a lower-case identifier/],
    ['a missing database name', { DatabaseName: undefined }, /DatabaseName must be a non-empty string/],
    ['a port out of range', { Port: '70000' }, /Port must be a port number/],
    ['a host with a path', { Host: 'db/../x' }, /Host must be a DNS name/],
    ['a secret name instead of an ARN', { MasterSecretArn: 'master' }, /MasterSecretArn must be a Secrets Manager secret ARN/],
  ])('refuses %s with a one-line message', (_what, change, message) => {
    expect(() => parseProperties({ ...valid, ...change })).toThrow(message);
  });
});
