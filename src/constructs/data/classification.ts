import { Tags } from 'aws-cdk-lib';
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
