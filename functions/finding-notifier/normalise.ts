import { type EventBridgeEvent } from 'aws-lambda';
import {
  accessAnalyzerFindingsLink,
  acmCertificateLink,
  cloudWatchAlarmLink,
  configRuleLink,
  guardDutyFindingLink,
  inspectorFindingsLink,
  secretLink,
  securityHubFindingLink,
} from './console-link';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One chat message's worth of a security event, the same shape whatever service raised it. */
export interface NormalisedFinding {
  /** EventBridge `source`, e.g. `aws.guardduty`. */
  readonly source: string;
  /** EventBridge `detail-type`, e.g. `GuardDuty Finding`. */
  readonly detailType: string;
  readonly title: string;
  readonly severity: Severity;
  /** ARN or id of the affected resource. */
  readonly resource?: string;
  readonly resourceType?: string;
  readonly account?: string;
  readonly region?: string;
  /** Console deep link; absent where the partition has no reachable console or the event has nothing to link to. */
  readonly link?: string;
  /** The finding's own id where it has one (GuardDuty id, ASFF Id, Inspector ARN), else the EventBridge event id. */
  readonly id?: string;
}

// Chat messages are meant to be read at a glance; long fields (alarm descriptions, resource lists) are clipped.
const MAX_TITLE = 200;
const MAX_RESOURCE = 300;

type Json = Record<string, unknown>;

/** The envelope fields every parser needs, read defensively: the runtime value need not match the declared type. */
interface Envelope {
  readonly id?: string;
  readonly source: string;
  readonly detailType: string;
  readonly account?: string;
  readonly region?: string;
  readonly resources: string[];
  readonly detail: Json | undefined;
}

type Parser = (e: Envelope) => NormalisedFinding[] | undefined;

/**
 * Turns an EventBridge event into the findings to notify. Never throws and never returns an empty list: an event of
 * an unknown shape, or a known detail-type whose detail is not what the service documents, becomes one generic
 * INFORMATIONAL message so nothing routed here disappears silently.
 */
export function normaliseEvent(event: EventBridgeEvent<string, unknown>): NormalisedFinding[] {
  const raw = rec(event);
  const envelope: Envelope = {
    id: str(raw?.id),
    source: str(raw?.source) ?? 'unknown',
    detailType: str(raw?.['detail-type']) ?? 'unknown',
    account: str(raw?.account),
    region: str(raw?.region),
    resources: arr(raw?.resources).map(str).filter((r): r is string => r !== undefined),
    detail: rec(raw?.detail),
  };
  const parser = PARSERS.get(`${envelope.source}|${envelope.detailType}`);
  const parsed = envelope.detail !== undefined && parser !== undefined ? parser(envelope) : undefined;
  return parsed !== undefined && parsed.length > 0 ? parsed : [generic(envelope)];
}

// Keyed on source and detail-type together: only AWS services can publish `aws.*` sources, so a custom event cannot
// pass itself off as, say, a GuardDuty finding.
const PARSERS = new Map<string, Parser>([
  ['aws.guardduty|GuardDuty Finding', guardDuty],
  ['aws.securityhub|Security Hub Findings - Imported', securityHub],
  ['aws.inspector2|Inspector2 Finding', inspector],
  ['aws.access-analyzer|Access Analyzer Finding', accessAnalyzer],
  ['aws.config|Config Rules Compliance Change', configCompliance],
  ['aws.acm|ACM Certificate Approaching Expiration', acmExpiry],
  ['aws.secretsmanager|AWS Service Event via CloudTrail', secretsManagerServiceEvent],
  ['aws.cloudwatch|CloudWatch Alarm State Change', cloudWatchAlarm],
]);

/** GuardDuty's bands: Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0. */
export function guardDutySeverity(value: unknown): Severity {
  const n = num(value);
  if (n === undefined) return 'LOW';
  if (n >= 9) return 'CRITICAL';
  if (n >= 7) return 'HIGH';
  if (n >= 4) return 'MEDIUM';
  return 'LOW';
}

/**
 * A severity label (ASFF, Inspector) to ours. Inspector's UNTRIAGED becomes INFORMATIONAL, as Security Hub maps it;
 * an unrecognised label also becomes INFORMATIONAL rather than guessing at urgency.
 */
export function labelSeverity(value: unknown): Severity | undefined {
  const label = str(value)?.toUpperCase();
  if (label === undefined) return undefined;
  if (label === 'INFO' || label === 'UNTRIAGED') return 'INFORMATIONAL';
  return (SEVERITIES as readonly string[]).includes(label) ? (label as Severity) : 'INFORMATIONAL';
}

/** ASFF Severity.Normalized ranges, for findings that carry no Label. */
function normalizedSeverity(value: unknown): Severity | undefined {
  const n = num(value);
  if (n === undefined) return undefined;
  if (n >= 90) return 'CRITICAL';
  if (n >= 70) return 'HIGH';
  if (n >= 40) return 'MEDIUM';
  if (n >= 1) return 'LOW';
  return 'INFORMATIONAL';
}

