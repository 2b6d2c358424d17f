/**
 * The runbook's command line: `<command> --flag value` (or `--flag=value`). Every error names the flag and what it
 * allows, and is a UsageError so the CLI can tell a mistyped command (exit 2) from a failed one (exit 1).
 */
import { CLUSTER_ID_PATTERN } from '../../functions/cloudhsm-cluster/cluster';

export class UsageError extends Error {}

interface CommandSpec {
  summary: string;
  required: readonly string[];
  optional: readonly string[];
}

export const COMMANDS = {
  status: { summary: "the cluster's state, its HSMs, whether its CSR is available, and what to do next", required: ['cluster-id'], optional: ['region'] },
  csr: {
    summary: "write the cluster's CSR (only while UNINITIALIZED) and print the openssl commands that sign it",
    required: ['cluster-id', 'out'],
    optional: ['region', 'ca-cert', 'ca-key'],
  },
  initialize: {
    summary: 'check the signed certificate against the trust anchor, then InitializeCluster',
    required: ['cluster-id', 'cert', 'trust-anchor'],
    optional: ['region'],
  },
  'next-steps': {
    summary: 'print, filled in, the manual steps: activation, the kmsuser crypto user, the KMS custom key store, the config change',
    required: ['cluster-id', 'key-store-name'],
    optional: ['region', 'trust-anchor'],
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;
export type Flags = Partial<Record<string, string>>;

const FLAG_RULES: Record<string, { allowed: string; valid: (value: string) => boolean }> = {
  'cluster-id': { allowed: 'a CloudHSM cluster id: "cluster-" and 11-16 letters or digits 2-7', valid: (v) => CLUSTER_ID_PATTERN.test(v) },
  region: { allowed: 'an AWS Region name such as eu-west-1', valid: (v) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(v) },
  'key-store-name': {
    allowed: '1-256 characters: letters, digits, spaces and . _ - / (a name unique in the account and Region)',
    valid: (v) => /^[A-Za-z0-9 ._\-/]{1,256}$/.test(v),
  },
};
const PATH_RULE = { allowed: 'a file path', valid: (v: string) => v.trim().length > 0 };

export function usage(): string {
  const lines = ['usage: npx tsx tools/cloudhsm-runbook.ts <command> [--flags]', '', 'commands:'];
  for (const [name, spec] of Object.entries(COMMANDS)) {
    const flags = [...spec.required.map((f) => `--${f} <value>`), ...spec.optional.map((f) => `[--${f} <value>]`)];
    lines.push(`  ${name} ${flags.join(' ')}`, `      ${spec.summary}`);
  }
  return lines.join('\n');
}

export function parseArgs(argv: string[]): { command: CommandName; flags: Flags } {
  const [command, ...rest] = argv;
  if (!command || !(command in COMMANDS)) {
    throw new UsageError(`${command ? `unknown command "${command}"` : 'no command given'}; allowed: ${Object.keys(COMMANDS).join(', ')}`);
  }
  const spec: CommandSpec = COMMANDS[command as CommandName];
  const known = [...spec.required, ...spec.optional];
  const flags: Flags = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new UsageError(`unexpected argument "${arg}"; ${command} takes only flags: ${known.map((f) => `--${f}`).join(', ')}`);
    const name = match[1]!;
    if (!known.includes(name)) throw new UsageError(`unknown flag --${name} for ${command}; allowed: ${known.map((f) => `--${f}`).join(', ')}`);
    if (flags[name] !== undefined) throw new UsageError(`--${name} is given twice; give it once`);
    const value = match[2] ?? rest[++i];
    const rule = FLAG_RULES[name] ?? PATH_RULE;
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value: ${rule.allowed}`);
    if (!rule.valid(value)) throw new UsageError(`--${name} must be ${rule.allowed} (got "${value}")`);
    flags[name] = value;
  }
  const missing = spec.required.filter((f) => flags[f] === undefined);
  if (missing.length > 0) throw new UsageError(`${command} needs ${missing.map((f) => `--${f}`).join(' and ')}`);
  return { command: command as CommandName, flags };
}

/** A flag parseArgs has checked is present. */
export function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}
