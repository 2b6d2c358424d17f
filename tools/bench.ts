/**
 * `npm run bench [-- runs]`: how long a full synth takes (median of fresh
 * processes, the way a user runs it), how big each stack is against
 * CloudFormation's limits, how many acknowledgements each pack carries, what
 * each environment costs idle, the incident response's time to containment by
 * design, and the reference service's figures (from `npm run bench:service`,
 * which `npm run bench` runs first). Results also go to .bench/results.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { listAcknowledgements, PACK_NAMES } from '../src/compliance';
import { loadConfig } from '../src/config';
import { containmentTimes } from './containment-time';
import { idleCost } from './cost-model';
import { inventory } from './stack-inventory';

const CONFIGS = ['config/dev.yaml', 'config/prod.yaml'];
const runs = Number(process.argv[2] ?? 3);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function timeSynth(config: string): number[] {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(join('node_modules', '.bin', 'tsx'), ['tools/synth.ts', config], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`synth of ${config} failed:\n${result.stderr}`);
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return seconds;
}

const results = CONFIGS.map((config) => {
  const timings = timeSynth(config);
  const { app } = buildApp(loadConfig(config), { outdir: join('.bench', 'cdk.out'), context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const assembly = app.synth();
  const acks = listAcknowledgements(app);
  const templates = assembly.nestedAssemblies.flatMap((n) => n.nestedAssembly.stacks.map((s) => s.template));
  return {
    config,
    synthSeconds: { median: median(timings), runs: timings },
    stacks: inventory(assembly),
    acknowledgements: Object.fromEntries(PACK_NAMES.map((pack) => [pack, acks.filter((a) => a.pack === pack).length])),
    idleCost: idleCost(templates),
    containment: containmentTimes(templates),
  };
});

const servicePath = join('.bench', 'service.json');
const service = existsSync(servicePath) ? (JSON.parse(readFileSync(servicePath, 'utf8')) as { rows: { target: string; method: string; requestsPerSecond: number; p99: number }[]; ratio: Record<string, number> }) : undefined;

for (const r of results) {
  console.log(`\n## ${r.config}`);
  console.log(`full synth, ${runs} fresh processes: median ${r.synthSeconds.median.toFixed(2)} s (${r.synthSeconds.runs.map((s) => s.toFixed(2)).join(', ')})`);
  console.log('\n| stack | resources | of 500 | template KiB |\n| --- | ---: | ---: | ---: |');
  for (const s of r.stacks) console.log(`| ${s.stack} | ${s.resources} | ${((s.resources / 500) * 100).toFixed(0)}% | ${(s.bytes / 1024).toFixed(1)} |`);
  console.log('\n| rule pack | acknowledgements |\n| --- | ---: |');
  for (const [pack, n] of Object.entries(r.acknowledgements)) console.log(`| ${pack} | ${n} |`);
  console.log('\n| idle cost item | count | $/month |\n| --- | ---: | ---: |');
  for (const line of r.idleCost) console.log(`| ${line.item} | ${line.count} | ${line.monthly.toFixed(2)} |`);
  console.log(`| **total** | | **${r.idleCost.reduce((n, l) => n + l.monthly, 0).toFixed(2)}** |`);
  for (const c of r.containment) {
    console.log(`\nincident response, ${c.stateMachine}: ${c.path.length} states to containment; by design ${c.waitSeconds} s of waits, at most ${c.firstAttemptSeconds} s if every step used its whole timeout once, ${c.worstCaseSeconds} s with every retry exhausted`);
  }
}

console.log('\n## summary\n\n| config | full synth s (median) | stacks | resources (largest stack) | largest template KiB | idle $/month | containment: waits / first-attempt bound / worst case s |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const largest = [...r.stacks].sort((a, b) => b.resources - a.resources)[0]!;
  const c = r.containment[0];
  console.log(
    `| ${r.config} | ${r.synthSeconds.median.toFixed(2)} | ${r.stacks.length} | ${r.stacks.reduce((n, s) => n + s.resources, 0)} (${largest.stack} ${largest.resources}) | ${(Math.max(...r.stacks.map((s) => s.bytes)) / 1024).toFixed(1)} | ${r.idleCost.reduce((n, l) => n + l.monthly, 0).toFixed(2)} | ${c ? `${c.waitSeconds} / ${c.firstAttemptSeconds} / ${c.worstCaseSeconds}` : 'no isolation workflow'} |`,
  );
}
if (service) {
  console.log('\n| reference service | req/s | p99 ms |\n| --- | ---: | ---: |');
  for (const row of service.rows) console.log(`| ${row.target}${row.target.includes(row.method) ? '' : ` ${row.method}`} | ${row.requestsPerSecond.toFixed(0)} | ${row.p99} |`);
  console.log(`service / bare route: GET ${service.ratio.GET?.toFixed(2)}, POST ${service.ratio.POST?.toFixed(2)}`);
} else {
  console.log(`\nreference service: no ${servicePath}; run npm run bench:service`);
}

mkdirSync('.bench', { recursive: true });
writeFileSync(join('.bench', 'results.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, results, service: service ?? null }, null, 2));