// GuardDuty puts the affected resource under a details block named after resource.resourceType. The type decides
// which block wins: S3 findings, for example, carry both the bucket and the caller's access key.
type KeyPath = readonly (string | number)[];
const GUARDDUTY_RESOURCE_PATHS = new Map<string, readonly KeyPath[]>([
  ['Instance', [['instanceDetails', 'instanceId']]],
  ['AccessKey', [['accessKeyDetails', 'accessKeyId'], ['accessKeyDetails', 'userName']]],
  ['S3Bucket', [['s3BucketDetails', 0, 'arn'], ['s3BucketDetails', 0, 'name']]],
  ['EKSCluster', [['eksClusterDetails', 'arn'], ['eksClusterDetails', 'name']]],
  ['ECSCluster', [['ecsClusterDetails', 'arn'], ['ecsClusterDetails', 'name']]],
  ['Container', [['containerDetails', 'id'], ['containerDetails', 'name']]],
  ['RDSDBInstance', [['rdsDbInstanceDetails', 'dbInstanceArn'], ['rdsDbInstanceDetails', 'dbInstanceIdentifier']]],
  ['Lambda', [['lambdaDetails', 'functionArn'], ['lambdaDetails', 'functionName']]],
]);
// For resource types added after this was written: any details block that names something beats no resource.
const GUARDDUTY_FALLBACK_PATHS = [...GUARDDUTY_RESOURCE_PATHS.values()].flat();

function guardDuty(e: Envelope): NormalisedFinding[] {
  const d = e.detail;
  const resource = rec(d?.resource);
  const resourceType = str(resource?.resourceType);
  const paths = [...(GUARDDUTY_RESOURCE_PATHS.get(resourceType ?? '') ?? []), ...GUARDDUTY_FALLBACK_PATHS];
  const id = str(d?.id);
  return [
    finding(e, {
      title: str(d?.title) ?? str(d?.type) ?? 'GuardDuty finding',
      severity: guardDutySeverity(d?.severity),
      resource: firstString(resource, paths),
      resourceType,
      account: str(d?.accountId) ?? e.account,
      region: str(d?.region) ?? e.region,
      link: guardDutyFindingLink(e.region, id),
      id,
    }),
  ];
}

function securityHub(e: Envelope): NormalisedFinding[] {
  return arr(e.detail?.findings)
    .map(rec)
    .filter((f): f is Json => f !== undefined)
    .map((f) => {
      const severity = rec(f.Severity);
      const firstResource = rec(arr(f.Resources)[0]);
      const id = str(f.Id);
      return finding(e, {
        title: str(f.Title) ?? 'Security Hub finding',
        severity: labelSeverity(severity?.Label) ?? normalizedSeverity(severity?.Normalized) ?? 'INFORMATIONAL',
        resource: str(firstResource?.Id),
        resourceType: str(firstResource?.Type),
        account: str(f.AwsAccountId) ?? e.account,
        region: str(f.Region) ?? e.region,
        // The event arrives in the aggregation region, which is where the console can show the finding.
        link: securityHubFindingLink(e.region, id),
        id,
      });
    });
}

function inspector(e: Envelope): NormalisedFinding[] {
  const d = e.detail;
  const firstResource = rec(arr(d?.resources)[0]);
  return [
    finding(e, {
      title: str(d?.title) ?? 'Inspector finding',
      severity: labelSeverity(d?.severity) ?? 'INFORMATIONAL',
      resource: str(firstResource?.id) ?? e.resources[0],
      resourceType: str(firstResource?.type),
      account: str(d?.awsAccountId) ?? e.account,
      region: str(firstResource?.region) ?? e.region,
      link: inspectorFindingsLink(e.region),
      id: str(d?.findingArn),
    }),
  ];
}

function accessAnalyzer(e: Envelope): NormalisedFinding[] {
  const d = e.detail;
  const resource = str(d?.resource);
  const isPublic = d?.isPublic === true;
  const principal = describePrincipal(d?.principal);
  // Access Analyzer also emits an event when a finding is archived or resolved: still worth a line, not an alert.
  const status = str(d?.status);
  const active = status === undefined || status === 'ACTIVE';
  const who = isPublic ? ' (public)' : principal === undefined ? '' : ` from ${principal}`;
  return [
    finding(e, {
      title: `${active ? '' : `[${status}] `}External access to ${resource ?? 'a resource'}${who}`,
      severity: active ? (isPublic ? 'HIGH' : 'MEDIUM') : 'INFORMATIONAL',
      resource,
      resourceType: str(d?.resourceType),
      account: str(d?.accountId) ?? e.account,
      region: str(d?.region) ?? e.region,
      link: accessAnalyzerFindingsLink(e.region),
      id: str(d?.id),
    }),
  ];
}

