import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type InstanceTarget, PatchManagement } from './patch-management';
import { SessionManagerPreferences } from './session-manager';

export interface SystemsManagerProps {
  /** Prefix of patch baseline, window and association names, e.g. `sra-app-dev`. */
  readonly name: string;
  /** The fleet's instances (`AppFleet.fleetTag` as `{ key, values: [value] }`). */
  readonly target: InstanceTarget;
  /** Encrypts Session Manager session data; see `SessionManagerPreferencesProps.sessionKey` for the policy it needs. */
  readonly sessionKey: kms.IKey;
  /** Encrypts the session and patch-output log groups. */
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  /** Also keep session transcripts here. @default - CloudWatch Logs only */
  readonly sessionBucket?: s3.IBucket;
  /** @default 20 */
  readonly idleSessionTimeoutMinutes?: number;
  /** @default 60 */
  readonly maxSessionDurationMinutes?: number;
  /** @default 'ssm-user' */
  readonly sessionUser?: string;
  /** The account's Session Manager preferences document already exists; see `SessionManagerPreferencesProps.adoptExistingDocument`. @default false */
  readonly adoptSessionPreferences?: boolean;
  /** @default 7 */
  readonly approveAfterDays?: number;
  /** @default 'default' */
  readonly patchBaselineRegistration?: 'default' | { readonly patchGroup: string };
  /** @default 'cron(0 3 ? * SUN *)' */
  readonly installSchedule?: string;
  /** @default 'UTC' */
  readonly scheduleTimezone?: string;
}

/**
 * Systems Manager for the app fleet, as the SRA uses it: Session Manager
 * instead of SSH or bastions (no key pair, no port 22 anywhere), and Patch
 * Manager with inventory.
 */
export class SystemsManager extends Construct {
  readonly sessions: SessionManagerPreferences;
  readonly patching: PatchManagement;

  constructor(scope: Construct, id: string, props: SystemsManagerProps) {
    super(scope, id);
    const logs = { logsKey: props.logsKey, logRetentionDays: props.logRetentionDays };
    this.sessions = new SessionManagerPreferences(this, 'Sessions', {
      ...logs,
      sessionKey: props.sessionKey,
      s3Bucket: props.sessionBucket,
      idleSessionTimeoutMinutes: props.idleSessionTimeoutMinutes,
      maxSessionDurationMinutes: props.maxSessionDurationMinutes,
      runAsDefaultUser: props.sessionUser,
      adoptExistingDocument: props.adoptSessionPreferences,
    });
    this.patching = new PatchManagement(this, 'Patching', {
      ...logs,
      name: props.name,
      target: props.target,
      approveAfterDays: props.approveAfterDays,
      registration: props.patchBaselineRegistration,
      installSchedule: props.installSchedule,
      scheduleTimezone: props.scheduleTimezone,
    });
  }

  /** Everything the fleet's role needs for sessions and patch output (`AppFleet.role`). */
  grantInstanceAccess(role: iam.IRole): void {
    this.sessions.grantInstanceAccess(role);
    this.patching.grantInstanceAccess(role);
  }
}
