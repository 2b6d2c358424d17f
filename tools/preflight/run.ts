import { ConfigError, loadConfig, resolveEnvironments, type Config } from '../../src/config';
import { describeError, isError } from './aws-errors';
import { CHECKS } from './checks';
import { createClients, type ClientSettings } from './clients';
import { identity } from './identity';
import { planEnvironments, type EnvironmentPlan } from './plan';
import { bootstrapQualifier } from './qualifier';
import type { Check, CheckContext, CheckResult, Clients } from './types';

export interface PreflightOptions {
  /** Builds the clients of one environment; tests point them at moto. @default createClients */
  readonly clientsFor?: (settings: ClientSettings) => Clients;
  readonly print?: (line: string) => void;
  readonly now?: Date;
  /** Summaries of the synthesized templates by environment; computed from the config when absent. */
  readonly plans?: Record<string, EnvironmentPlan>;
}

const USAGE = 'usage: npm run preflight -- <config.yaml> [--environment <name>] [--profile <aws profile>]';

/** `npm run preflight`: every check for every (or the named) environment; 0 only when nothing FAILs. */
export async function preflight(argv: readonly string[], options: PreflightOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    print(`${args}\n${USAGE}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(args.config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print(error.message);
    return 2;
  }
  const environments = resolveEnvironments(config).filter((e) => !args.environment || e.name === args.environment);
  if (environments.length === 0) {
    print(`environment "${args.environment}" is not in ${args.config}; environments: ${config.environments.map((e) => e.name).join(', ')}`);
    return 2;
  }
  const plans = options.plans ?? planEnvironments(config);
  const qualifier = bootstrapQualifier(config);
  let failed = false;
  for (const settings of environments) {
    const clients = (options.clientsFor ?? createClients)({ region: settings.region, profile: args.profile });
    const ctx: CheckContext = { config, settings, plan: plans[settings.name]!, clients, qualifier, now: options.now ?? new Date() };
    print(`\n${args.config}: environment ${settings.name} (account ${settings.account}, ${settings.region}, ${settings.mode} mode, qualifier ${qualifier})`);
    const results = await runChecks(ctx);
    for (const line of formatResults(results)) print(line);
    const count = (s: string) => results.filter((r) => r.status === s).length;
    const verdict = count('FAIL') > 0 ? 'a deployment would fail' : 'ready to deploy';
    print(`${settings.name}: ${count('PASS')} PASS, ${count('WARN')} WARN, ${count('FAIL')} FAIL: ${verdict}`);
    failed ||= count('FAIL') > 0;
  }
  return failed ? 1 : 0;
}

/** The identity check first: against another account every other answer would mislead. */
export async function runChecks(ctx: CheckContext): Promise<CheckResult[]> {
  const first = await guarded('identity', identity, ctx);
  if (first.some((r) => r.status === 'FAIL')) return first;
  const results = [...first];
  for (const [name, check] of CHECKS) results.push(...(await guarded(name, check, ctx)));
  return results;
}

/** A check that cannot read what it needs reports that, instead of stopping the others. */
async function guarded(name: string, check: Check, ctx: CheckContext): Promise<CheckResult[]> {
  try {
    return await check(ctx);
  } catch (error) {
    const remedy = isError(error, 'CredentialsProviderError')
      ? 'provide credentials through the default chain (environment, SSO, profile) or name a profile with --profile'
      : 'allow the read-only call to the credentials (e.g. the ReadOnlyAccess policy), or check by hand';
    return [{ status: 'FAIL', check: name, detail: `could not check: ${describeError(error)}`, remedy }];
  }
}

export function formatResults(results: readonly CheckResult[]): string[] {
  const width = Math.max(...results.map((r) => r.check.length));
  return results.flatMap((r) => [`${r.status.padEnd(4)}  ${r.check.padEnd(width)}  ${r.detail}`, ...(r.remedy ? [`${' '.repeat(width + 6)}→ ${r.remedy}`] : [])]);
}

function parseArgs(argv: readonly string[]): { config: string; environment?: string; profile?: string } | string {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--environment' || arg === '--profile') {
      const value = argv[++i];
      if (!value || value.startsWith('--')) return `${arg} needs a value`;
      flags[arg.slice(2)] = value;
    } else if (arg.startsWith('--')) {
      return `unknown option ${arg}`;
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) return positional.length === 0 ? 'name one config file' : `name one config file (got ${positional.join(', ')})`;
  return { config: positional[0]!, environment: flags.environment, profile: flags.profile };
}