function configCompliance(e: Envelope): NormalisedFinding[] {
  const d = e.detail;
  const rule = str(d?.configRuleName);
  const compliance = str(path(d, 'newEvaluationResult', 'complianceType'));
  const qualifier = path(d, 'newEvaluationResult', 'evaluationResultIdentifier', 'evaluationResultQualifier');
  return [
    finding(e, {
      title: `Config rule ${rule ?? '(unnamed)'}: ${compliance ?? 'compliance changed'}`,
      severity: compliance === 'NON_COMPLIANT' ? 'MEDIUM' : 'INFORMATIONAL',
      resource: str(d?.resourceId) ?? str(path(qualifier, 'resourceId')),
      resourceType: str(d?.resourceType) ?? str(path(qualifier, 'resourceType')),
      account: str(d?.awsAccountId) ?? e.account,
      region: str(d?.awsRegion) ?? e.region,
      link: configRuleLink(e.region, rule),
    }),
  ];
}

function acmExpiry(e: Envelope): NormalisedFinding[] {
  const d = e.detail;
  const days = num(d?.DaysToExpiry);
  const name = str(d?.CommonName) ?? 'certificate';
  const certificateArn = e.resources[0];
  return [
    finding(e, {
      title:
        days === undefined
          ? `Certificate ${name} is approaching expiry`
          : `Certificate ${name} expires in ${days} day${days === 1 ? '' : 's'}`,
      severity: days !== undefined && days <= 7 ? 'HIGH' : 'MEDIUM',
      resource: certificateArn,
      resourceType: 'AWS::CertificateManager::Certificate',
      link: acmCertificateLink(e.region, certificateArn),
    }),
  ];
}

function secretsManagerServiceEvent(e: Envelope): NormalisedFinding[] | undefined {
  const d = e.detail;
  // Only RotationFailed is an alert; other Secrets Manager service events fall through to the generic message.
  if (str(d?.eventName) !== 'RotationFailed') return undefined;
  const secretId = str(path(d, 'additionalEventData', 'SecretId')) ?? e.resources[0];
  return [
    finding(e, {
      title: `Secret rotation failed${secretId === undefined ? '' : `: ${secretId}`}`,
      severity: 'HIGH',
      resource: secretId,
      resourceType: 'AWS::SecretsManager::Secret',
      account: str(d?.recipientAccountId) ?? e.account,
      region: str(d?.awsRegion) ?? e.region,
      link: secretLink(e.region, secretId),
      id: str(d?.eventID),
    }),
  ];
}

function cloudWatchAlarm(e: Envelope): NormalisedFinding[] {
  const d = e.detail;
  const name = str(d?.alarmName) ?? 'CloudWatch alarm';
  const description = str(path(d, 'configuration', 'description'));
  const state = str(path(d, 'state', 'value'));
  const alarm = state === 'ALARM';
  return [
    finding(e, {
      // Returning to OK or INSUFFICIENT_DATA is reported too (a rule may route every change), but only as information.
      title: alarm
        ? `${name}${description === undefined ? '' : `: ${description}`}`
        : `${name} is now ${state ?? 'in an unknown state'}`,
      severity: alarm ? 'HIGH' : 'INFORMATIONAL',
      resource: e.resources[0],
      resourceType: 'AWS::CloudWatch::Alarm',
      link: cloudWatchAlarmLink(e.region, str(d?.alarmName)),
    }),
  ];
}

function generic(e: Envelope): NormalisedFinding {
  const shown = e.resources.slice(0, 3).join(', ');
  const more = e.resources.length > 3 ? ` (+${e.resources.length - 3} more)` : '';
  return finding(e, {
    title: `${e.detailType} from ${e.source}`,
    severity: 'INFORMATIONAL',
    resource: shown === '' ? undefined : `${shown}${more}`,
  });
}

/** Fills account/region/id from the envelope, keeps each field on one line and clipped, and drops absent fields. */
function finding(e: Envelope, f: Omit<NormalisedFinding, 'source' | 'detailType'>): NormalisedFinding {
  const out: Record<string, unknown> = {
    source: e.source,
    detailType: e.detailType,
    title: clip(oneLine(f.title), MAX_TITLE),
    severity: f.severity,
    resource: f.resource === undefined ? undefined : clip(oneLine(f.resource), MAX_RESOURCE),
    resourceType: f.resourceType,
    account: f.account ?? e.account,
    region: f.region ?? e.region,
    link: f.link,
    id: f.id ?? e.id,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out as unknown as NormalisedFinding;
}

function describePrincipal(value: unknown): string | undefined {
  const principal = rec(value);
  if (principal === undefined) return str(value);
  const parts = Object.values(principal).flatMap((v) => (Array.isArray(v) ? v : [v])).map(str);
  const names = parts.filter((p): p is string => p !== undefined);
  return names.length === 0 ? undefined : names.join(', ');
}

function firstString(root: unknown, paths: readonly KeyPath[]): string | undefined {
  for (const p of paths) {
    const value = str(path(root, ...p));
    if (value !== undefined) return value;
  }
  return undefined;
}

function path(root: unknown, ...keys: KeyPath): unknown {
  let current = root;
  for (const key of keys) current = typeof key === 'number' ? arr(current)[key] : rec(current)?.[key];
  return current;
}

function rec(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
