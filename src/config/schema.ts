import { z } from 'zod';
import { alternateContacts, auditManager, checkAccountServices, cisScan, macie, securityIncidentResponse } from './account-services';
import { formatCidr, isCidr, overlaps, parseCidr } from './cidr';
import { checkDeployment, deployment } from './deployment';
import { DEFAULT_INTERFACE_ENDPOINTS, KNOWN_INTERFACE_ENDPOINTS } from './endpoints';
import { checkExistingResources, existingResources } from './existing-resources';
import { PROFILE_NAMES, PROFILES } from './profiles';
import { auroraClassProblem, checkAwsLimits, checkInstanceType, countryProblem, DEFAULT_NACL_RULES_PER_DIRECTION, MAX_NACL_RULES_PER_DIRECTION, scheduleProblem } from './limits';
import { KNOWN_REGIONS, REGION_ZONE_SUFFIXES } from './regions';
import { checkEdgeOptions } from './mirroring';
import { checkResponse, responseSection } from './response';
import { shieldAdvanced } from './shield';
import { checkLogArchive, logArchiveSection } from './log-archive';
import { checkClassification } from './classification';
import { planSubnets, TIERS } from './subnet-plan';

/** Retention periods CloudWatch Logs accepts; S3 lifecycle uses the same set so both destinations read alike. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const ZONE_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

const cidr = (what: string) =>
  z.string().refine(isCidr, { error: `must be an IPv4 CIDR on its network boundary (like 10.0.0.0/16) for ${what}` });

const port = z.int().min(1).max(65535).refine((p) => p !== 22, { error: 'must not be 22: the fleet is reached through Session Manager, and no rule may open SSH' });

const prefixFor = (tier: string) =>
  z.int().min(16, `${tier} subnets can be at most /16`).max(28, `${tier} subnets must be at least /28 (AWS minimum)`);

const retentionDays = z
  .int()
  .refine((d) => (RETENTION_DAYS as readonly number[]).includes(d), {
    error: `must be one of ${RETENTION_DAYS.join(', ')}`,
  });

const trafficMirroring = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Where mirrored packets go: a Network Load Balancer in front of appliances, or one appliance ENI. */
    target: z
      .strictObject({
        networkLoadBalancerArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/net\/[A-Za-z0-9-]+\/[0-9a-f]+$/,
            'must be a Network Load Balancer ARN',
          )
          .optional(),
        networkInterfaceId: z.string().regex(/^eni-[0-9a-f]{8,17}$/, 'must be an ENI id like eni-0123456789abcdef0').optional(),
      })
      .optional(),
    /** ENIs of instances that run sensitive work; each gets a mirror session. */
    sourceNetworkInterfaceIds: z
      .array(z.string().regex(/^eni-[0-9a-f]{8,17}$/, 'must be an ENI id like eni-0123456789abcdef0'))
      .default([]),
    /** VXLAN id the appliance sees; lets it tell this VPC's traffic apart. */
    virtualNetworkId: z.int().min(1).max(16777215).optional(),
    /** Mirror every instance the app fleet launches (a session per instance, removed when it terminates). @default false */
    fleet: z.boolean().optional(),
    /** Session number of the mirror sessions (1-32766; lower numbers are evaluated first on a source). @default 1 */
    sessionNumber: z.int().min(1).max(32766).optional(),
  })
  .superRefine((tm, ctx) => {
    if (!tm.enabled) return;
    const targets = [tm.target?.networkLoadBalancerArn, tm.target?.networkInterfaceId].filter(Boolean);
    if (targets.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: 'when traffic mirroring is enabled, give exactly one of networkLoadBalancerArn or networkInterfaceId',
      });
    }
    if (tm.sourceNetworkInterfaceIds.length === 0 && tm.fleet !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['sourceNetworkInterfaceIds'],
        message: 'when traffic mirroring is enabled, list at least one ENI of a sensitive instance to mirror, or set fleet: true',
      });
    }
  })
  .refine((tm) => tm.enabled || tm.fleet !== true, { path: ['fleet'], error: 'mirrors to the configured target: set trafficMirroring.enabled: true with a target' });

