/* eslint-disable @typescript-eslint/no-explicit-any -- mutators edit raw config objects */
import { configFrom, type Mutator, synthesize, type Synthesized } from './app';

/** One config of the variants matrix: an example config with one feature switched, and the test file that synthesizes it. */
export interface Variant {
  readonly name: string;
  readonly base: 'dev' | 'prod';
  readonly mutate: Mutator;
  /** Test file group; each group is synthesized in its own file so that Jest can spread them over workers. */
  readonly group: 'keys-and-data' | 'network-and-edge' | 'detection-and-accounts';
}

/** Shield Advanced with proactive engagement, and fleet mirroring to a Network Load Balancer of appliances. */
export const SHIELD_AND_FLEET_MIRRORING: Mutator = (c) =>
  void ((c.network.trafficMirroring = {
    enabled: true,
    target: { networkLoadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/monitoring/0123456789abcdef' },
    fleet: true,
    virtualNetworkId: 4242,
  }),
  (c.application.shieldAdvanced = { enabled: true, emergencyContacts: [{ email: 'soc@example.com', phone: '+4915112345678', notes: 'SOC on call' }] }));

/** Configs beyond the two examples whose templates must pass the rule packs and CloudFormation's schema. */
export const VARIANTS: readonly Variant[] = [
  { group: 'keys-and-data', name: 'production with central keys and CloudHSM', base: 'prod', mutate: (c) => void (c.keys.cloudHsm = { enabled: true }) },
  {
    group: 'keys-and-data',
    name: 'production with local keys, a log break-glass role and a log copy in the Log Archive account',
    base: 'prod',
    mutate: (c) => {
      c.keys = { mode: 'local', administratorRoleArns: ['arn:aws:iam::222222222222:role/key-admins'] };
      c.logArchive = {
        breakGlassRoleArn: 'arn:aws:iam::222222222222:role/log-break-glass',
        replication: { bucketArn: 'arn:aws:s3:::sra-org-log-archive-eu-west-1', account: '888888888888', keyArn: 'arn:aws:kms:eu-west-1:888888888888:key/77777777-7777-4777-8777-777777777777' },
      };
    },
  },
  { group: 'keys-and-data', name: 'development with CloudHSM', base: 'dev', mutate: (c) => void (c.keys.cloudHsm = { enabled: true }) },
  { group: 'keys-and-data', name: 'Aurora MySQL', base: 'dev', mutate: (c) => void (c.data.engine = 'aurora-mysql') },
  { group: 'keys-and-data', name: 'Aurora MySQL in production (backtrack)', base: 'prod', mutate: (c) => void (c.data.engine = 'aurora-mysql') },
  { group: 'network-and-edge', name: 'Shield Advanced and fleet mirroring', base: 'dev', mutate: SHIELD_AND_FLEET_MIRRORING },
  { group: 'network-and-edge', name: 'flow logs to CloudWatch Logs', base: 'dev', mutate: (c) => void (c.network.flowLogs.destination = 'cloudWatchLogs') },
  { group: 'network-and-edge', name: 'a restricted load balancer', base: 'dev', mutate: (c) => void (c.network.ingressCidrs = ['203.0.113.0/24']) },
  {
    group: 'network-and-edge',
    name: 'a private certificate from a CA the stack creates',
    base: 'dev',
    mutate: (c) => void (c.application.certificate = { kind: 'private', domainName: 'app.internal', createCertificateAuthority: { commonName: 'sra-app root' } }),
  },
  {
    group: 'network-and-edge',
    name: 'a public DNS-validated certificate',
    base: 'dev',
    mutate: (c) => void (c.application.certificate = { kind: 'public', domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' }),
  },
  {
    group: 'network-and-edge',
    name: 'OIDC sign-in and WAF logs to S3',
    base: 'dev',
    mutate: (c) =>
      void Object.assign(c.application, {
        authentication: {
          kind: 'oidc',
          issuer: 'https://idp.example.com',
          authorizationEndpoint: 'https://idp.example.com/a',
          tokenEndpoint: 'https://idp.example.com/t',
          userInfoEndpoint: 'https://idp.example.com/u',
          clientId: 'x',
          clientSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:oidc-AbCdEf',
        },
        waf: { logDestination: 's3', allowCountries: ['DE'], blockCidrs: ['198.51.100.0/24'] },
      }),
  },
  {
    group: 'detection-and-accounts',
    name: 'a findings webhook and a central event bus',
    base: 'dev',
    mutate: (c) =>
      void (c.detection = {
        webhook: { secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:hook-AbCdEf', format: 'teams' },
        centralEventBusArn: 'arn:aws:events:eu-west-1:999999999999:event-bus/security',
        notificationEmails: ['secops@example.com'],
        alternateContacts: c.detection.alternateContacts,
      }),
  },
  // Organization mode requires the central bus as the findings' consumer.
  {
    group: 'detection-and-accounts',
    name: 'organization mode without an organization id',
    base: 'dev',
    mutate: (c) => void ((c.mode = 'organization'), (c.detection = { centralEventBusArn: 'arn:aws:events:eu-west-1:999999999999:event-bus/sra-security-findings' })),
  },
  {
    group: 'detection-and-accounts',
    name: 'Security Incident Response and Audit Manager',
    base: 'dev',
    mutate: (c) =>
      void Object.assign(c.detection, {
        securityIncidentResponse: { enabled: true },
        auditManager: { enabled: true, frameworkIds: ['0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', '1b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d'], processOwnerRoleName: 'audit-owner' },
        cisScan: { level: 'LEVEL_2', schedule: { frequency: 'monthly', day: 'SAT', time: '22:30', timeZone: 'Europe/Dublin' } },
      }),
  },
  {
    group: 'detection-and-accounts',
    name: 'two environments',
    base: 'dev',
    mutate: (c: Record<string, any>) =>
      void (c.environments.push({ name: 'stage', account: '333333333333', region: 'eu-central-1', profile: 'development', cidr: '10.21.0.0/16' }),
      // An imported certificate belongs to one account and region; ACM issues a public one in each.
      (c.application.certificate = { kind: 'public', domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' })),
  },
];

/** The variants of one group, each to be synthesized once by the test file that checks them. */
export function variantsOf(group: Variant['group']): { name: string; synthesize: () => Synthesized }[] {
  return VARIANTS.filter((v) => v.group === group).map((v) => ({ name: v.name, synthesize: () => synthesize(configFrom(v.base, v.mutate)) }));
}
