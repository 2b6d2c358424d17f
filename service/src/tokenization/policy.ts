import type { Classification } from '../config';

/** Sensitive attributes a document may carry. */
export const SENSITIVE_FIELDS = ['nationalId', 'dateOfBirth', 'email'] as const;
export type SensitiveField = (typeof SENSITIVE_FIELDS)[number];

/**
 * Which attributes are tokenized, by the workload's data classification (`data.classification`).
 * A national identifier is never stored in clear; the stricter the class, the more fields leave
 * the database for the token vault.
 */
export const TOKENIZED_FIELDS: Record<Classification, readonly SensitiveField[]> = {
  public: ['nationalId'],
  internal: ['nationalId'],
  confidential: ['nationalId', 'dateOfBirth'],
  critical: ['nationalId', 'dateOfBirth', 'email'],
};