const network = z.strictObject({
  /** The VPC's address space. */
  cidr: cidr('the VPC'),
  /** A zone count, or the zone names. Default: from the profile (2 development, 3 production). */
  availabilityZones: z.union([z.int().min(1).max(6), z.array(z.string().regex(ZONE_NAME, 'must be a zone name like eu-west-1a')).min(1).max(6, 'at most 6 zones (the subnet plan and network ACL quotas are sized for 6)')], {
      error: 'must be a zone count (1-6) or a list of at most 6 zone names like [eu-west-1a, eu-west-1b]',
    })
    .optional(),
  /** none: no internet egress; single: one shared gateway; perAz: one per zone. Default: from the profile. */
  natGateways: z.enum(['none', 'single', 'perAz']).optional(),
  /** Prefix length of each tier's subnets. */
  subnetPrefixes: z
    .strictObject({
      public: prefixFor('public').default(24),
      app: prefixFor('app').default(22),
      data: prefixFor('data').default(24),
    })
    .default({ public: 24, app: 22, data: 24 }),
  /** Interface endpoints to create in the app subnets (the S3 gateway endpoint is always created). */
  interfaceEndpoints: z
    .array(
      z.string().refine((name) => KNOWN_INTERFACE_ENDPOINTS.includes(name), {
        error: (issue) => `unknown endpoint ${JSON.stringify(issue.input)}; known: ${KNOWN_INTERFACE_ENDPOINTS.join(', ')}`,
      }),
    )
    .optional(),
  /** Who may reach the load balancer on 443 (and 80, which only redirects). */
  ingressCidrs: z.array(cidr('ingress')).min(1).default(['0.0.0.0/0']),
  /** Address space in use elsewhere (on-premises, peered VPCs) that this VPC must not overlap. */
  avoidCidrs: z.array(cidr('address space in use elsewhere')).default([]),
  /** Rules per direction per network ACL in this account: 20 by default, up to 40 after a quota increase. */
  naclRulesPerDirection: z.int().min(DEFAULT_NACL_RULES_PER_DIRECTION).max(MAX_NACL_RULES_PER_DIRECTION).default(DEFAULT_NACL_RULES_PER_DIRECTION),
  flowLogs: z
    .strictObject({
      destination: z.enum(['s3', 'cloudWatchLogs']).default('s3'),
      retentionDays: retentionDays.default(365),
      /** 60 gives near-real-time records for investigations; 600 is cheaper. */
      maxAggregationSeconds: z.literal([60, 600]).default(60),
    })
    .default({ destination: 's3', retentionDays: 365, maxAggregationSeconds: 60 }),
  trafficMirroring: trafficMirroring.default({ enabled: false, sourceNetworkInterfaceIds: [] }),
});

const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN like arn:aws:iam::111111111111:role/KeyAdmins');
const keyArn = z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, 'must be a KMS key ARN like arn:aws:kms:eu-west-1:111111111111:key/<uuid>');
const KEY_PURPOSES = ['data', 'logs', 'secrets', 'backup', 'operations'] as const;

