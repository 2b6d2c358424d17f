/** What the grant allows: what Auto Scaling needs to launch instances with volumes encrypted by a key of another account. */
export const GRANT_OPERATIONS = [
  'Encrypt',
  'Decrypt',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'DescribeKey',
  'CreateGrant',
] as const;

export interface GrantProperties {
  readonly keyArn: string;
  readonly granteePrincipal: string;
  /** The handler's own role, so it can retire the grant without a key-policy statement for RetireGrant. */
  readonly retiringPrincipal: string;
  /** Deterministic: a retried CreateGrant with the same name and parameters returns the existing grant. */
  readonly name: string;
  readonly operations: readonly string[];
}

const KNOWN = ['KeyArn', 'GranteePrincipal', 'RetiringPrincipal', 'Name', 'Operations'];
/** Added by CloudFormation / the CDK CustomResource, not by the template author. */
const RESERVED = ['ServiceToken', 'ServiceTimeout'];
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const NAME = /^[a-zA-Z0-9:/_-]{1,256}$/;

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** Validates the custom resource's properties; unknown keys fail the deployment rather than being ignored. */
export function parseProperties(raw: Record<string, unknown> | undefined): GrantProperties {
  const props = raw ?? {};
  const unknown = Object.keys(props).filter((key) => !KNOWN.includes(key) && !RESERVED.includes(key));
  if (unknown.length > 0) throw new Error(`Unknown propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; allowed: ${KNOWN.join(', ')}.`);
  const text = (field: string, pattern: RegExp, what: string): string => {
    const value = props[field];
    if (typeof value !== 'string' || !pattern.test(value)) throw new Error(`Property ${field} must be ${what}, got ${show(value)}.`);
    return value;
  };
  const operations = props.Operations ?? [...GRANT_OPERATIONS];
  if (!Array.isArray(operations) || operations.length === 0 || operations.some((op) => !(GRANT_OPERATIONS as readonly unknown[]).includes(op))) {
    throw new Error(`Property Operations must be a non-empty list of ${GRANT_OPERATIONS.join(', ')}, got ${show(operations)}.`);
  }
  return {
    keyArn: text('KeyArn', KEY_ARN, 'a KMS key ARN'),
    granteePrincipal: text('GranteePrincipal', ROLE_ARN, 'an IAM role ARN'),
    retiringPrincipal: text('RetiringPrincipal', ROLE_ARN, 'an IAM role ARN'),
    name: text('Name', NAME, '1-256 letters, digits or :/_-'),
    operations: [...new Set(operations as string[])].sort(),
  };
}

/** Whether two property sets describe the same grant (a grant cannot be changed, only replaced). */
export function sameGrant(a: GrantProperties, b: GrantProperties): boolean {
  return (
    a.keyArn === b.keyArn &&
    a.granteePrincipal === b.granteePrincipal &&
    a.retiringPrincipal === b.retiringPrincipal &&
    a.name === b.name &&
    a.operations.join() === b.operations.join()
  );
}
