/**
 * `npm run synth [-- config/prod.yaml ...]`: synthesizes every stack of each
 * config with no AWS credentials, then prints resources per stack and the
 * compliance table. Exits non-zero on a bad config or any unacknowledged
 * rule-pack error.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { formatSummary, listAcknowledgements, summarize } from '../src/compliance';
import { ConfigError, loadConfig, resolveEnvironments, serviceModes } from '../src/config';
import { describeStacks } from './stack-inventory';

const configs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [process.env.SRA_CONFIG ?? 'config/dev.yaml'];
let failed = false;

for (const configPath of configs) {
  const started = Date.now();
  let config;
  try {
    config = loadConfig(configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    failed = true;
    continue;
  }
  const outdir = configs.length === 1 ? 'cdk.out' : join('cdk.out', config.name + '-' + config.environments.map((e) => e.name).join('-'));
  rmSync(outdir, { recursive: true, force: true });
  // The gate is reported below, from the findings, instead of as the CDK's own report.
  const { app, findings } = buildApp(config, { outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const assembly = app.synth();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  console.log(`\n${configPath} (mode ${config.mode}) → ${outdir} in ${seconds} s\n`);
  console.log(describeStacks(assembly));
  for (const settings of resolveEnvironments(config)) {
    console.log(`\nSecurity services of ${settings.name} (${settings.mode} mode):`);
    for (const s of serviceModes(settings)) console.log(`  ${s.service.padEnd(50)} ${s.runBy}`);
  }
  const rows = summarize(app, findings);
  console.log(`\nCompliance (AwsSolutions, NIST 800-53 R5, PCI DSS 3.2.1, HIPAA Security):\n${formatSummary(rows)}`);

  const errors = findings.errors;
  for (const e of errors) {
    console.error(`\n[${e.stage}] ${e.rule}: ${e.description}\n    ${e.resources.join('\n    ')}`);
  }
  writeFileSync(
    join(outdir, 'compliance-summary.json'),
    JSON.stringify({ config: configPath, packs: rows, findings: findings.all, acknowledgements: listAcknowledgements(app) }, null, 2),
  );
  if (errors.length > 0) {
    console.error(`\n${errors.length} unacknowledged rule-pack error(s) in ${configPath}: fix the resource, or acknowledge with a specific reason.`);
    failed = true;
  } else {
    console.log(`\nNo unacknowledged errors. Details: ${join(outdir, 'compliance-summary.json')}`);
  }
}

process.exit(failed ? 1 : 0);