const keys = z
  .strictObject({
    /** local: this account creates and administers its keys; central: keys live in the security account and are only used here. */
    mode: z.enum(['local', 'central']).default('local'),
    /** Roles that administer (but cannot use) the keys. The CDK deployment role is added automatically. */
    administratorRoleArns: z.array(roleArn).default([]),
    /** central mode: the key for each purpose, from the security account. */
    centralKeyArns: z.strictObject(Object.fromEntries(KEY_PURPOSES.map((p) => [p, keyArn])) as Record<(typeof KEY_PURPOSES)[number], typeof keyArn>).optional(),
    /** CloudHSM cluster in the data subnets, for a KMS custom key store or TLS keys (about $2,100/month for two HSMs). */
    cloudHsm: z
      .strictObject({
        enabled: z.boolean().default(false),
        hsmCount: z.int().min(2, 'at least 2 HSMs, in different zones, for availability').max(28).default(2),
        backupRetentionDays: z.int().min(7).max(379).default(90),
      })
      .default({ enabled: false, hsmCount: 2, backupRetentionDays: 90 }),
    /** After the runbook: HSM-backed KMS keys from the custom key store, used instead of the local data key. */
    hsmBackedKeyArns: z.strictObject({ data: keyArn.optional() }).default({}),
  })
  .superRefine((k, ctx) => {
    if (k.mode === 'central' && !k.centralKeyArns) {
      ctx.addIssue({ code: 'custom', path: ['centralKeyArns'], message: `central mode needs the key ARN for each purpose: ${KEY_PURPOSES.join(', ')}` });
    }
    if (k.mode === 'local' && k.centralKeyArns) {
      ctx.addIssue({ code: 'custom', path: ['centralKeyArns'], message: 'only used in central mode; remove it or set keys.mode: central' });
    }
    if (k.mode === 'central' && k.hsmBackedKeyArns.data) {
      ctx.addIssue({ code: 'custom', path: ['hsmBackedKeyArns', 'data'], message: 'in central mode the data key comes from centralKeyArns.data; put the HSM-backed key there' });
    }
  });

const data = z.strictObject({
  engine: z.enum(['aurora-postgresql', 'aurora-mysql']).default('aurora-postgresql'),
  /** The Security Pillar's classification; tagged on every data resource and used to select backups. */
  classification: z.enum(['public', 'internal', 'confidential', 'critical']).default('confidential'),
  /** Team accountable for the data; tagged as Owner on every data resource. */
  owner: z.string().regex(/^[\w .:/=+@-]{1,256}$/, 'must be 1-256 letters, digits, spaces or _.:/=+-@').default('application-team'),
  databaseName: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must start with a lowercase letter; lowercase letters, digits, underscores; at most 63').default('app'),
  /** The master user; never the engine default (Security Hub RDS.24). */
  adminUsername: z
    .string()
    .regex(/^[a-z][a-z0-9_]{2,15}$/, 'must be 3-16 lowercase letters, digits or underscores, starting with a letter')
    .refine((u) => !['postgres', 'admin', 'root', 'rdsadmin', 'master'].includes(u), { error: 'must not be an engine default (postgres, admin, root, rdsadmin, master)' })
    .default('sra_admin'),
  /** The database user the app fleet connects as, with IAM authentication. */
  appUsername: z.string().regex(/^[a-z][a-z0-9_]{2,15}$/, 'must be 3-16 lowercase letters, digits or underscores, starting with a letter').default('app'),
  /** Days between rotations of the service's signing secret, and the oldest secret age the Config rule accepts; RDS rotates the master password itself, every 7 days. */
  rotationDays: z.int().min(1).max(365).default(30),
  /** Provisioned instance class in production (ignored by the Serverless v2 development profile). */
  instanceClass: z
    .string()
    .superRefine((c, ctx) => {
      const problem = auroraClassProblem(c);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  /** S3 Object Lock on the application data bucket (only on a new bucket). */
  objectLock: z
    .strictObject({ enabled: z.boolean().default(false), mode: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('GOVERNANCE'), days: z.int().min(1).max(36500).default(30) })
    .default({ enabled: false, mode: 'GOVERNANCE', days: 30 }),
  /** Days noncurrent versions of application data are kept. */
  noncurrentVersionDays: z.int().min(1).max(3650).default(90),
});

const backup = z
  .strictObject({
    /** Copy every recovery point to this vault (another region or account). */
    copyToVaultArn: z.string().regex(/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[\w.-]{2,50}$/, 'must be a backup vault ARN').optional(),
  })
  .default({});

const domainName = z.string().regex(/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lowercase DNS name like app.example.com');
const secretArn = z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be a Secrets Manager secret ARN');
const httpsUrl = z.string().regex(/^https:\/\/[^\s]+$/, 'must be an https:// URL');

/** Where the load balancer's certificate comes from (the SRA's ACM, imported, and ACM Private CA options). */
const certificate = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('public'), domainName, hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, 'must be a Route 53 hosted zone id'), hostedZoneName: domainName }),
    z.strictObject({ kind: z.literal('imported'), certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, 'must be an ACM certificate ARN') }),
    z
      .strictObject({
        kind: z.literal('private'),
        domainName,
        /** An existing CA (the PKI team's). */
        certificateAuthorityArn: z.string().regex(/^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]{36}$/, 'must be an ACM Private CA ARN').optional(),
        /** Or a short-lived-mode root CA this stack creates ($50/month; general purpose is $400). */
        createCertificateAuthority: z.strictObject({ commonName: z.string().trim().min(1).max(64), organization: z.string().max(64).optional() }).optional(),
      })
      .refine((c) => (c.certificateAuthorityArn === undefined) !== (c.createCertificateAuthority === undefined), {
        error: 'give exactly one of certificateAuthorityArn (an existing CA) or createCertificateAuthority',
      }),
  ],
  { error: 'must have kind public (domainName, hostedZoneId, hostedZoneName), imported (certificateArn) or private (domainName and certificateAuthorityArn or createCertificateAuthority)' },
);

