import { z } from 'zod';

/**
 * Account singletons: AWS allows one per account and Region, so CloudFormation
 * fails to create one that already exists. For each, `create` (the stacks
 * create it) or `adopt` (the account already has it; the stacks use it and
 * leave it alone). `npm run preflight` reports which ones exist.
 */
const createOrAdopt = z.enum(['create', 'adopt']);

/** GuardDuty detector ids are 32 lowercase hex characters (`aws guardduty list-detectors`). */
const detectorId = z.string().regex(/^[0-9a-f]{32}$/, 'must be the existing detector id, 32 lowercase hex characters (aws guardduty list-detectors)');

const guardDutyDetector = z.union([z.literal('create'), z.strictObject({ adopt: detectorId })], {
  error: 'must be create, or { adopt: <detector id> } for the detector the account already has',
});

/** Security Hub standards, as `detection.securityHubStandards` names them. */
const STANDARD_NAMES = ['aws-foundational-security-best-practices', 'cis-aws-foundations-benchmark-3.0', 'nist-800-53-r5'] as const;

/** The switches, without defaults: shared by the config-wide section and the per-environment overrides. */
const switchShape = {
  /** create, or `{ adopt: <detector id> }`: the existing detector keeps its own protection plans and publishing frequency. Standalone mode only. */
  guardDutyDetector,
  /** adopt: no `AWS::SecurityHub::Hub`; the configured standards are still subscribed. Standalone mode only. */
  securityHub: createOrAdopt,
  /** adopt: no recorder (nor, with it, the Config service-linked role); the rules use the existing recorder. Standalone mode only. */
  configRecorder: createOrAdopt,
  /** adopt: no delivery channel; history goes wherever the existing channel delivers. Standalone mode only. */
  configDeliveryChannel: createOrAdopt,
  /** The account-level analyzer of type ACCOUNT (external access). */
  externalAccessAnalyzer: createOrAdopt,
  /** The account-level analyzer of type ACCOUNT_UNUSED_ACCESS. */
  unusedAccessAnalyzer: createOrAdopt,
  /** The `SSM-SessionManagerRunShell` document; adopt: its existing preferences govern every session. */
  sessionManagerPreferences: createOrAdopt,
  /**
   * Standards the account's (adopted) hub already has enabled: Security Hub refuses to enable one
   * twice ("Standards is already enabled"), so the stacks leave these alone. Standalone mode only.
   */
  enabledSecurityHubStandards: z.array(z.enum(STANDARD_NAMES)),
} as const;

/** The singletons: one per account and Region each. */
export type ExistingResourceSwitch = Exclude<keyof typeof switchShape, 'enabledSecurityHubStandards'>;

export const SWITCH_DEFAULTS = {
  guardDutyDetector: 'create',
  securityHub: 'create',
  configRecorder: 'create',
  configDeliveryChannel: 'create',
  externalAccessAnalyzer: 'create',
  unusedAccessAnalyzer: 'create',
  sessionManagerPreferences: 'create',
} as const satisfies Record<ExistingResourceSwitch, unknown>;

type Field = keyof typeof switchShape;
const overrides = z.strictObject(Object.fromEntries(Object.entries(switchShape).map(([k, s]) => [k, s.optional()])) as { [K in Field]: z.ZodOptional<(typeof switchShape)[K]> });

export const existingResources = z
  .strictObject({
    guardDutyDetector: guardDutyDetector.default(SWITCH_DEFAULTS.guardDutyDetector),
    securityHub: createOrAdopt.default('create'),
    configRecorder: createOrAdopt.default('create'),
    configDeliveryChannel: createOrAdopt.default('create'),
    externalAccessAnalyzer: createOrAdopt.default('create'),
    unusedAccessAnalyzer: createOrAdopt.default('create'),
    sessionManagerPreferences: createOrAdopt.default('create'),
    enabledSecurityHubStandards: switchShape.enabledSecurityHubStandards.default([]),
    /** Per environment (by name), switches that differ from the ones above: accounts differ, and detector ids always do. */
    byEnvironment: z.record(z.string(), overrides).default({}),
  })
  .default({ ...SWITCH_DEFAULTS, enabledSecurityHubStandards: [], byEnvironment: {} });

export type ExistingResourcesConfig = z.output<typeof existingResources>;

/** The switches of one environment, overrides applied. */
export type ExistingResources = { readonly [K in Field]: z.output<(typeof switchShape)[K]> };

