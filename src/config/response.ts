import { z } from 'zod';
import { formatCidr, isCidr, overlaps, parseCidr } from './cidr';

/** GuardDuty finding types that mean an EC2 instance is compromised (prefixes: `Backdoor:EC2` matches `Backdoor:EC2/C&CActivity.B`). */
export const COMPROMISE_FINDING_TYPES = [
  'Backdoor:EC2',
  'CryptoCurrency:EC2',
  'Trojan:EC2',
  'UnauthorizedAccess:EC2',
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration',
] as const;

/** Responder sessions last at most one hour (the pillar's "least privilege, time bound"); not configurable. */
export const RESPONDER_SESSION_MINUTES = 60;

const principalArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]{1,512}|user\/[\w+=,.@/-]{1,512})$/,
    'must be an IAM role, user or account root ARN like arn:aws:iam::111111111111:role/SecurityResponders',
  );

const cleanRoom = z.strictObject({
  /** Build the forensic clean-room stack (`<app>-<env>-clean-room`). Off: the stack is not even synthesized. */
  enabled: z.boolean().default(false),
  /** The clean room's isolated VPC; must not overlap any environment or network.avoidCidrs. */
  cidr: z
    .string()
    .refine(isCidr, { error: 'must be an IPv4 CIDR on its network boundary (like 10.255.0.0/24) for the clean room' })
    .refine((c) => {
      const p = parseCidr(c);
      return !p || (p.prefix >= 16 && p.prefix <= 26);
    }, { error: 'must be between /16 and /26 (two /28 subnets at least)' })
    .default('10.255.0.0/24'),
  /** The forensic workstation: memory for analysis tools matters more than CPU. Graviton by default. */
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type like m7g.large').default('m7g.large'),
});

const CLEAN_ROOM_DEFAULTS = { enabled: false, cidr: '10.255.0.0/24', instanceType: 'm7g.large' };

export const responseSection = z.strictObject({
  /** Build the Response stack (evidence bucket, responder roles, isolation and release workflows). */
  enabled: z.boolean().default(true),
  /** GuardDuty finding types (or prefixes) that start isolation automatically. */
  findingTypes: z
    .array(z.string().regex(/^[A-Za-z]+:[\w&./:-]+$/, 'must be a GuardDuty finding type or prefix like Backdoor:EC2'))
    .min(1, 'list at least one finding type; set autoIsolate: false to stop automatic isolation')
    .default([...COMPROMISE_FINDING_TYPES]),
  /** Findings below this severity never isolate (7 = high; GuardDuty's scale runs 1-10). */
  minimumSeverity: z.number().min(1).max(10).default(7),
  /** Isolate on a matching finding without a human; off: only the Security Hub action and the CLI start it. */
  autoIsolate: z.boolean().default(true),
  /** standby keeps the instance in its group; detach removes it. Both launch a replacement. */
  autoScalingAction: z.enum(['standby', 'detach']).default('standby'),
  /** Capture memory through SSM Run Command before the final security-group swap. */
  memoryCapture: z.boolean().default(false),
  /** Record what isolation would do and change nothing. */
  dryRun: z.boolean().default(false),
  /** Seconds on the "untrack" group before the isolation group (lets tracked flows become untracked); the isolation workflow accepts 1-120. */
  untrackWaitSeconds: z
    .int()
    .min(1, 'at least 1 second: the isolation workflow waits on the untrack group before the isolation group')
    .max(120, 'at most 120 seconds: the isolation workflow accepts 1 to 120')
    .default(30),
  /** Days each evidence object is locked in S3 Object Lock COMPLIANCE mode: nobody, root included, can delete it sooner. */
  evidenceRetentionDays: z.int().min(30, 'at least 30 days: evidence must outlive the investigation').max(3653, 'at most 3653 days (10 years)').default(365),
  responders: z
    .strictObject({
      /** Who may assume the responder role (isolate, release, read cases). Empty: IAM principals of this account allowed by their own policies. */
      trustedPrincipalArns: z.array(principalArn).default([]),
      /** Who may assume the investigator role (read-only, evidence read), in addition to the trusted principals. */
      investigatorPrincipalArns: z.array(principalArn).default([]),
      /** Fixed: one hour. */
      maxSessionMinutes: z.literal(RESPONDER_SESSION_MINUTES).default(RESPONDER_SESSION_MINUTES),
    })
    .default({ trustedPrincipalArns: [], investigatorPrincipalArns: [], maxSessionMinutes: RESPONDER_SESSION_MINUTES }),
  cleanRoom: cleanRoom.default(CLEAN_ROOM_DEFAULTS),
});

export type ResponseConfig = z.output<typeof responseSection>;

/** The evidence bucket's fixed name, so the account trail can record its data events without a reference between stacks. */
export function evidenceBucketName(appName: string, environment: string, account: string): string {
  return `${appName}-${environment}-evidence-${account}`;
}

const S3_NAME_MAX = 63;

/**
 * Cross-field rules of the response section, called from the config's own
 * cross-field check: the clean room must not share address space with an
 * environment or with address space in use elsewhere, and the evidence bucket's
 * name must fit S3's limit. Reads unvalidated input defensively.
 */
export function checkResponse(config: { name?: unknown; environments?: unknown; network?: unknown; response?: unknown }, ctx: z.RefinementCtx): void {
  const response = record(config.response);
  const envs = Array.isArray(config.environments) ? config.environments.map(record) : [];
  if (typeof config.name === 'string' && (response?.enabled ?? true) !== false) {
    envs.forEach((env, index) => {
      if (typeof env?.name !== 'string' || typeof env.account !== 'string') return;
      const name = evidenceBucketName(config.name as string, env.name, env.account);
      if (name.length > S3_NAME_MAX) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', index, 'name'],
          message: `the evidence bucket name ${name} is ${name.length} characters; S3 allows ${S3_NAME_MAX}: shorten name or the environment name`,
        });
      }
    });
  }
  const room = record(response?.cleanRoom);
  if (!room || room.enabled !== true || typeof room.cidr !== 'string') return;
  const parsed = parseCidr(room.cidr);
  if (!parsed) return; // reported by the field schema
  const network = record(config.network);
  const taken: { cidr: unknown; what: string }[] = [
    ...envs.map((env) => ({ cidr: env?.cidr ?? network?.cidr, what: `environment "${String(env?.name)}"` })),
    ...(Array.isArray(network?.avoidCidrs) ? network.avoidCidrs : []).map((cidr: unknown, i: number) => ({ cidr, what: `network.avoidCidrs[${i}]` })),
  ];
  for (const { cidr, what } of taken) {
    const other = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
    if (other && overlaps(parsed, other)) {
      ctx.addIssue({ code: 'custom', path: ['response', 'cleanRoom', 'cidr'], message: `${room.cidr} overlaps ${formatCidr(other)} of ${what}; the clean room needs address space of its own` });
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads unvalidated input; each field is checked where used
function record(value: unknown): Record<string, any> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