const authentication = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      kind: z.literal('oidc'),
      issuer: httpsUrl,
      authorizationEndpoint: httpsUrl,
      tokenEndpoint: httpsUrl,
      userInfoEndpoint: httpsUrl,
      clientId: z.string().min(1),
      /** The client secret stays in Secrets Manager; only its ARN is in the config. */
      clientSecretArn: secretArn,
    }),
  ],
  { error: 'must have kind none or oidc (issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, clientId, clientSecretArn)' },
);

const countryCodes = z.array(
  z.string().superRefine((code, ctx) => {
    const problem = countryProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

const application = z.strictObject({
  port: port.default(8080),
  /** At most 1,024 characters (the load balancer's limit), in the URL path characters the fleet accepts. */
  healthCheckPath: z
    .string()
    .max(1024, 'at most 1024 characters (the load balancer limit)')
    .regex(/^\/[A-Za-z0-9._~/-]*$/, 'must be a path starting with /, of letters, digits and . _ ~ / -')
    .default('/health/ready'),
  /** Graviton by default; the AMI's architecture follows the type. */
  instanceType: z
    .string()
    .superRefine((type, ctx) => {
      const checked = checkInstanceType(type);
      if ('problem' in checked) ctx.addIssue({ code: 'custom', message: checked.problem });
    })
    .default('t4g.small'),
  /** Fleet size. Default: from the profile. */
  fleet: z
    .strictObject({ min: z.int().min(1).max(100), max: z.int().min(2, 'at least 2, so a rolling update can replace an instance').max(100), desired: z.int().min(1).max(100) })
    .superRefine((f, ctx) => {
      if (f.min > f.max) ctx.addIssue({ code: 'custom', path: ['min'], message: `must not exceed max (${f.max}); got ${f.min}` });
      else if (f.desired < f.min || f.desired > f.max) ctx.addIssue({ code: 'custom', path: ['desired'], message: `must lie between min (${f.min}) and max (${f.max}); got ${f.desired}` });
    })
    .optional(),
  internetFacing: z.boolean().default(true),
  /** recommended: TLS 1.3 + 1.2; fips; post-quantum hybrid key exchange; or both. */
  tlsPolicy: z.enum(['recommended', 'fips', 'post-quantum', 'fips-post-quantum']).default('recommended'),
  certificate,
  authentication: authentication.default({ kind: 'none' }),
  waf: z
    .strictObject({
      /** Requests per source IP per 5 minutes before it is blocked. */
      rateLimit: z.int().min(10).max(2_000_000_000).default(2000),
      logDestination: z.enum(['cloudWatchLogs', 's3']).default('cloudWatchLogs'),
      blockCidrs: z.array(cidr('blocked sources')).default([]),
      allowCidrs: z.array(cidr('the only admitted sources')).min(1, 'an empty allow list would admit everyone; remove allowCidrs or list the sources').optional(),
      blockCountries: countryCodes.default([]),
      allowCountries: countryCodes.min(1, 'an empty allow list would admit every country; remove allowCountries or list the countries').optional(),
    })
    .default({ rateLimit: 2000, logDestination: 'cloudWatchLogs', blockCidrs: [], blockCountries: [] }),
  patching: z
    .strictObject({
      /** Days after release before security and bugfix updates are approved. */
      approveAfterDays: z.int().min(0).max(100).default(7),
      /** When patches install (maintenance window schedule, UTC). */
      installSchedule: z
        .string()
        .superRefine((expression, ctx) => {
          const problem = scheduleProblem(expression);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .default('cron(0 3 ? * SUN *)'),
    })
    .default({ approveAfterDays: 7, installSchedule: 'cron(0 3 ? * SUN *)' }),
  /** Session Manager idle timeout. */
  sessionIdleTimeoutMinutes: z.int().min(1).max(60).default(20),
  /** Shield Advanced for the load balancer (opt-in; the subscription is $3,000/month and must exist first). */
  shieldAdvanced: shieldAdvanced.optional(),
  /** The fleet's machine image: hardened (built by Image Builder in this account) or the public Amazon Linux 2023 AMI. */
  image: z
    .strictObject({
      /** Profiles never change security, so both default to hardened; public skips the pipeline. */
      source: z.enum(['hardened', 'public']).default('hardened'),
      /** When the pipeline checks for updates (UTC); it builds only when the parent image or a component changed. */
      buildSchedule: z
        .string()
        .superRefine((expression, ctx) => {
          const problem = scheduleProblem(expression);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
          else if (!expression.startsWith('cron(')) ctx.addIssue({ code: 'custom', message: 'Image Builder takes a cron() expression only, like cron(0 4 ? * MON *)' });
        })
        .default('cron(0 4 ? * MON *)'),
      /** The AWS-managed STIG component (Amazon Linux 2023): high includes medium and low. */
      hardening: z.enum(['stig-build-linux-high', 'stig-build-linux-medium', 'stig-build-linux-low']).default('stig-build-linux-high'),
      /** Share of the fleet kept in service while a new image rolls out (instance refresh). */
      refreshMinHealthyPercent: z.int().min(50).max(100).default(100),
    })
    .default({ source: 'hardened', buildSchedule: 'cron(0 4 ? * MON *)', hardening: 'stig-build-linux-high', refreshMinHealthyPercent: 100 }),
  /** OS baseline on the fleet (State Manager): host firewall, auditd rules, file integrity (AIDE). */
  osBaseline: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** How often the baseline is enforced and reported; State Manager runs it at least every 30 minutes. */
      schedule: z
        .string()
        .superRefine((expression, ctx) => {
          const problem = scheduleProblem(expression);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
          const rate = /^rate\((\d+) minutes?\)$/.exec(expression);
          if (rate && Number(rate[1]) < 30) ctx.addIssue({ code: 'custom', message: 'State Manager runs associations at most every 30 minutes; use rate(30 minutes) or longer' });
        })
        .default('rate(1 day)'),
    })
    .default({ enabled: true, schedule: 'rate(1 day)' }),
});

const detection = z.strictObject({
  /** GuardDuty findings at or above this severity are routed (1-8.9; 7 = high). */
  guardDutyMinimumSeverity: z.number().min(1).max(8.9).default(7),
  /** Security Hub standards (standalone mode). */
  securityHubStandards: z
    .array(z.enum(['aws-foundational-security-best-practices', 'cis-aws-foundations-benchmark-3.0', 'nist-800-53-r5']))
    .min(1)
    .default(['aws-foundational-security-best-practices', 'cis-aws-foundations-benchmark-3.0']),
  /** IAM Access Analyzer reports access unused for this many days. */
  unusedAccessAgeDays: z.int().min(1).max(365).default(90),
  /** Who receives findings by email (each confirms the subscription). */
  notificationEmails: z.array(z.email({ error: 'must be an email address' })).default([]),
  /** The security tooling account's event bus, to forward every routed finding to. */
  centralEventBusArn: z.string().regex(/^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[\w.\-/]+$/, 'must be an EventBridge event bus ARN').optional(),
  /** A chat or ticketing webhook; the secret (encrypted with the secrets key) holds {"url": "https://...", "authorization"?: "..."}. */
  webhook: z.strictObject({ secretArn, format: z.enum(['slack', 'teams', 'json']).default('slack') }).optional(),
  passwordPolicy: z
    .strictObject({
      minimumLength: z.int().min(14, 'at least 14 (Security Hub IAM.7, CIS)').max(128).default(14),
      reusePrevention: z.int().min(1).max(24).default(24),
      maxAgeDays: z.int().min(1).max(1095).default(90),
    })
    .default({ minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 }),
  /** Set false when the account already has AWS Config's service-linked role (standalone mode). */
  createConfigServiceLinkedRole: z.boolean().default(true),
  /** Security, operations and billing contacts of the account; required in standalone mode. */
  alternateContacts: alternateContacts.optional(),
  /** Amazon Macie (standalone mode). */
  macie,
  /** Amazon Inspector CIS benchmark scans of the fleet (standalone mode). */
  cisScan,
  /** AWS Security Incident Response readiness (opt-in). */
  securityIncidentResponse,
  /** AWS Audit Manager assessments (opt-in; accounts already using Audit Manager). */
  auditManager,
});

/** The investigation workgroup: Athena over the log archive's tables. */
const analytics = z.strictObject({
  /** Athena cancels any query in the workgroup that would scan more than this many GB (Athena charges $5 per TB scanned). */
  queryScanLimitGb: z.int({ error: 'must be a whole number of GB' }).min(1, 'must be at least 1 GB').max(10240, 'must be at most 10240 GB (10 TB, $50 a query)').default(10),
  /** Days query results are kept in the workgroup's results bucket (they can hold copies of log records). */
  resultRetentionDays: z.int({ error: 'must be a whole number of days' }).min(1, 'must be at least 1 day').max(3653, 'must be at most 3653 days').default(30),
});

const environment = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,15}$/, 'must be 2-16 lowercase letters, digits or hyphens, starting with a letter'),
  account: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'required: the 12-digit AWS account id, in quotes'
          : 'must be a 12-digit AWS account id in quotes (YAML reads unquoted digits as a number and drops leading zeros)',
    })
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id (quote it in YAML so leading zeros survive)'),
  region: z.string().refine((r) => Object.hasOwn(REGION_ZONE_SUFFIXES, r), {
    error: (issue) => `unknown region ${JSON.stringify(issue.input)}; known: ${KNOWN_REGIONS.join(', ')}`,
  }),
  profile: z.enum(PROFILE_NAMES as [string, ...string[]]),
  /** Overrides network.cidr for this environment, so environments of one config never share address space. */
  cidr: cidr('this environment').optional(),
});

