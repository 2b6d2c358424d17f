/**
 * `npm run prerequisites [-- config/prod.yaml ...] [--json]`: what must exist
 * outside this account before a deploy. For central keys (keys.mode: central),
 * the key-policy statements the security account must add to each key, derived
 * from the synthesized templates, and the KMS grants this account creates
 * itself. Needs no AWS credentials.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { ConfigError, loadConfig, resolveEnvironments } from '../src/config';
import { type AccountServicePrerequisite, accountServicePrerequisites } from './prerequisites/account-services';
import { centralKeyPrerequisites, type EnvironmentPrerequisites } from './prerequisites/central-keys';
import { formatPrerequisites } from './prerequisites/format';
import { stageStacks } from './prerequisites/templates';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const paths = args.filter((a) => a !== '--json');
const configs = paths.length > 0 ? paths : [process.env.SRA_CONFIG ?? 'config/dev.yaml'];

/** Every environment's prerequisites of one config file. */
export function prerequisitesOf(configPath: string): { config: string; mode: string; environments: (EnvironmentPrerequisites & { services: AccountServicePrerequisite[] })[] } {
  const config = loadConfig(configPath);
  const { app, stages } = buildApp(config, { outdir: mkdtempSync(join(tmpdir(), 'sra-prerequisites-')), context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const assembly = app.synth();
  const environments = resolveEnvironments(config).map((settings, i) => {
    const stacks = stageStacks(assembly, stages[i]!.artifactId);
    return { ...centralKeyPrerequisites(settings, stacks), services: accountServicePrerequisites(stacks) };
  });
  return { config: configPath, mode: config.keys.mode, environments };
}

if (require.main === module) {
  let failed = false;
  const results = [];
  for (const path of configs) {
    try {
      results.push(prerequisitesOf(path));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(error.message);
      failed = true;
    }
  }
  if (results.length > 0) console.log(asJson ? JSON.stringify(results, null, 2) : results.map(formatPrerequisites).join('\n'));
  process.exit(failed ? 1 : 0);
}
