import type * as events from 'aws-cdk-lib/aws-events';

/**
 * EventBridge patterns for what the security team must hear about. Written
 * once here, so routing, guardrails and tests read the same patterns.
 */

/** GuardDuty findings at or above `minimumSeverity` (1–10: 4 medium, 7 high, 9 critical). */
export function guardDutyFindings(minimumSeverity: number): events.EventPattern {
  if (!(minimumSeverity >= 1 && minimumSeverity <= 10)) throw new Error(`GuardDuty severity threshold must be from 1 to 10 (got ${minimumSeverity})`);
  return { source: ['aws.guardduty'], detailType: ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', minimumSeverity] }] } };
}

/**
 * Products whose findings are routed from their own service. Their copies in
 * Security Hub are left out, so one finding raises one notification.
 */
export const DIRECTLY_ROUTED_PRODUCTS = ['GuardDuty', 'Inspector', 'IAM Access Analyzer'] as const;

/** New, active HIGH and CRITICAL Security Hub findings (control findings, and products not routed directly). */
export function securityHubFindings(): events.EventPattern {
  return {
    source: ['aws.securityhub'],
    detailType: ['Security Hub Findings - Imported'],
    detail: {
      findings: {
        Severity: { Label: ['HIGH', 'CRITICAL'] },
        Workflow: { Status: ['NEW'] },
        RecordState: ['ACTIVE'],
        ProductName: [{ 'anything-but': [...DIRECTLY_ROUTED_PRODUCTS] }],
      },
    },
  };
}

/** Active HIGH and CRITICAL Amazon Inspector findings (package and network reachability). */
export function inspectorFindings(): events.EventPattern {
  return { source: ['aws.inspector2'], detailType: ['Inspector2 Finding'], detail: { severity: ['HIGH', 'CRITICAL'], status: ['ACTIVE'] } };
}

/** Active IAM Access Analyzer findings: a resource shared outside the account. */
export function accessAnalyzerFindings(): events.EventPattern {
  return { source: ['aws.access-analyzer'], detailType: ['Access Analyzer Finding'], detail: { status: ['ACTIVE'] } };
}

/** A Config rule found a resource NON_COMPLIANT. */
export function configNonCompliance(): events.EventPattern {
  return {
    source: ['aws.config'],
    detailType: ['Config Rules Compliance Change'],
    detail: { messageType: ['ComplianceChangeNotification'], newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
  };
}

/** ACM's daily notice for a certificate 45 days or less from expiry. */
export function certificateExpiry(): events.EventPattern {
  return { source: ['aws.acm'], detailType: ['ACM Certificate Approaching Expiration'] };
}

/** Secrets Manager could not rotate a secret (a CloudTrail service event; needs a trail). */
export function secretRotationFailures(): events.EventPattern {
  return {
    source: ['aws.secretsmanager'],
    detailType: ['AWS Service Event via CloudTrail'],
    detail: { eventSource: ['secretsmanager.amazonaws.com'], eventName: ['RotationFailed'] },
  };
}

/**
 * Any request or console sign-in by the root user, except AWS services acting
 * for it. A rule sees only its own region's events, and root sign-ins and IAM
 * calls arrive in us-east-1: every region is watched by the trail's
 * `RootAccountUse` metric filter (standalone; the multi-region trail delivers all
 * regions to one log group) or by the organization trail's (organization mode).
 */
export function rootActivity(): events.EventPattern {
  return {
    detailType: ['AWS API Call via CloudTrail', 'AWS Console Sign In via CloudTrail'],
    detail: { userIdentity: { type: ['Root'], invokedBy: [{ exists: false }] }, eventType: [{ 'anything-but': 'AwsServiceEvent' }] },
  };
}

/** Key and secret calls the security team must hear about: protection weakened, policy rewritten, rotation changed. */
export const KEY_AND_SECRET_EVENTS = {
  'kms.amazonaws.com': ['PutKeyPolicy', 'DisableKey', 'ScheduleKeyDeletion', 'DisableKeyRotation'],
  'secretsmanager.amazonaws.com': ['CancelRotateSecret', 'RotateSecret', 'PutResourcePolicy', 'DeleteResourcePolicy', 'DeleteSecret'],
} as const;

/**
 * The calls in `KEY_AND_SECRET_EVENTS` as CloudTrail records them (needs a trail: the account's own,
 * or the organization's). Keys and secrets of this app live in the deploy region, where the rule runs.
 */
export function keyAndSecretChanges(): events.EventPattern {
  return {
    source: ['aws.kms', 'aws.secretsmanager'],
    detailType: ['AWS API Call via CloudTrail'],
    detail: { eventSource: Object.keys(KEY_AND_SECRET_EVENTS), eventName: Object.values(KEY_AND_SECRET_EVENTS).flat() },
  };
}

/**
 * A KMS grant created by a principal itself, not by an AWS service for a resource it manages
 * (those carry `userIdentity.invokedBy`): use of a key outside its policy.
 */
export function keyGrantsByPrincipals(): events.EventPattern {
  return {
    source: ['aws.kms'],
    detailType: ['AWS API Call via CloudTrail'],
    detail: { eventSource: ['kms.amazonaws.com'], eventName: ['CreateGrant'], userIdentity: { invokedBy: [{ exists: false }] } },
  };
}

/** AWS Config resource types whose configuration changes are routed (the SRA: changes to secrets and keys). */
export const WATCHED_CONFIGURATION_TYPES = ['AWS::SecretsManager::Secret', 'AWS::KMS::Key'] as const;

/**
 * AWS Config recorded a change to a secret or a key: its configuration item, or for an item too large
 * to carry (a long key policy) the summary of one.
 */
export function keyAndSecretConfigurationChanges(): events.EventPattern {
  const types = [...WATCHED_CONFIGURATION_TYPES];
  return {
    source: ['aws.config'],
    detailType: ['Config Configuration Item Change'],
    detail: {
      $or: [
        { messageType: ['ConfigurationItemChangeNotification'], configurationItem: { resourceType: types } },
        { messageType: ['OversizedConfigurationItemChangeNotification'], configurationItemSummary: { resourceType: types } },
      ],
    },
  };
}

/** CloudWatch alarms among `alarmArns` entering ALARM. */
export function alarmsRaised(alarmArns: readonly string[]): events.EventPattern {
  return {
    source: ['aws.cloudwatch'],
    detailType: ['CloudWatch Alarm State Change'],
    resources: [...alarmArns],
    detail: { state: { value: ['ALARM'] } },
  };
}