export const configSchema = z
  .strictObject({
    /** Prefix of every stack name. */
    name: z.string().regex(/^[a-z][a-z0-9-]{2,31}$/, 'must be 3-32 lowercase letters, digits or hyphens, starting with a letter'),
    /** organization: the SRA org-level services already exist; standalone: this account enables them itself. */
    mode: z.enum(['standalone', 'organization']),
    /** When set, endpoint policies admit the whole organization instead of only this account. */
    organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an AWS Organizations id like o-a1b2c3d4e5').optional(),
    /** Tags applied to every resource. */
    /** Tags applied to every resource (rules: limits/tags.ts). */
    tags: z.record(z.string(), z.string()).default({}),
    environments: z.array(environment).min(1, 'list at least one environment'),
    network: network,
    application,
    data: data.default(data.parse({})),
    keys: keys.default(keys.parse({})),
    detection: detection.default(detection.parse({})),
    backup,
    existingResources,
    deployment: deployment.default(deployment.parse({})),
    response: responseSection.default(responseSection.parse({})),
    analytics: analytics.default(analytics.parse({})),
    logArchive: logArchiveSection.default(logArchiveSection.parse({})),
  })
  // Runs even when single fields are wrong, so one run reports every problem;
  // it therefore reads the input defensively.
  .superRefine(
    (config, ctx) => {
      checkEnvironments(config, ctx);
      checkPrivateReach(config, ctx);
      checkAwsLimits(config, ctx);
      checkExistingResources(config, ctx);
      checkDeployment(config, ctx);
      checkResponse(config, ctx);
      checkEdgeOptions(config, ctx);
      checkAccountServices(config, ctx);
      checkLogArchive(config, ctx);
      checkClassification(config, ctx);
    },
    { when: (payload) => isRecord(payload.value) },
  );

