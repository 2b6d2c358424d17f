import { z } from 'zod';

/** E.164, as Shield's EmergencyContact.PhoneNumber requires. */
const PHONE = /^\+[1-9]\d{1,14}$/;
/** Shield's ContactNotes pattern. */
const NOTES = /^[\w\s.\-,:/()+@]*$/;

const emergencyContact = z.strictObject({
  email: z.email({ error: 'must be an email address' }).max(150, 'at most 150 characters (Shield limit)'),
  /** E.164, like +4915112345678; the Shield Response Team calls it during an event. */
  phone: z.string().regex(PHONE, 'must be an E.164 phone number like +4915112345678').optional(),
  notes: z.string().max(1024, 'at most 1024 characters (Shield limit)').regex(NOTES, 'may use letters, digits, spaces and . - , : / ( ) + @ _ only').optional(),
});

/**
 * AWS Shield Advanced for the load balancer (opt-in: the subscription costs
 * $3,000 a month with a one-year commitment, and is a prerequisite: no
 * CloudFormation resource creates it).
 */
export const shieldAdvanced = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** What Shield's automatic application-layer mitigation does with the rules it writes into the web ACL. */
    automaticMitigation: z.enum(['block', 'count', 'off']).default('block'),
    /** Let the Shield Response Team read the web ACL and the protection during an event (needs Business or Enterprise Support). */
    responseTeamAccess: z.boolean().default(true),
    /** The Shield Response Team calls the emergency contacts when a health check turns unhealthy during an event. */
    proactiveEngagement: z.boolean().default(true),
    /** 1-10 contacts; proactive engagement needs at least one with a phone number. */
    emergencyContacts: z.array(emergencyContact).max(10, 'at most 10 emergency contacts (Shield limit)').default([]),
  })
  .superRefine((shield, ctx) => {
    if (!shield.enabled || !shield.proactiveEngagement) return;
    if (shield.emergencyContacts.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['emergencyContacts'], message: 'proactive engagement needs at least one emergency contact (email and phone); add one or set proactiveEngagement: false' });
    } else if (!shield.emergencyContacts.some((c) => c.phone)) {
      ctx.addIssue({ code: 'custom', path: ['emergencyContacts'], message: 'proactive engagement needs a phone number on at least one emergency contact: the Shield Response Team calls it' });
    }
  });

export type ShieldAdvancedSettings = z.output<typeof shieldAdvanced>;
