import { join } from 'node:path';
import { ENGINE_PORTS, loadConfig, PROFILES, planSubnets, resolveEnvironments, validateConfig } from '../../src/config';
import { DEFAULT_INTERFACE_ENDPOINTS } from '../../src/config/endpoints';
import { add, all, devWith, type Mutation, remove, set } from './helpers';

const resolve = (...mutations: Mutation[]) => resolveEnvironments(validateConfig(devWith(...mutations)));
const resolveOne = (...mutations: Mutation[]) => {
  const environments = resolve(...mutations);
  expect(environments).toHaveLength(1);
  return environments[0]!;
};
const production = set('environments.0.profile', 'production');
/** A certificate ACM issues in whatever region the environment is (an imported one is tied to one region and account). */
const publicCertificate = set('application.certificate', { kind: 'public', domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' });

describe('resolveEnvironments: profile defaults', () => {
  test('development: two zones of the region, one shared NAT gateway, no deletion protection', () => {
    const env = resolveOne();
    expect(env.profileName).toBe('development');
    expect(env.network.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(env.network.natGateways).toBe('single');
    expect(env.profile.deletionProtection).toBe(false);
    expect(env.profile.backupRetentionDays).toBe(7);
    expect(env.profile).toBe(PROFILES.development);
  });

  test('production: three zones, a NAT gateway per zone, deletion protection on', () => {
    const env = resolveOne(production);
    expect(env.profileName).toBe('production');
    expect(env.network.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(env.network.natGateways).toBe('perAz');
    expect(env.profile.deletionProtection).toBe(true);
    expect(env.profile.backupRetentionDays).toBe(35);
  });

  test('default zones follow the region\'s own zone letters', () => {
    const env = resolveOne(production, publicCertificate, set('environments.0.region', 'ap-northeast-1'));
    expect(env.network.availabilityZones).toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
  });

  test('the resolved prod.yaml matches its profile', () => {
    const [env] = resolveEnvironments(loadConfig(join(__dirname, '..', '..', 'config', 'prod.yaml')));
    expect(env!.network.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(env!.network.natGateways).toBe('perAz');
    expect(env!.profile.deletionProtection).toBe(true);
    expect(env!.organizationId).toBe('o-a1b2c3d4e5');
    expect(env!.mode).toBe('organization');
  });
});

describe('resolveEnvironments: config overrides win over the profile', () => {
  test('natGateways on a development environment', () => {
    expect(resolveOne(set('network.natGateways', 'perAz')).network.natGateways).toBe('perAz');
  });

  test('natGateways on a production environment', () => {
    expect(resolveOne(production, set('network.natGateways', 'single')).network.natGateways).toBe('single');
  });

  test('a zone count on a development environment', () => {
    const env = resolveOne(set('network.availabilityZones', 3));
    expect(env.network.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(env.network.subnets.app).toHaveLength(3);
  });

  test('explicit zone names are used as given, in the given order', () => {
    const env = resolveOne(production, set('network.availabilityZones', ['eu-west-1c', 'eu-west-1a', 'eu-west-1b']));
    expect(env.network.availabilityZones).toEqual(['eu-west-1c', 'eu-west-1a', 'eu-west-1b']);
    // Explicit names may go beyond the default letters of the region.
    const uswest = resolveOne(
      publicCertificate,
      set('environments.0.region', 'us-west-1'),
      set('network.availabilityZones', ['us-west-1a', 'us-west-1c', 'us-west-1b']),
    );
    expect(uswest.network.availabilityZones).toEqual(['us-west-1a', 'us-west-1c', 'us-west-1b']);
    expect(uswest.network.subnets.public).toHaveLength(3);
  });

  test('subnet prefixes reach the subnet plan', () => {
    const env = resolveOne(set('network.subnetPrefixes', { public: 26, app: 24, data: 27 }));
    expect(env.network.subnets).toEqual({
      public: ['10.20.1.0/26', '10.20.3.0/26'],
      app: ['10.20.0.0/24', '10.20.2.0/24'],
      data: ['10.20.1.64/27', '10.20.3.64/27'],
    });
  });
});

describe('resolveEnvironments: interface endpoints', () => {
  test('the default set when the config names none', () => {
    const env = resolveOne(remove('network.interfaceEndpoints'));
    expect(env.network.interfaceEndpoints).toEqual(['kms', 'ssm', 'ssmmessages', 'ec2messages', 'ec2', 'secretsmanager', 'logs', 'monitoring', 'sts']);
    expect(env.network.interfaceEndpoints).toEqual(DEFAULT_INTERFACE_ENDPOINTS);
  });

  test('the configured list as given, even when empty', () => {
    expect(resolveOne(set('network.interfaceEndpoints', ['kms', 'sqs'])).network.interfaceEndpoints).toEqual(['kms', 'sqs']);
    expect(resolveOne(set('network.interfaceEndpoints', [])).network.interfaceEndpoints).toEqual([]);
  });
});

describe('resolveEnvironments: database', () => {
  test.each([
    ['aurora-postgresql', 5432],
    ['aurora-mysql', 3306],
  ])('%s listens on %i', (engine, port) => {
    const env = resolveOne(set('data.engine', engine));
    expect(env.data).toMatchObject({ engine, port });
    expect(ENGINE_PORTS[engine as keyof typeof ENGINE_PORTS]).toBe(port);
  });

  test('the engine defaults to aurora-postgresql on 5432', () => {
    expect(resolveOne(remove('data')).data).toMatchObject({ engine: 'aurora-postgresql', port: 5432 });
  });
});

describe('resolveEnvironments: per-environment values', () => {
  const twoEnvironments = all(
    publicCertificate,
    add('environments', { name: 'prod', account: '222222222222', region: 'eu-central-1', profile: 'production', cidr: '10.40.0.0/16' }),
  );

  test('an environment cidr overrides network.cidr for that environment only', () => {
    const [dev, prod] = resolve(twoEnvironments);
    expect(dev!.network.cidr).toBe('10.20.0.0/16');
    expect(prod!.network.cidr).toBe('10.40.0.0/16');
    expect(prod!.network.subnets).toEqual(planSubnets('10.40.0.0/16', 3, { public: 24, app: 22, data: 24 }));
    expect(prod!.network.subnets.app).toEqual(['10.40.0.0/22', '10.40.8.0/22', '10.40.16.0/22']);
    expect(dev!.network.subnets.app).toEqual(['10.20.0.0/22', '10.20.8.0/22']);
  });

  test('each environment gets its own profile, zones and identity', () => {
    const [dev, prod] = resolve(twoEnvironments);
    expect(dev).toMatchObject({ name: 'dev', account: '111111111111', region: 'eu-west-1', profileName: 'development' });
    expect(prod).toMatchObject({ name: 'prod', account: '222222222222', region: 'eu-central-1', profileName: 'production' });
    expect(dev!.network.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(prod!.network.availabilityZones).toEqual(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
    expect(dev!.network.natGateways).toBe('single');
    expect(prod!.network.natGateways).toBe('perAz');
  });

  test('shared values are copied to every environment', () => {
    const [dev, prod] = resolve(twoEnvironments, set('organizationId', 'o-a1b2c3d4e5'), set('network.ingressCidrs', ['198.51.100.0/24']));
    for (const env of [dev!, prod!]) {
      expect(env.appName).toBe('sra-app');
      expect(env.mode).toBe('standalone');
      expect(env.organizationId).toBe('o-a1b2c3d4e5');
      expect(env.tags).toEqual({ Owner: 'platform-security', CostCenter: '1234' });
      expect(env.application).toMatchObject({ port: 8080, healthCheckPath: '/health/ready', certificate: { kind: 'public' } });
      expect(env.network.ingressCidrs).toEqual(['198.51.100.0/24']);
      expect(env.network.flowLogs).toEqual({ destination: 's3', retentionDays: 90, maxAggregationSeconds: 60 });
      expect(env.network.trafficMirroring).toEqual({ enabled: false, sourceNetworkInterfaceIds: [] });
    }
  });
});
