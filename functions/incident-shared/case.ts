/** What every step receives about the case. */
export interface CaseRef {
  readonly caseId: string;
  readonly instanceId: string;
  readonly instanceArn: string;
  readonly dryRun: boolean;
  /** The finding's type, or `manual`. */
  readonly findingType: string;
  /** Where the case record lives and its SHA-256 (hex), also tagged on the instance. */
  readonly record: { readonly key: string; readonly sha256: string };
  readonly prior: PriorState;
}

export interface EniState {
  readonly networkInterfaceId: string;
  readonly subnetId: string;
  readonly groupIds: string[];
  readonly privateIps: string[];
  readonly networkAclId?: string;
}

export interface AclEntryState {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly action: string;
  readonly cidr?: string;
  readonly protocol: string;
  readonly portRange?: { from?: number; to?: number };
}

export interface PriorState {
  readonly networkInterfaces: EniState[];
  readonly instanceProfileArn?: string;
  readonly autoScaling?: { readonly groupName: string; readonly lifecycleState: string };
  readonly targetGroups: { readonly targetGroupArn: string; readonly port?: number }[];
  readonly networkAcls: { readonly networkAclId: string; readonly entries: AclEntryState[] }[];
  readonly volumes: { readonly deviceName: string; readonly volumeId: string; readonly deleteOnTermination: boolean }[];
  readonly disableApiTermination: boolean;
  readonly shutdownBehavior: string;
}

/** The record written to the evidence bucket when a case opens; release restores from it. */
export interface CaseRecord {
  readonly schema: 1;
  readonly caseId: string;
  readonly instanceId: string;
  readonly openedAt: string;
  readonly finding?: unknown;
  readonly prior: PriorState;
}

/** What a step did, would do (dry run), and could not do. Nothing is left out silently. */
export interface StepReport {
  readonly step: string;
  readonly done: string[];
  readonly planned: string[];
  readonly notDone: string[];
}

export const TAG = {
  case: 'incident:case',
  recordSha256: 'incident:record-sha256',
  status: 'incident:status',
  finding: 'incident:finding',
  releasedCase: 'incident:released-case',
} as const;

export const DENY_POLICY_PREFIX = 'incident-deny-';

export function recordKey(caseId: string): string {
  return `cases/${caseId}/record.json`;
}

export function evidenceKey(caseId: string, name: string, dryRun: boolean): string {
  return `${dryRun ? 'dry-runs' : 'cases'}/${caseId}/${name}`;
}

export function newReport(step: string): StepReport {
  return { step, done: [], planned: [], notDone: [] };
}

/** Runs a change, or in a dry run only records it. */
export async function act(report: StepReport, dryRun: boolean, what: string, change: () => Promise<unknown>): Promise<void> {
  if (dryRun) {
    report.planned.push(what);
    return;
  }
  await change();
  report.done.push(what);
}