/** Endpoints the app tier cannot work without when it has no NAT path to AWS's public endpoints. */
export const ENDPOINTS_WITHOUT_NAT = ['ssm', 'ssmmessages', 'ec2messages', 'kms', 'secretsmanager', 'logs', 'monitoring', 'sts'] as const;

/**
 * Without NAT, everything the fleet, the rotation function and the custom
 * resources call must have an endpoint, and the account guardrails must be able
 * to reach IAM and S3 Control, which have none.
 */
function checkPrivateReach(config: Config, ctx: Ctx): void {
  if (!isRecord(config.network) || config.network.natGateways !== 'none') return;
  ctx.addIssue({
    code: 'custom',
    path: ['network', 'natGateways'],
    message: 'none is not supported yet: the account guardrails call IAM and S3 Control, which have no VPC endpoints, and the findings webhook calls the internet; use single or perAz',
  });
  const endpoints = Array.isArray(config.network.interfaceEndpoints) ? config.network.interfaceEndpoints : DEFAULT_INTERFACE_ENDPOINTS;
  const needed: string[] = [...ENDPOINTS_WITHOUT_NAT];
  if (isRecord(config.keys) && isRecord(config.keys.cloudHsm) && config.keys.cloudHsm.enabled) needed.push('cloudhsmv2');
  const missing = needed.filter((name) => !endpoints.includes(name));
  if (missing.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['network', 'interfaceEndpoints'],
      message: `with natGateways: none the app subnets reach AWS only through endpoints; add ${missing.join(', ')}`,
    });
  }
}

