import type { z } from 'zod';

/** A config that cannot be built. The message lists every wrong field and what it allows. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} is not a valid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `environments[0].account` from `['environments', 0, 'account']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

/** One readable line per issue, naming the field and what is allowed. */
export function describeIssue(issue: z.core.$ZodIssue, allowedKeys: (path: readonly PropertyKey[]) => readonly string[]): string {
  const where = formatPath(issue.path) || '(top level)';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys
        .map((key) => `${formatPath([...issue.path, key])}: unknown field; allowed here: ${allowedKeys(issue.path).join(', ')}`)
        .join('\n  - ');
    case 'invalid_type':
      // A schema's own message says more than the generic one.
      if (!issue.message.startsWith('Invalid input')) return `${where}: ${issue.message}${issue.input === undefined ? '' : ` (got ${describeValue(issue.input)})`}`;
      return issue.input === undefined
        ? `${where}: required (${issue.expected})`
        : `${where}: expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `${where}: got ${describeValue(issue.input)}; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_key':
    case 'invalid_element':
      return issue.issues.map((inner) => `${where}: ${inner.message}`).join('\n  - ');
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'custom':
    default:
      return `${where}: ${issue.message}${issue.code === 'custom' || issue.input === undefined ? '' : ` (got ${describeValue(issue.input)})`}`;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  // Long values are cut: a message is one line, and a config field may hold anything.
  const text = JSON.stringify(value);
  return text.length > 120 ? `${typeof value} ${text.slice(0, 100)}… (${String(value).length} characters)` : `${typeof value} ${text}`;
}
