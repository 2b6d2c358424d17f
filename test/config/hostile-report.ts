/**
 * `npx tsx test/config/hostile-report.ts`: runs every config of the hostile
 * table through validateConfig and, when it is accepted, through synthesis,
 * and counts how each ends: refused with a ConfigError, a stack trace (any
 * other exception), or accepted. Run against an older checkout to compare.
 */
import { buildApp } from '../../src/app';
import { validateConfig } from '../../src/config';
import { devWith } from './helpers';
import { HOSTILE_CASES } from './hostile-cases';

type Outcome = 'refused' | 'stack trace' | 'accepted';

function run(mutate: (typeof HOSTILE_CASES)[number]['mutate']): { outcome: Outcome; detail: string } {
  let config;
  try {
    config = validateConfig(devWith(mutate));
  } catch (error) {
    const e = error as Error;
    return e.name === 'ConfigError' ? { outcome: 'refused', detail: e.message.split('\n')[1]?.trim() ?? '' } : { outcome: 'stack trace', detail: `${e.name}: ${e.message.split('\n')[0]}` };
  }
  try {
    buildApp(config, { context: { '@aws-cdk/core:failSynthOnValidationErrors': false } }).app.synth();
    return { outcome: 'accepted', detail: 'synthesized' };
  } catch (error) {
    const e = error as Error;
    return { outcome: 'stack trace', detail: `${e.name}: ${e.message.split('\n')[0]?.slice(0, 160)}` };
  }
}

const counts: Record<Outcome, number> = { refused: 0, 'stack trace': 0, accepted: 0 };
for (const c of HOSTILE_CASES) {
  const { outcome, detail } = run(c.mutate);
  counts[outcome]++;
  console.log(`${outcome.padEnd(11)} | ${c.name} | ${detail.slice(0, 200)}`);
}
console.log(`\n${HOSTILE_CASES.length} configs: ${counts.refused} refused, ${counts['stack trace']} stack traces, ${counts.accepted} accepted`);
process.exit(counts['stack trace'] > 0 ? 1 : 0);