export function existingResourcesFor(section: ExistingResourcesConfig, environment: string): ExistingResources {
  const { byEnvironment, ...common } = section;
  const own = Object.hasOwn(byEnvironment, environment) ? byEnvironment[environment]! : {};
  const defined = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined));
  return { ...common, ...defined } as ExistingResources;
}

/** The detector id when the detector is adopted. */
export function adoptedDetectorId(resources: ExistingResources): string | undefined {
  return typeof resources.guardDutyDetector === 'object' ? resources.guardDutyDetector.adopt : undefined;
}

/** What each switch governs, and in which modes the stacks create it. */
export const SINGLETONS: Readonly<Record<ExistingResourceSwitch, { readonly what: string; readonly standaloneOnly: boolean }>> = {
  guardDutyDetector: { what: 'the GuardDuty detector', standaloneOnly: true },
  securityHub: { what: 'the Security Hub subscription', standaloneOnly: true },
  configRecorder: { what: 'the AWS Config recorder', standaloneOnly: true },
  configDeliveryChannel: { what: 'the AWS Config delivery channel', standaloneOnly: true },
  externalAccessAnalyzer: { what: 'the account external-access analyzer (type ACCOUNT)', standaloneOnly: false },
  unusedAccessAnalyzer: { what: 'the account unused-access analyzer (type ACCOUNT_UNUSED_ACCESS)', standaloneOnly: false },
  sessionManagerPreferences: { what: 'the SSM-SessionManagerRunShell document', standaloneOnly: false },
};

/** The singletons the stacks create for an environment in `mode`, given its switches. */
export function singletonsCreated(mode: string, resources: ExistingResources): ExistingResourceSwitch[] {
  return (Object.keys(SINGLETONS) as ExistingResourceSwitch[]).filter((s) => (mode === 'standalone' || !SINGLETONS[s].standaloneOnly) && resources[s] === 'create');
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Cross-field rules: overrides name real environments, and no two environments
 * of one account and Region both create the same singleton (the second
 * deployment would fail). Reads the input defensively: it runs even when
 * other fields are wrong.
 */
export function checkExistingResources(config: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (!Array.isArray(config.environments)) return;
  const envs = config.environments.filter(isRecord);
  const parsed = existingResources.safeParse(config.existingResources);
  if (!parsed.success) return;
  const section = parsed.data;
  const names = envs.map((e) => e.name).filter((n): n is string => typeof n === 'string');
  for (const name of Object.keys(section.byEnvironment)) {
    if (!names.includes(name)) {
      ctx.addIssue({ code: 'custom', path: ['existingResources', 'byEnvironment', name], message: `names no environment; environments: ${names.join(', ')}` });
    }
  }
  for (const env of envs) {
    if (typeof env.name !== 'string') continue;
    const resolved = existingResourcesFor(section, env.name);
    if (resolved.enabledSecurityHubStandards.length > 0 && resolved.securityHub === 'create') {
      ctx.addIssue({ code: 'custom', path: ['existingResources', 'enabledSecurityHubStandards'], message: `environment "${env.name}" creates its hub, which starts with no standard enabled; list enabled standards only with securityHub: adopt` });
    }
  }
  const mode = typeof config.mode === 'string' ? config.mode : 'standalone';
  const firstCreator = new Map<string, string>();
  for (const env of envs) {
    if (typeof env.name !== 'string' || typeof env.account !== 'string' || typeof env.region !== 'string') continue;
    // Collisions of this environment with earlier ones, by the earlier environment's name.
    const collisions = new Map<string, ExistingResourceSwitch[]>();
    for (const singleton of singletonsCreated(mode, existingResourcesFor(section, env.name))) {
      const key = `${env.account}/${env.region}/${singleton}`;
      const first = firstCreator.get(key);
      if (first === undefined) firstCreator.set(key, env.name);
      else collisions.set(first, [...(collisions.get(first) ?? []), singleton]);
    }
    for (const [first, singletons] of collisions) {
      const settings = singletons.map((s) => `${s}: ${s === 'guardDutyDetector' ? '{ adopt: <detector id> }' : 'adopt'}`).join(', ');
      ctx.addIssue({
        code: 'custom',
        path: ['existingResources', 'byEnvironment', env.name],
        message: `environments "${first}" and "${env.name}" are both in account ${env.account} ${env.region} and would both create ${singletons.map((s) => SINGLETONS[s].what).join(', ')} (one per account and Region); set existingResources.byEnvironment.${env.name}: { ${settings} }, or use another account or Region`,
      });
    }
  }
}
