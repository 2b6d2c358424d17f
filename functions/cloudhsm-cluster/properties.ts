/**
 * The custom resource's properties, validated and normalized. CloudFormation delivers every scalar as a string, so
 * numbers are parsed here; every problem is reported at once, naming the property and what it allows.
 */

export interface ClusterTag {
  Key: string;
  Value: string;
}

export type RemovalPolicy = 'retain' | 'destroy';

export interface ClusterProperties {
  subnetIds: string[];
  hsmCount: number;
  hsmType: string;
  backupRetentionDays: number;
  tags: ClusterTag[];
  removalPolicy: RemovalPolicy;
}

// CloudHSM's own limits: 1-10 subnets per cluster, 28 HSMs per cluster, backups kept 7-379 days.
export const LIMITS = { minSubnets: 2, maxSubnets: 10, minHsms: 1, maxHsms: 28, minRetentionDays: 7, maxRetentionDays: 379 } as const;
export const DEFAULTS = { hsmCount: 2, hsmType: 'hsm2m.medium', backupRetentionDays: 90, removalPolicy: 'retain' } as const;

const REMOVAL_POLICIES: readonly RemovalPolicy[] = ['retain', 'destroy'];
const PROPERTY_NAMES = ['SubnetIds', 'HsmCount', 'HsmType', 'BackupRetentionDays', 'Tags', 'RemovalPolicy'];
// Added by CloudFormation and the provider framework, not by the construct.
const FRAMEWORK_NAMES = ['ServiceToken', 'ServiceTimeout'];

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/** A whole number given as a number or as a string of digits (how CloudFormation passes numbers). */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

function numberInRange(raw: unknown, name: string, min: number, max: number, fallback: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  const value = wholeNumber(raw);
  if (value === undefined || value < min || value > max) {
    problems.push(`${name}: must be a whole number from ${min} to ${max} (got ${show(raw)})`);
    return fallback;
  }
  return value;
}

function subnetIds(raw: unknown, problems: string[]): string[] {
  const allowed = `a list of ${LIMITS.minSubnets} to ${LIMITS.maxSubnets} distinct subnet ids (subnet-...), one per Availability Zone`;
  if (!Array.isArray(raw) || raw.some((id) => typeof id !== 'string' || !/^subnet-[0-9a-f]+$/.test(id))) {
    problems.push(`SubnetIds: must be ${allowed} (got ${show(raw)})`);
    return [];
  }
  const ids = raw as string[];
  if (new Set(ids).size !== ids.length || ids.length < LIMITS.minSubnets || ids.length > LIMITS.maxSubnets) {
    problems.push(`SubnetIds: must be ${allowed}; an HSM in a second zone is what keeps keys available (got ${show(ids)})`);
  }
  return ids;
}

function tags(raw: unknown, problems: string[]): ClusterTag[] {
  if (raw === undefined) return [];
  const allowed = 'a list of up to 50 {Key, Value} strings, keys 1-128 characters, unique, not starting with "aws:", values up to 256 characters';
  const valid = (t: unknown): t is ClusterTag => {
    const { Key, Value } = (t ?? {}) as Partial<Record<string, unknown>>;
    return typeof Key === 'string' && Key.length >= 1 && Key.length <= 128 && !Key.startsWith('aws:') && typeof Value === 'string' && Value.length <= 256;
  };
  if (!Array.isArray(raw) || raw.length > 50 || !raw.every(valid) || new Set(raw.map((t) => t.Key)).size !== raw.length) {
    problems.push(`Tags: must be ${allowed} (got ${show(raw)})`);
    return [];
  }
  return raw.map(({ Key, Value }) => ({ Key, Value }));
}

/**
 * Parses the properties of one event. `which` names them in errors ("previous" for an update's old properties).
 * Throws one error listing every problem.
 */
export function parseProperties(raw: Record<string, unknown> | undefined, which = ''): ClusterProperties {
  const props = raw ?? {};
  const problems: string[] = [];
  for (const name of Object.keys(props)) {
    if (!PROPERTY_NAMES.includes(name) && !FRAMEWORK_NAMES.includes(name)) {
      problems.push(`${name}: unknown property; allowed: ${PROPERTY_NAMES.join(', ')}`);
    }
  }
  // In property order, so the message reads like the resource definition.
  const subnets = subnetIds(props.SubnetIds, problems);
  const hsmCount = numberInRange(props.HsmCount, 'HsmCount', LIMITS.minHsms, LIMITS.maxHsms, DEFAULTS.hsmCount, problems);
  const hsmType = props.HsmType ?? DEFAULTS.hsmType;
  if (typeof hsmType !== 'string' || !/^hsm[0-9a-z]+\.[a-z0-9]+$/.test(hsmType)) {
    problems.push(`HsmType: must be a CloudHSM instance type such as "hsm2m.medium" (got ${show(hsmType)})`);
  }
  const backupRetentionDays = numberInRange(
    props.BackupRetentionDays, 'BackupRetentionDays', LIMITS.minRetentionDays, LIMITS.maxRetentionDays, DEFAULTS.backupRetentionDays, problems,
  );
  const clusterTags = tags(props.Tags, problems);
  const removalPolicy = props.RemovalPolicy ?? DEFAULTS.removalPolicy;
  if (!REMOVAL_POLICIES.includes(removalPolicy as RemovalPolicy)) {
    problems.push(`RemovalPolicy: must be one of ${REMOVAL_POLICIES.join(', ')} (got ${show(removalPolicy)})`);
  }
  if (problems.length > 0) {
    const label = which ? `${which} CloudHSM cluster properties` : 'CloudHSM cluster properties';
    throw new Error(`Invalid ${label} (${problems.length} problem${problems.length > 1 ? 's' : ''}): ${problems.join('; ')}`);
  }
  return { subnetIds: subnets, hsmCount, hsmType: String(hsmType), backupRetentionDays, tags: clusterTags, removalPolicy: removalPolicy as RemovalPolicy };
}