export type RawConfig = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;

type Ctx = z.RefinementCtx;

/** Cross-field rules: names, zones, address space. Each names the field that is wrong. */
function checkEnvironments(config: Config, ctx: Ctx): void {
  if (!Array.isArray(config.environments) || !isRecord(config.network)) return;
  const prefixes = isRecord(config.network.subnetPrefixes) ? config.network.subnetPrefixes : { public: 24, app: 22, data: 24 };
  const avoidCidrs = Array.isArray(config.network.avoidCidrs) ? config.network.avoidCidrs : [];
  const seen = new Map<string, number>();
  const claimed: { index: number; cidr: string }[] = [];
  config.environments.forEach((env, index) => {
    if (!isRecord(env)) return;
    const at = (...path: (string | number)[]) => ['environments', index, ...path];
    const previous = seen.get(env.name);
    if (previous !== undefined) {
      ctx.addIssue({ code: 'custom', path: at('name'), message: `duplicate environment name "${env.name}" (also environments[${previous}])` });
    }
    seen.set(env.name, index);

    const profile = PROFILES[env.profile as keyof typeof PROFILES];
    if (!profile || typeof env.region !== 'string') return;
    const zones: unknown = config.network.availabilityZones;
    const zoneCount = typeof zones === 'number' ? zones : Array.isArray(zones) ? zones.length : profile.availabilityZones;
    if (zoneCount < profile.minimumAvailabilityZones) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'availabilityZones'],
        message: `environment "${env.name}" uses the ${env.profile} profile, which needs at least ${profile.minimumAvailabilityZones} Availability Zones; got ${zoneCount}`,
      });
    }
    const known = Object.hasOwn(REGION_ZONE_SUFFIXES, env.region) ? REGION_ZONE_SUFFIXES[env.region] : undefined;
    if (known && typeof zones === 'number' && zones > known.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'availabilityZones'],
        message: `${env.region} has ${known.length} zones by default; list zone names explicitly to use ${zones}`,
      });
    }
    if (Array.isArray(zones)) {
      zones.forEach((zone, z) => {
        // Malformed names are already reported by the field schema.
        if (typeof zone === 'string' && ZONE_NAME.test(zone) && !(zone.startsWith(env.region) && zone.length === env.region.length + 1)) {
          ctx.addIssue({ code: 'custom', path: ['network', 'availabilityZones', z], message: `zone "${zone}" is not in ${env.region} (environment "${env.name}")` });
        }
      });
      if (new Set(zones).size !== zones.length) {
        ctx.addIssue({ code: 'custom', path: ['network', 'availabilityZones'], message: 'zone names must not repeat' });
      }
    }

    const vpcCidr = env.cidr ?? config.network.cidr;
    if (typeof vpcCidr !== 'string') return;
    const cidrPath = env.cidr ? at('cidr') : ['network', 'cidr'];
    const parsed = parseCidr(vpcCidr);
    if (!parsed) return; // already reported by the field schema
    if (parsed.prefix < 16 || parsed.prefix > 24) {
      ctx.addIssue({ code: 'custom', path: cidrPath, message: `VPC CIDR ${vpcCidr} must be between /16 and /24` });
      return;
    }
    if (zoneCount >= 1 && !planSubnets(vpcCidr, zoneCount, prefixes)) {
      const p = prefixes;
      ctx.addIssue({
        code: 'custom',
        path: cidrPath,
        message: `${vpcCidr} is too small for ${zoneCount} zones × ${TIERS.length} tiers of subnets (/${p.public} public, /${p.app} app, /${p.data} data); use a larger VPC CIDR or smaller subnets`,
      });
    }
    for (const other of claimed) {
      const otherParsed = parseCidr(other.cidr);
      if (otherParsed && overlaps(parsed, otherParsed)) {
        ctx.addIssue({
          code: 'custom',
          path: cidrPath,
          message: `environment "${env.name}" uses ${vpcCidr}, which overlaps ${other.cidr} of environment "${config.environments[other.index]?.name}"; give each environment its own cidr`,
        });
      }
    }
    claimed.push({ index, cidr: vpcCidr });
    avoidCidrs.forEach((avoid, a) => {
      const avoidParsed = typeof avoid === 'string' ? parseCidr(avoid) : undefined;
      if (avoidParsed && overlaps(parsed, avoidParsed)) {
        ctx.addIssue({
          code: 'custom',
          path: cidrPath,
          message: `${vpcCidr} (environment "${env.name}") overlaps ${formatCidr(avoidParsed)} listed in network.avoidCidrs[${a}]`,
        });
      }
    });
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cross-field check reads unvalidated input and guards each field itself
function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
