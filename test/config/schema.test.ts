import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, SWITCH_DEFAULTS, validateConfig } from '../../src/config';
import { add, all, configErrorOf, devConfig, devWith, type Mutation, remove, set, tempDir } from './helpers';

const CONFIG_DIR = join(__dirname, '..', '..', 'config');
const DEV_YAML = join(CONFIG_DIR, 'dev.yaml');
const PROD_YAML = join(CONFIG_DIR, 'prod.yaml');

const ENI = 'eni-0123456789abcdef0';
const NLB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/mirror/0123456789abcdef';
const STAGING = { name: 'stg', account: '222222222222', region: 'eu-west-1', profile: 'development' };
/** A DNS-validated certificate, issued in each environment's own account: the imported one of dev.yaml lives in dev's account only. */
const publicCertificate = set('application.certificate', { kind: 'public', domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' });

/** Traffic mirroring switched on; the rest as given. */
const mirroring = (settings: Record<string, unknown>): Mutation => set('network.trafficMirroring', { enabled: true, ...settings });

/** The alternate contacts a minimal standalone file must carry, as YAML lines under `detection:`. */
const ALTERNATE_CONTACTS_YAML = [
  '  alternateContacts:',
  '    security: { name: Security, title: Security team, email: security@example.com, phone: "+1 555 0100" }',
  '    operations: { name: Operations, title: Operations team, email: ops@example.com, phone: "+1 555 0101" }',
  '    billing: { name: Billing, title: Finance, email: billing@example.com, phone: "+1 555 0102" }',
];

describe('validateConfig: the base config', () => {
  test('the dev literal used by the table is valid and equals config/dev.yaml', () => {
    expect(validateConfig(devConfig())).toEqual(loadConfig(DEV_YAML));
  });
});

describe('validateConfig: one problem per config', () => {
  const cases: [string, Mutation, RegExp][] = [
    // Wrong types.
    ['port given as a string', set('application.port', '8080'), /application\.port: expected number, got string "8080"/],
    ['name given as a number', set('name', 5), /^ {2}- name: expected string, got number 5$/m],
    ['account given as a number', set('environments.0.account', 111111111111), /environments\[0\]\.account: must be a 12-digit AWS account id in quotes .*\(got number 111111111111\)/],
    ['network given as a list', set('network', ['10.20.0.0/16']), /^ {2}- network: expected object, got a list$/m],
    ['an environment given as a list', set('environments.0', ['dev']), /environments\[0\]: expected object, got a list/],
    ['environments given as an object', set('environments', STAGING), /^ {2}- environments: expected array, got an object$/m],
    ['data is null', set('data', null), /^ {2}- data: expected object, got null$/m],
    ['network.cidr is null', set('network.cidr', null), /network\.cidr: expected string, got null/],
    ['trafficMirroring.enabled is a string', set('network.trafficMirroring.enabled', 'yes'), /network\.trafficMirroring\.enabled: expected boolean, got string "yes"/],
    ['retentionDays is a string', set('network.flowLogs.retentionDays', '90'), /network\.flowLogs\.retentionDays: expected number, got string "90"/],
    ['a subnet prefix is a string', set('network.subnetPrefixes.data', '24'), /network\.subnetPrefixes\.data: expected number, got string "24"/],
    ['tags given as a list', set('tags', ['Owner']), /^ {2}- tags: expected record, got a list$/m],
    ['interfaceEndpoints given as a string', set('network.interfaceEndpoints', 'kms'), /network\.interfaceEndpoints: expected array, got string "kms"/],
    // Required fields.
    ['environments missing', remove('environments'), /^ {2}- environments: required \(array\)$/m],
    ['network.cidr missing', remove('network.cidr'), /network\.cidr: required \(string\)/],
    // Unknown keys list the allowed ones.
    ['unknown top-level key', set('region', 'eu-west-1'), /^ {2}- region: unknown field; allowed here: name, mode, organizationId, tags, environments, network, application, data, keys, detection, backup, existingResources, deployment, response, analytics, logArchive$/m],
    [
      'unknown key in network',
      set('network.vpcCidr', '10.20.0.0/16'),
      /network\.vpcCidr: unknown field; allowed here: cidr, availabilityZones, natGateways, subnetPrefixes, interfaceEndpoints, ingressCidrs, avoidCidrs, naclRulesPerDirection, flowLogs, trafficMirroring$/m,
    ],
    ['unknown key in flowLogs', set('network.flowLogs.retention', 90), /network\.flowLogs\.retention: unknown field; allowed here: destination, retentionDays, maxAggregationSeconds$/m],
    [
      'unknown key in trafficMirroring',
      set('network.trafficMirroring.sessions', []),
      /network\.trafficMirroring\.sessions: unknown field; allowed here: enabled, target, sourceNetworkInterfaceIds, virtualNetworkId, fleet, sessionNumber$/m,
    ],
    ['unknown key in trafficMirroring.target', set('network.trafficMirroring.target', { eni: ENI }), /network\.trafficMirroring\.target\.eni: unknown field; allowed here: networkLoadBalancerArn, networkInterfaceId$/m],
    ['unknown key in environments[0]', set('environments.0.zones', 2), /environments\[0\]\.zones: unknown field; allowed here: name, account, region, profile, cidr$/m],
    ['unknown key in subnetPrefixes', set('network.subnetPrefixes.private', 24), /network\.subnetPrefixes\.private: unknown field; allowed here: public, app, data$/m],
    ['unknown key in application', set('application.host', '0.0.0.0'), /application\.host: unknown field; allowed here: port, healthCheckPath, instanceType, fleet, internetFacing, tlsPolicy, certificate, authentication, waf, patching, sessionIdleTimeoutMinutes, shieldAdvanced, image, osBaseline$/m],
    // CIDR syntax and boundaries.
    ['malformed CIDR', set('network.cidr', '10.20.0/16'), /network\.cidr: must be an IPv4 CIDR on its network boundary \(like 10\.0\.0\.0\/16\) for the VPC/],
    ['CIDR octet above 255', set('network.cidr', '10.256.0.0/16'), /network\.cidr: must be an IPv4 CIDR on its network boundary/],
    ['CIDR not on its network boundary', set('network.cidr', '10.0.0.1/16'), /network\.cidr: must be an IPv4 CIDR on its network boundary \(like 10\.0\.0\.0\/16\)/],
    ['environment CIDR not on its boundary', set('environments.0.cidr', '10.21.1.0/16'), /environments\[0\]\.cidr: must be an IPv4 CIDR on its network boundary .* for this environment/],
    ['ingress CIDR without prefix', set('network.ingressCidrs', ['203.0.113.7']), /network\.ingressCidrs\[0\]: must be an IPv4 CIDR on its network boundary .* for ingress/],
    ['ingressCidrs empty', set('network.ingressCidrs', []), /network\.ingressCidrs: Too small: expected array to have >=1 items/],
    ['avoidCidrs entry malformed', set('network.avoidCidrs', ['10.0.0.0']), /network\.avoidCidrs\[0\]: must be an IPv4 CIDR on its network boundary .* for address space in use elsewhere/],
    // VPC size.
    ['VPC CIDR larger than /16', set('network.cidr', '10.0.0.0/8'), /network\.cidr: VPC CIDR 10\.0\.0\.0\/8 must be between \/16 and \/24/],
    ['VPC CIDR smaller than /24', set('network.cidr', '10.20.0.0/25'), /network\.cidr: VPC CIDR 10\.20\.0\.0\/25 must be between \/16 and \/24/],
    [
      'VPC CIDR too small for the subnets',
      set('network.cidr', '10.20.0.0/24'),
      /network\.cidr: 10\.20\.0\.0\/24 is too small for 2 zones × 3 tiers of subnets \(\/24 public, \/22 app, \/24 data\); use a larger VPC CIDR or smaller subnets/,
    ],
    ['environment CIDR too small for the subnets', set('environments.0.cidr', '10.21.0.0/21'), /environments\[0\]\.cidr: 10\.21\.0\.0\/21 is too small for 2 zones × 3 tiers .*use a larger VPC CIDR/],
    // Subnet prefixes.
    ['app subnet prefix /29', set('network.subnetPrefixes.app', 29), /network\.subnetPrefixes\.app: app subnets must be at least \/28 \(AWS minimum\) \(got number 29\)/],
    ['public subnet prefix /15', set('network.subnetPrefixes.public', 15), /network\.subnetPrefixes\.public: public subnets can be at most \/16 \(got number 15\)/],
    // Overlaps.
    [
      'two environments sharing network.cidr',
      add('environments', STAGING),
      /network\.cidr: environment "stg" uses 10\.20\.0\.0\/16, which overlaps 10\.20\.0\.0\/16 of environment "dev"; give each environment its own cidr/,
    ],
    [
      'environment cidr nested in another environment',
      add('environments', { ...STAGING, cidr: '10.20.128.0/17' }),
      /environments\[1\]\.cidr: environment "stg" uses 10\.20\.128\.0\/17, which overlaps 10\.20\.0\.0\/16 of environment "dev"; give each environment its own cidr/,
    ],
    [
      'VPC CIDR overlapping network.avoidCidrs',
      set('network.avoidCidrs', ['192.168.0.0/16', '10.0.0.0/8']),
      /network\.cidr: 10\.20\.0\.0\/16 \(environment "dev"\) overlaps 10\.0\.0\.0\/8 listed in network\.avoidCidrs\[1\]/,
    ],
    [
      'environment CIDR overlapping network.avoidCidrs',
      all(set('environments.0.cidr', '10.31.0.0/16'), set('network.avoidCidrs', ['10.31.64.0/18'])),
      /environments\[0\]\.cidr: 10\.31\.0\.0\/16 \(environment "dev"\) overlaps 10\.31\.64\.0\/18 listed in network\.avoidCidrs\[0\]/,
    ],
    // Availability Zones.
    ['availabilityZones: 1', set('network.availabilityZones', 1), /network\.availabilityZones: environment "dev" uses the development profile, which needs at least 2 Availability Zones; got 1/],
    ['availabilityZones: 0', set('network.availabilityZones', 0), /network\.availabilityZones: Too small: expected number to be >=1 \(got number 0\)/],
    ['availabilityZones: 7', set('network.availabilityZones', 7), /network\.availabilityZones: Too big: expected number to be <=6 \(got number 7\)/],
    [
      'production profile with 2 zones',
      all(set('environments.0.profile', 'production'), set('network.availabilityZones', 2)),
      /network\.availabilityZones: environment "dev" uses the production profile, which needs at least 3 Availability Zones; got 2/,
    ],
    [
      'production profile with 2 zone names',
      all(set('environments.0.profile', 'production'), set('network.availabilityZones', ['eu-west-1a', 'eu-west-1b'])),
      /network\.availabilityZones: environment "dev" uses the production profile, which needs at least 3 Availability Zones; got 2/,
    ],
    ['zone names from another region', set('network.availabilityZones', ['eu-west-1a', 'us-east-1b']), /network\.availabilityZones\[1\]: zone "us-east-1b" is not in eu-west-1 \(environment "dev"\)/],
    ['repeated zone names', set('network.availabilityZones', ['eu-west-1a', 'eu-west-1a']), /network\.availabilityZones: zone names must not repeat/],
    [
      'more zones than the region has by default',
      all(set('environments.0.region', 'us-west-1'), set('network.availabilityZones', 3)),
      /network\.availabilityZones: us-west-1 has 2 zones by default; list zone names explicitly to use 3/,
    ],
    ['malformed zone name', set('network.availabilityZones', ['euw1a', 'eu-west-1b']), /network\.availabilityZones\[0\]: must be a zone name like eu-west-1a \(got string "euw1a"\)/],
    // Accounts.
    ['account id of 11 digits', set('environments.0.account', '11111111111'), /environments\[0\]\.account: must be a 12-digit AWS account id \(quote it in YAML so leading zeros survive\) \(got string "11111111111"\)/],
    ['account id of 13 digits', set('environments.0.account', '1111111111111'), /environments\[0\]\.account: must be a 12-digit AWS account id .*\(got string "1111111111111"\)/],
    ['account id with letters', set('environments.0.account', '11111111111a'), /environments\[0\]\.account: must be a 12-digit AWS account id .*\(got string "11111111111a"\)/],
    // Regions, endpoints, profiles, names, modes.
    ['unknown region', set('environments.0.region', 'eu-west-9'), /environments\[0\]\.region: unknown region "eu-west-9"; known: us-east-1, .*eu-west-1, /],
    ['unknown endpoint name', set('network.interfaceEndpoints', ['kms', 's3']), /network\.interfaceEndpoints\[1\]: unknown endpoint "s3"; known: kms, ssm, .*sts/],
    ['duplicate environment names', add('environments', { ...STAGING, name: 'dev', cidr: '10.21.0.0/16' }), /environments\[1\]\.name: duplicate environment name "dev" \(also environments\[0\]\)/],
    ['empty environments list', set('environments', []), /^ {2}- environments: list at least one environment/m],
    ['environment name with capitals and underscore', set('environments.0.name', 'Dev_1'), /environments\[0\]\.name: must be 2-16 lowercase letters, digits or hyphens, starting with a letter \(got string "Dev_1"\)/],
    ['environment name of 17 characters', set('environments.0.name', 'a'.repeat(17)), /environments\[0\]\.name: must be 2-16 lowercase letters/],
    ['config name with a space', set('name', 'sra app'), /^ {2}- name: must be 3-32 lowercase letters, digits or hyphens, starting with a letter \(got string "sra app"\)$/m],
    ['config name of 2 characters', set('name', 'ab'), /^ {2}- name: must be 3-32 lowercase letters/m],
    ['unknown mode', set('mode', 'hybrid'), /^ {2}- mode: got string "hybrid"; allowed: "standalone", "organization"$/m],
    ['unknown profile', set('environments.0.profile', 'staging'), /environments\[0\]\.profile: got string "staging"; allowed: "development", "production"/],
    ['organizationId too short', set('organizationId', 'o-abc'), /organizationId: must be an AWS Organizations id like o-a1b2c3d4e5 \(got string "o-abc"\)/],
    ['organizationId in capitals', set('organizationId', 'o-A1B2C3D4E5'), /organizationId: must be an AWS Organizations id like o-a1b2c3d4e5/],
    ['unknown NAT strategy', set('network.natGateways', 'two'), /network\.natGateways: got string "two"; allowed: "none", "single", "perAz"/],
    ['unknown database engine', set('data.engine', 'oracle'), /data\.engine: got string "oracle"; allowed: "aurora-postgresql", "aurora-mysql"/],
    // Flow logs.
    ['retentionDays not in the allowed set', set('network.flowLogs.retentionDays', 100), /network\.flowLogs\.retentionDays: must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, .*, 3653/],
    ['unknown flow log destination', set('network.flowLogs.destination', 'kinesis'), /network\.flowLogs\.destination: got string "kinesis"; allowed: "s3", "cloudWatchLogs"/],
    // Traffic mirroring.
    [
      'mirroring enabled without a target',
      mirroring({ sourceNetworkInterfaceIds: [ENI] }),
      /network\.trafficMirroring\.target: when traffic mirroring is enabled, give exactly one of networkLoadBalancerArn or networkInterfaceId/,
    ],
    [
      'mirroring enabled with both targets',
      mirroring({ target: { networkInterfaceId: ENI, networkLoadBalancerArn: NLB_ARN }, sourceNetworkInterfaceIds: [ENI] }),
      /network\.trafficMirroring\.target: when traffic mirroring is enabled, give exactly one of networkLoadBalancerArn or networkInterfaceId/,
    ],
    [
      'mirroring enabled without source ENIs',
      mirroring({ target: { networkInterfaceId: ENI } }),
      /network\.trafficMirroring\.sourceNetworkInterfaceIds: when traffic mirroring is enabled, list at least one ENI of a sensitive instance to mirror/,
    ],
    [
      'malformed source ENI id',
      mirroring({ target: { networkInterfaceId: ENI }, sourceNetworkInterfaceIds: ['eni-XYZ'] }),
      /network\.trafficMirroring\.sourceNetworkInterfaceIds\[0\]: must be an ENI id like eni-0123456789abcdef0 \(got string "eni-XYZ"\)/,
    ],
    [
      'malformed target ENI id',
      mirroring({ target: { networkInterfaceId: 'eni-123' }, sourceNetworkInterfaceIds: [ENI] }),
      /network\.trafficMirroring\.target\.networkInterfaceId: must be an ENI id like eni-0123456789abcdef0 \(got string "eni-123"\)/,
    ],
    [
      'Application Load Balancer ARN as the target',
      mirroring({ target: { networkLoadBalancerArn: NLB_ARN.replace('/net/', '/app/') }, sourceNetworkInterfaceIds: [ENI] }),
      /network\.trafficMirroring\.target\.networkLoadBalancerArn: must be a Network Load Balancer ARN \(got string "arn:aws:elasticloadbalancing:.*\/app\//,
    ],
    ['virtualNetworkId 0', set('network.trafficMirroring.virtualNetworkId', 0), /network\.trafficMirroring\.virtualNetworkId: Too small: expected number to be >=1/],
    // Ports.
    ['port 0', set('application.port', 0), /application\.port: Too small: expected number to be >=1 \(got number 0\)/],
    ['port 70000', set('application.port', 70000), /application\.port: Too big: expected number to be <=65535 \(got number 70000\)/],
    ['fractional port', set('application.port', 80.5), /application\.port: expected int, got number 80\.5/],
  ];

  test.each(cases)('%s', (_name, mutation, expected) => {
    const error = configErrorOf(() => validateConfig(devWith(mutation)));
    expect(error.message).toMatch(expected);
    expect(error.message).toMatch(/^config is not a valid configuration \(\d+ problems?\):\n/);
  });

  test('the table is large enough to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  test('a single problem is reported exactly once, with a singular header', () => {
    const error = configErrorOf(() => validateConfig(devWith(set('environments.0.account', '12345'))));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(/^config is not a valid configuration \(1 problem\):\n {2}- environments\[0\]\.account: /);
    expect(error.name).toBe('ConfigError');
    expect(error.source).toBe('config');
  });

  test('the source name given to validateConfig heads the message', () => {
    const error = configErrorOf(() => validateConfig(devWith(set('mode', 'x')), 'my-config.yaml'));
    expect(error.source).toBe('my-config.yaml');
    expect(error.message).toMatch(/^my-config\.yaml is not a valid configuration/);
  });

  test.each([
    ['null', null, /\(top level\): expected object, got null/],
    ['a string', 'name: sra-app', /\(top level\): expected object, got string "name: sra-app"/],
    ['a list', [], /\(top level\): expected object, got a list/],
  ])('a config that is %s is rejected at the top level', (_what, input, expected) => {
    expect(configErrorOf(() => validateConfig(input)).message).toMatch(expected);
  });

  test('a bad maxAggregationSeconds is rejected and names the field', () => {
    const error = configErrorOf(() => validateConfig(devWith(set('network.flowLogs.maxAggregationSeconds', 300))));
    expect(error.problems).toEqual([expect.stringMatching(/^network\.flowLogs\.maxAggregationSeconds: .*300/)]);
  });
});

describe('validateConfig: messages that say what is allowed', () => {
  test.each([
    ['maxAggregationSeconds 300', set('network.flowLogs.maxAggregationSeconds', 300), /network\.flowLogs\.maxAggregationSeconds: .*\b60\b.*\b600\b/],
    ['availabilityZones as a word', set('network.availabilityZones', 'two'), /network\.availabilityZones: (?!Invalid input).*(number|count|zone names)/],
    ['tag key with a #', set('tags', { 'cost#center': 'x' }), /tags\.cost#center: tag keys may hold only letters, digits, spaces and _ \. : \/ = \+ - @/],
    ['account as a YAML number', set('environments.0.account', 12345678901), /environments\[0\]\.account: .*in quotes/],
    ['availabilityZones: null (YAML "availabilityZones:" with no value)', set('network.availabilityZones', null), /network\.availabilityZones: /],
    ['a null zone name (YAML "- " with no value)', set('network.availabilityZones', ['eu-west-1a', null]), /network\.availabilityZones: .*list of at most 6 zone names/],
  ])('%s', (_name, mutation, expected) => {
    expect(configErrorOf(() => validateConfig(devWith(mutation))).message).toMatch(expected);
  });

  // The isolation workflow accepts 1 to 120 seconds (validate() in src/constructs/response/incident-workflows.ts);
  // the loader refuses anything else, so a bad value never reaches the synth as a stack trace.
  test.each([
    ['no wait at all', 0, /^response\.untrackWaitSeconds: at least 1 second/],
    ['a wait over two minutes', 121, /^response\.untrackWaitSeconds: at most 120 seconds/],
    ['the old 15-minute ceiling', 900, /^response\.untrackWaitSeconds: at most 120 seconds/],
  ])('response.untrackWaitSeconds: %s is refused', (_name, seconds, expected) => {
    const error = configErrorOf(() => validateConfig(devWith(set('response.untrackWaitSeconds', seconds))));
    expect(error.problems).toEqual([expect.stringMatching(expected)]);
  });

  test('a region named like an Object property is just an unknown region', () => {
    const error = configErrorOf(() => validateConfig(devWith(set('environments.0.region', 'constructor'))));
    expect(error.problems).toEqual([expect.stringMatching(/^environments\[0\]\.region: unknown region "constructor"/)]);
  });

  test('a malformed zone name is reported once', () => {
    const error = configErrorOf(() => validateConfig(devWith(set('network.availabilityZones', ['eu-west-1a', 'westish']))));
    expect(error.problems).toEqual([expect.stringMatching(/^network\.availabilityZones\[1\]: must be a zone name/)]);
  });
});

describe('validateConfig: several problems at once', () => {
  test('reports every problem, field and cross-field, in one error', () => {
    const input = devWith(
      set('environments.0.account', '1234'),
      set('network.flowLogs.retention', 90),
      set('application.port', 0),
      set('mode', 'hybrid'),
      add('environments', { ...STAGING, cidr: '10.20.64.0/18' }),
      publicCertificate,
    );
    const error = configErrorOf(() => validateConfig(input));
    const paths = error.problems.map((problem) => problem.slice(0, problem.indexOf(':')));
    expect(new Set(paths)).toEqual(new Set(['environments[0].account', 'network.flowLogs.retention', 'application.port', 'mode', 'environments[1].cidr']));
    expect(error.problems).toHaveLength(5);
    expect(error.message).toMatch(/^config is not a valid configuration \(5 problems\):/);
    expect(error.message).toMatch(/environments\[0\]\.account: must be a 12-digit AWS account id/);
    expect(error.message).toMatch(/network\.flowLogs\.retention: unknown field; allowed here: destination, retentionDays, maxAggregationSeconds/);
    expect(error.message).toMatch(/application\.port: Too small: expected number to be >=1/);
    expect(error.message).toMatch(/^ {2}- mode: got string "hybrid"; allowed: "standalone", "organization"$/m);
    expect(error.message).toMatch(/environments\[1\]\.cidr: environment "stg" uses 10\.20\.64\.0\/18, which overlaps 10\.20\.0\.0\/16 of environment "dev"/);
  });

  test('cross-field rules still run when a sibling field has the wrong type', () => {
    const input = devWith(set('name', 42), set('network.availabilityZones', 1), set('network.avoidCidrs', ['10.20.0.0/20']));
    const error = configErrorOf(() => validateConfig(input));
    expect(error.problems).toEqual([
      'name: expected string, got number 42',
      expect.stringMatching(/^network\.availabilityZones: environment "dev" uses the development profile, which needs at least 2/),
      expect.stringMatching(/^network\.cidr: 10\.20\.0\.0\/16 \(environment "dev"\) overlaps 10\.20\.0\.0\/20 listed in network\.avoidCidrs\[0\]$/),
    ]);
  });
});

describe('validateConfig: accepted edge cases', () => {
  test.each<[string, Mutation]>([
    ['VPC CIDR of exactly /24 with subnets that fit', all(set('network.cidr', '10.20.0.0/24'), set('network.subnetPrefixes', { public: 27, app: 26, data: 27 }))],
    ['adjacent environment CIDRs', all(add('environments', { ...STAGING, cidr: '10.21.0.0/16' }), publicCertificate)],
    ['avoidCidrs adjacent to the VPC on both sides', set('network.avoidCidrs', ['10.19.0.0/16', '10.21.0.0/16'])],
    ['mirroring to a Network Load Balancer', mirroring({ target: { networkLoadBalancerArn: NLB_ARN }, sourceNetworkInterfaceIds: [ENI] })],
    ['explicit zone names of the region', set('network.availabilityZones', ['eu-west-1c', 'eu-west-1a'])],
    ['no interface endpoints at all', set('network.interfaceEndpoints', [])],
    ['port 1', set('application.port', 1)],
    ['port 65535', set('application.port', 65535)],
    ['the shortest untrack wait the workflow accepts', set('response.untrackWaitSeconds', 1)],
    ['the longest untrack wait the workflow accepts', set('response.untrackWaitSeconds', 120)],
  ])('%s', (_name, mutation) => {
    expect(() => validateConfig(devWith(mutation))).not.toThrow();
  });
});

describe('loadConfig', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.cleanup());

  test('loads config/dev.yaml and applies the defaults', () => {
    const config = loadConfig(DEV_YAML);
    expect(config.name).toBe('sra-app');
    expect(config.mode).toBe('standalone');
    expect(config.environments).toEqual([{ name: 'dev', account: '111111111111', region: 'eu-west-1', profile: 'development' }]);
    expect(config.network.ingressCidrs).toEqual(['0.0.0.0/0']);
    expect(config.network.subnetPrefixes).toEqual({ public: 24, app: 22, data: 24 });
    expect(config.network.avoidCidrs).toEqual([]);
    expect(config.network.flowLogs).toEqual({ destination: 's3', retentionDays: 90, maxAggregationSeconds: 60 });
    expect(config.network.trafficMirroring).toEqual({ enabled: false, sourceNetworkInterfaceIds: [] });
    expect(config.network.availabilityZones).toBeUndefined();
    expect(config.network.natGateways).toBeUndefined();
    expect(config.organizationId).toBeUndefined();
  });

  test('loads config/prod.yaml as written', () => {
    const config = loadConfig(PROD_YAML);
    expect(config.mode).toBe('organization');
    expect(config.organizationId).toBe('o-a1b2c3d4e5');
    expect(config.environments).toEqual([{ name: 'prod', account: '222222222222', region: 'eu-west-1', profile: 'production' }]);
    expect(config.network.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(config.network.natGateways).toBe('perAz');
    expect(config.network.avoidCidrs).toEqual(['10.0.0.0/14', '192.168.0.0/16']);
    expect(config.network.subnetPrefixes).toEqual({ public: 24, app: 22, data: 24 });
    expect(config.network.ingressCidrs).toEqual(['0.0.0.0/0']);
    expect(config.network.interfaceEndpoints).toBeUndefined();
    expect(config.network.trafficMirroring).toEqual({
      enabled: true,
      target: { networkInterfaceId: 'eni-0a1b2c3d4e5f60718' },
      sourceNetworkInterfaceIds: ['eni-0123456789abcdef0'],
      virtualNetworkId: 4242,
    });
  });

  test('fills in every optional section of a minimal file', () => {
    const file = temp.write(
      'minimal.yaml',
      [
        'name: minimal',
        'mode: standalone',
        'environments:',
        '  - { name: dev, account: "000000000001", region: us-east-2, profile: development }',
        'network:',
        '  cidr: 10.0.0.0/16',
        'application:',
        '  certificate: { kind: imported, certificateArn: "arn:aws:acm:us-east-2:000000000001:certificate/12345678-1234-1234-1234-123456789012" }',
        'detection:',
        '  notificationEmails: [security@example.com]',
        ...ALTERNATE_CONTACTS_YAML,
        '',
      ].join('\n'),
    );
    expect(loadConfig(file)).toEqual({
      name: 'minimal',
      mode: 'standalone',
      tags: {},
      environments: [{ name: 'dev', account: '000000000001', region: 'us-east-2', profile: 'development' }],
      network: {
        cidr: '10.0.0.0/16',
        subnetPrefixes: { public: 24, app: 22, data: 24 },
        ingressCidrs: ['0.0.0.0/0'],
        naclRulesPerDirection: 20,
        avoidCidrs: [],
        flowLogs: { destination: 's3', retentionDays: 365, maxAggregationSeconds: 60 },
        trafficMirroring: { enabled: false, sourceNetworkInterfaceIds: [] },
      },
      application: {
        port: 8080,
        healthCheckPath: '/health/ready',
        instanceType: 't4g.small',
        internetFacing: true,
        tlsPolicy: 'recommended',
        certificate: { kind: 'imported', certificateArn: 'arn:aws:acm:us-east-2:000000000001:certificate/12345678-1234-1234-1234-123456789012' },
        authentication: { kind: 'none' },
        waf: { rateLimit: 2000, logDestination: 'cloudWatchLogs', blockCidrs: [], blockCountries: [] },
        patching: { approveAfterDays: 7, installSchedule: 'cron(0 3 ? * SUN *)' },
        sessionIdleTimeoutMinutes: 20,
        image: { source: 'hardened', buildSchedule: 'cron(0 4 ? * MON *)', hardening: 'stig-build-linux-high', refreshMinHealthyPercent: 100 },
        osBaseline: { enabled: true, schedule: 'rate(1 day)' },
      },
      data: {
        engine: 'aurora-postgresql',
        classification: 'confidential',
        owner: 'application-team',
        databaseName: 'app',
        adminUsername: 'sra_admin',
        appUsername: 'app',
        rotationDays: 30,
        objectLock: { enabled: false, mode: 'GOVERNANCE', days: 30 },
        noncurrentVersionDays: 90,
      },
      keys: { mode: 'local', administratorRoleArns: [], cloudHsm: { enabled: false, hsmCount: 2, backupRetentionDays: 90 }, hsmBackedKeyArns: {} },
      detection: {
        guardDutyMinimumSeverity: 7,
        securityHubStandards: ['aws-foundational-security-best-practices', 'cis-aws-foundations-benchmark-3.0'],
        unusedAccessAgeDays: 90,
        notificationEmails: ['security@example.com'],
        passwordPolicy: { minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 },
        createConfigServiceLinkedRole: true,
        alternateContacts: {
          security: { name: 'Security', title: 'Security team', email: 'security@example.com', phone: '+1 555 0100' },
          operations: { name: 'Operations', title: 'Operations team', email: 'ops@example.com', phone: '+1 555 0101' },
          billing: { name: 'Billing', title: 'Finance', email: 'billing@example.com', phone: '+1 555 0102' },
        },
        macie: { enabled: true, findingPublishingFrequency: 'FIFTEEN_MINUTES' },
        cisScan: { enabled: true, level: 'LEVEL_1', schedule: { frequency: 'weekly', days: ['SUN'], time: '05:00', timeZone: 'UTC' } },
        securityIncidentResponse: { enabled: false, createTriageServiceLinkedRole: true, containmentRoles: true },
        auditManager: { enabled: false, frameworkIds: [] },
      },
      backup: {},
      existingResources: { ...SWITCH_DEFAULTS, enabledSecurityHubStandards: [], byEnvironment: {} },
      deployment: { qualifier: 'hnb659fds' },
      response: validateConfig(devConfig()).response,
      analytics: { queryScanLimitGb: 10, resultRetentionDays: 30 },
      logArchive: { auditRetentionDays: 365, objectLock: {} },
    });
  });

  test('an account written as a YAML number is rejected (leading zero lost)', () => {
    const file = temp.write(
      'number-account.yaml',
      [
        'name: sra-app',
        'mode: standalone',
        'environments:',
        '  - name: dev',
        '    account: 012345678901',
        '    region: eu-west-1',
        '    profile: development',
        'network:',
        '  cidr: 10.20.0.0/16',
        'application:',
        '  certificate: { kind: imported, certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/12345678-1234-1234-1234-123456789012" }',
        'detection:',
        '  notificationEmails: [security@example.com]',
        ...ALTERNATE_CONTACTS_YAML,
        '',
      ].join('\n'),
    );
    const error = configErrorOf(() => loadConfig(file));
    expect(error.source).toBe(file);
    expect(error.message.startsWith(`${file} is not a valid configuration (1 problem)`)).toBe(true);
    expect(error.message).toMatch(/environments\[0\]\.account: must be a 12-digit AWS account id in quotes \(YAML reads unquoted digits as a number and drops leading zeros\) \(got number 12345678901\)$/m);
  });

  test('an untrack wait the isolation workflow refuses is a ConfigError naming the file and the field', () => {
    const file = temp.write('long-wait.yaml', readFileSync(DEV_YAML, 'utf8') + 'response:\n  untrackWaitSeconds: 300\n');
    const error = configErrorOf(() => loadConfig(file));
    expect(error.source).toBe(file);
    expect(error.problems).toEqual([expect.stringMatching(/^response\.untrackWaitSeconds: at most 120 seconds/)]);
  });

  test('a missing file is a ConfigError naming the file', () => {
    const file = join(temp.dir, 'does-not-exist.yaml');
    const error = configErrorOf(() => loadConfig(file));
    expect(error.source).toBe(file);
    expect(error.message.startsWith(`${file} is not a valid configuration`)).toBe(true);
    expect(error.problems).toEqual([expect.stringMatching(/^cannot read the file: ENOENT/)]);
  });

  test('invalid YAML is a ConfigError naming the file and the line', () => {
    const file = temp.write('broken.yaml', 'name: sra-app\nenvironments: [unclosed\n');
    const error = configErrorOf(() => loadConfig(file));
    expect(error.source).toBe(file);
    expect(error.message.startsWith(`${file} is not a valid configuration (1 problem)`)).toBe(true);
    expect(error.problems).toEqual([expect.stringMatching(/^not valid YAML at line 3: .*\(BAD_INDENT\)$/)]);
  });

  test('duplicate YAML keys are a ConfigError naming the file', () => {
    const file = temp.write('duplicate.yaml', 'name: sra-app\nmode: standalone\nname: other\n');
    const error = configErrorOf(() => loadConfig(file));
    expect(error.source).toBe(file);
    expect(error.message.startsWith(`${file} is not a valid configuration (1 problem)`)).toBe(true);
    expect(error.problems).toEqual(['duplicate key "name" at line 3; each key may appear once in a mapping']);
  });

  test('an empty file is rejected as not a mapping', () => {
    const file = temp.write('empty.yaml', '');
    const error = configErrorOf(() => loadConfig(file));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual(['the file is empty; a config is a YAML mapping of fields (name, mode, environments, ...)']);
  });
});
