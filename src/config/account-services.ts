import { z } from 'zod';

/**
 * Account-level security services of the detection section: alternate
 * contacts, Macie, the Inspector CIS scan of the fleet, Security Incident
 * Response readiness and Audit Manager. Each value is checked against what the
 * AWS API accepts, so a deployment never fails on it.
 */

// Account API (PutAlternateContact) limits and patterns.
const contact = z.strictObject({
  name: z.string().min(1).max(64, 'at most 64 characters (Account API limit)'),
  title: z.string().min(1).max(50, 'at most 50 characters (Account API limit)'),
  email: z
    .string()
    .max(254, 'at most 254 characters (Account API limit)')
    .regex(/^[\w+=.#|!&-]+@[\w.-]+\.\w+$/, 'must be an email address the Account API accepts (letters, digits, + = . # | ! & - before the @)'),
  phone: z
    .string()
    .min(1)
    .max(25, 'at most 25 characters (Account API limit)')
    .regex(/^[\s0-9()+-]+$/, 'may hold only digits, spaces, ( ) + and - (Account API pattern)')
    .refine((p) => /\d/.test(p), { error: 'must contain digits' }),
});

/** Who AWS writes to about security, operations and billing, besides the root address. */
export const alternateContacts = z.strictObject({ security: contact, operations: contact, billing: contact });

export const CIS_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/** Time zones Inspector accepts: IANA names (this runtime's list) and UTC. */
function isTimeZone(zone: string): boolean {
  return zone === 'UTC' || Intl.supportedValuesOf('timeZone').includes(zone);
}

/** Inspector CIS scan configuration schedule (AWS::InspectorV2::CisScanConfiguration Schedule). */
const cisSchedule = z
  .strictObject({
    frequency: z.enum(['daily', 'weekly', 'monthly']),
    /** weekly: the days it runs. */
    days: z.array(z.enum(CIS_DAYS)).min(1).max(7).optional(),
    /** monthly: the weekday of the month's first week it runs on. */
    day: z.enum(CIS_DAYS).optional(),
    /** HH:MM, 24-hour. */
    time: z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour), like 05:00'),
    timeZone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone name, like UTC or Europe/Dublin' }),
  })
  .superRefine((s, ctx) => {
    if (s.frequency === 'weekly' && !s.days) ctx.addIssue({ code: 'custom', path: ['days'], message: 'required for a weekly schedule: the days it runs, like [SUN]' });
    if (s.frequency !== 'weekly' && s.days) ctx.addIssue({ code: 'custom', path: ['days'], message: `only for a weekly schedule (frequency is ${s.frequency})` });
    if (s.frequency === 'monthly' && !s.day) ctx.addIssue({ code: 'custom', path: ['day'], message: 'required for a monthly schedule: the weekday it runs, like SUN' });
    if (s.frequency !== 'monthly' && s.day) ctx.addIssue({ code: 'custom', path: ['day'], message: `only for a monthly schedule (frequency is ${s.frequency})` });
    if (s.days && new Set(s.days).size !== s.days.length) ctx.addIssue({ code: 'custom', path: ['days'], message: 'days must not repeat' });
  });

export type CisSchedule = z.output<typeof cisSchedule>;

const DEFAULT_CIS_SCHEDULE = { frequency: 'weekly', days: ['SUN'], time: '05:00', timeZone: 'UTC' } as const;

/** CIS benchmark scans of the fleet by Amazon Inspector (standalone mode, where this account runs Inspector). */
export const cisScan = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** LEVEL_1: the CIS level 1 profile; LEVEL_2 adds the stricter checks. */
    level: z.enum(['LEVEL_1', 'LEVEL_2']).default('LEVEL_1'),
    /** After the weekly patch window by default, so the scan sees the patched hosts. */
    schedule: cisSchedule.default({ ...DEFAULT_CIS_SCHEDULE, days: [...DEFAULT_CIS_SCHEDULE.days] }),
  })
  .default({ enabled: true, level: 'LEVEL_1', schedule: { ...DEFAULT_CIS_SCHEDULE, days: [...DEFAULT_CIS_SCHEDULE.days] } });

/** Amazon Macie (standalone mode; the organization's delegated administrator enables members otherwise). */
export const macie = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** How often updated policy findings are published to Security Hub and EventBridge. */
    findingPublishingFrequency: z.enum(['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS']).default('FIFTEEN_MINUTES'),
  })
  .default({ enabled: true, findingPublishingFrequency: 'FIFTEEN_MINUTES' });

/** AWS Security Incident Response readiness: the roles the service uses in this account. Membership itself is the organization's. */
export const securityIncidentResponse = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Set false when the account already has the triage service-linked role (one per account). */
    createTriageServiceLinkedRole: z.boolean().default(true),
    /** The roles the service's engineers use for containment (EC2, IAM, S3 runbooks); they act only after you set containment preferences with AWS. */
    containmentRoles: z.boolean().default(true),
  })
  .default({ enabled: false, createTriageServiceLinkedRole: true, containmentRoles: true });

const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

/** AWS Audit Manager assessments, for accounts that already use Audit Manager (it takes no new customers since 30 April 2026). */
export const auditManager = z
  .strictObject({
    enabled: z.boolean().default(false),
    /**
     * Standard framework ids (Audit Manager console → Framework library, or
     * `aws auditmanager list-assessment-frameworks --framework-type Standard`):
     * NIST SP 800-53 Rev 5, PCI DSS and HIPAA, the frameworks the compliance packs check.
     */
    frameworkIds: z.array(z.string().regex(UUID, 'must be an Audit Manager framework id: a lowercase UUID like 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d')).max(10).default([]),
    /** The assessment's process owner (Audit Manager requires one): the name of an IAM role in each environment's account. */
    processOwnerRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name (1-64 letters, digits or + = , . @ _ -)').optional(),
  })
  .default({ enabled: false, frameworkIds: [] });

type Ctx = z.RefinementCtx;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Cross-field rules of these services; reads the raw input defensively, as the other checks do. */
export function checkAccountServices(config: { mode?: unknown; detection?: unknown }, ctx: Ctx): void {
  const detection = record(config.detection);
  if (config.mode === 'standalone' && detection?.alternateContacts === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['detection', 'alternateContacts'],
      message: 'required in standalone mode: security, operations and billing contacts (name, title, email, phone), so AWS security notices reach the security team and not only the root address',
    });
  }
  const audit = record(detection?.auditManager);
  if (audit?.enabled === true) {
    if (!Array.isArray(audit.frameworkIds) || audit.frameworkIds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['detection', 'auditManager', 'frameworkIds'], message: 'list at least one framework id when Audit Manager is enabled' });
    } else if (new Set(audit.frameworkIds).size !== audit.frameworkIds.length) {
      ctx.addIssue({ code: 'custom', path: ['detection', 'auditManager', 'frameworkIds'], message: 'framework ids must not repeat (one assessment per framework)' });
    }
    if (audit.processOwnerRoleName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['detection', 'auditManager', 'processOwnerRoleName'], message: 'required when Audit Manager is enabled: every assessment needs a process owner role' });
    }
  }
}
