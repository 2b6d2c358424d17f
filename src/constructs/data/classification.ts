import { Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'critical'] as const;
export type DataClassification = (typeof CLASSIFICATIONS)[number];

/** The tag keys every data resource carries, so backups, policies and reviewers can act on them. */
export const CLASSIFICATION_TAG = 'DataClassification';
export const OWNER_TAG = 'Owner';

/**
 * Tags everything under `scope` with its classification and owner (the
 * Security Pillar's data classification). RDS copies the tags to snapshots and
 * AWS Backup to recovery points; backup selection keys on the classification tag.
 */
export function classify(scope: IConstruct, classification: DataClassification, owner: string): void {
  // Priority above stage-wide tags, so a data resource's owner is the data owner.
  Tags.of(scope).add(CLASSIFICATION_TAG, classification, { priority: 200 });
  Tags.of(scope).add(OWNER_TAG, owner, { priority: 200 });
}

/** The principal tag that carries a role's clearance; a role may touch data of its clearance and below. */
export const CLEARANCE_TAG = 'DataClearance';

/** What each classification requires of the data tier (the Security Pillar: map each level to the controls it needs). */
export interface ClassificationControls {
  /** Object Lock mode the data bucket must use; the loader refuses a weaker one. */
  readonly objectLock: 'optional' | 'COMPLIANCE';
  /** Every recovery point is copied to a vault in another region or account (`backup.copyToVaultArn`, required by the loader). */
  readonly backupCopy: boolean;
  /** With CloudHSM on, the data key is the HSM-backed key (`keys.hsmBackedKeyArns.data`) once the runbook has created it. */
  readonly hsmBackedKey: boolean;
  /** Sensitive fields the service replaces by tokens from the token vault (service/src/tokenization/policy.ts). */
  readonly tokenizedFields: readonly string[];
  /** Only principals tagged `DataClearance` at this level or above reach the objects and use the data keys directly. */
  readonly clearance: boolean;
}

export const CLASSIFICATION_CONTROLS: Readonly<Record<DataClassification, ClassificationControls>> = {
  public: { objectLock: 'optional', backupCopy: false, hsmBackedKey: false, tokenizedFields: ['nationalId'], clearance: false },
  internal: { objectLock: 'optional', backupCopy: false, hsmBackedKey: false, tokenizedFields: ['nationalId'], clearance: false },
  confidential: { objectLock: 'optional', backupCopy: false, hsmBackedKey: false, tokenizedFields: ['nationalId', 'dateOfBirth'], clearance: true },
  critical: { objectLock: 'COMPLIANCE', backupCopy: true, hsmBackedKey: true, tokenizedFields: ['nationalId', 'dateOfBirth', 'email'], clearance: true },
};

/** Clearances that may touch data of `classification`: its own and every higher one. */
export function clearancesFor(classification: DataClassification): DataClassification[] {
  return CLASSIFICATIONS.slice(CLASSIFICATIONS.indexOf(classification));
}

/** Tags a role this project creates with the clearance its work needs. */
export function grantClearance(role: IConstruct, classification: DataClassification): void {
  Tags.of(role).add(CLEARANCE_TAG, classification, { priority: 200 });
}

/**
 * Denies `actions` on `resources` to principals without a matching clearance
 * when the classification asks for it. `directOnly`: only calls made straight
 * to the resource (no `kms:ViaService`) by non-service principals, so keys
 * that AWS services use on a caller's behalf keep working; the bucket's own
 * statement covers the S3 path.
 */
export function clearanceStatement(classification: DataClassification, actions: readonly string[], resources: readonly string[], directOnly = false): iam.PolicyStatement | undefined {
  if (!CLASSIFICATION_CONTROLS[classification].clearance) return undefined;
  return new iam.PolicyStatement({
    sid: 'OnlyClearedPrincipals',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...actions],
    resources: [...resources],
    conditions: {
      StringNotEquals: { [`aws:PrincipalTag/${CLEARANCE_TAG}`]: clearancesFor(classification) },
      ...(directOnly ? { Null: { 'kms:ViaService': 'true' }, Bool: { 'aws:PrincipalIsAWSService': 'false' } } : {}),
    },
  });
}
