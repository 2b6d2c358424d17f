import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { configRuleCatalog } from '../../src/constructs/detection/config-rule-catalog';
import { seedSections } from './seed-sections';

/**
 * The traceability matrix (docs/traceability.yaml): every requirement or practice of the two source documents, by
 * section, to the constructs that implement it, the tests that guard it and the Config rule or Security Hub control
 * that checks it once deployed. `checkMatrix` lists every broken reference and every section without a row.
 */
export const MATRIX_FILE = join('docs', 'traceability.yaml');
export const STATUSES = ['implemented', 'partial', 'gap', 'out-of-scope', 'informative'] as const;

const reference = z.object({ file: z.string().min(1), construct: z.string().optional(), setting: z.string().optional() }).strict();
const testReference = z.object({ file: z.string().min(1), name: z.string().optional() }).strict();
const row = z
  .object({
    id: z.string().regex(/^[A-Z]+-[A-Z0-9-]+$/),
    source: z.string(),
    section: z.string(),
    requirement: z.string().min(10),
    quote: z.string().min(10),
    status: z.enum(STATUSES),
    implementation: z.array(reference).default([]),
    tests: z.array(testReference).default([]),
    checks: z.object({ config: z.array(z.string()).default([]), securityHub: z.array(z.string()).default([]) }).strict().default({ config: [], securityHub: [] }),
    note: z.string().optional(),
  })
  .strict();
const source = z.object({ file: z.string(), title: z.string(), headingStyle: z.enum(['standalone', 'title-case']), sections: z.array(z.string()).min(1) }).strict();
const matrix = z.object({ date: z.string(), sources: z.record(z.string(), source), rows: z.array(row).min(1) }).strict();

export type Matrix = z.infer<typeof matrix>;
export type MatrixRow = z.infer<typeof row>;

export function loadMatrix(root: string): Matrix {
  return matrix.parse(parse(readFileSync(join(root, MATRIX_FILE), 'utf8')));
}

/** Where the source texts are: SRA_SEEDS_DIR, else the copy kept in docs/sources. */
export function seedsDir(root: string): string {
  return process.env.SRA_SEEDS_DIR ?? join(root, 'docs', 'sources');
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Declarations a construct reference may name: a class, function, const, interface or type exported or not. */
function declares(text: string, name: string): boolean {
  return new RegExp(`\\b(class|function|const|interface|type|enum)\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text);
}

/** Every problem of the matrix, one line each; empty when every reference resolves and every section has a row. */
export function checkMatrix(root: string, m: Matrix, seeds = seedsDir(root)): string[] {
  const problems: string[] = [];
  const fileText = new Map<string, string | undefined>();
  const read = (file: string) => {
    if (!fileText.has(file)) fileText.set(file, existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : undefined);
    return fileText.get(file);
  };
  const ruleIds = new Set(configRuleCatalog().map((r) => r.identifier));
  const ids = new Set<string>();
  for (const [key, src] of Object.entries(m.sources)) {
    const rows = m.rows.filter((r) => r.source === key);
    for (const section of src.sections) if (!rows.some((r) => r.section === section)) problems.push(`${key}: section "${section}" has no row`);
    const seedFile = join(seeds, src.file);
    if (!existsSync(seedFile)) continue;
    const parsed = seedSections(readFileSync(seedFile, 'utf8'), src.headingStyle);
    const headings = parsed.map((s) => s.heading);
    for (const h of headings) if (!src.sections.includes(h)) problems.push(`${key}: the seed has a section "${h}" that ${MATRIX_FILE} does not list`);
    for (const h of src.sections) if (!headings.includes(h)) problems.push(`${key}: section "${h}" is not a heading of ${src.file}`);
    for (const r of rows) {
      const text = parsed.filter((s) => s.heading === r.section).map((s) => normalize(s.text)).join(' ');
      if (text && !text.includes(normalize(r.quote))) problems.push(`${r.id}: the quote is not in section "${r.section}" of ${src.file}`);
    }
  }
  for (const r of m.rows) {
    if (ids.has(r.id)) problems.push(`${r.id}: id used twice`);
    ids.add(r.id);
    const src = m.sources[r.source];
    if (!src) problems.push(`${r.id}: unknown source "${r.source}"`);
    else if (!src.sections.includes(r.section)) problems.push(`${r.id}: section "${r.section}" is not a section of ${r.source}`);
    if ((r.status === 'implemented' || r.status === 'partial') && (r.implementation.length === 0 || r.tests.length === 0)) {
      problems.push(`${r.id}: ${r.status} needs at least one implementation and one test`);
    }
    if (r.status !== 'implemented' && r.status !== 'informative' && !r.note) problems.push(`${r.id}: ${r.status} needs a note saying what is missing or who does it`);
    for (const ref of r.implementation) {
      const text = read(ref.file);
      if (text === undefined) problems.push(`${r.id}: ${ref.file} does not exist`);
      else if (ref.construct && !declares(text, ref.construct)) problems.push(`${r.id}: ${ref.file} declares no ${ref.construct}`);
    }
    for (const t of r.tests) {
      const text = read(t.file);
      if (text === undefined) problems.push(`${r.id}: test ${t.file} does not exist`);
      else if (!/\.test\.ts$/.test(t.file)) problems.push(`${r.id}: ${t.file} is not a test file`);
      else if (t.name && !text.includes(t.name)) problems.push(`${r.id}: ${t.file} has no test named "${t.name}"`);
    }
    for (const id of r.checks.config) if (!ruleIds.has(id)) problems.push(`${r.id}: Config rule ${id} is not in the deployed catalogue (config-rule-catalog.ts)`);
    for (const id of r.checks.securityHub) if (!/^[A-Za-z0-9]+\.\d+$/.test(id)) problems.push(`${r.id}: "${id}" is not a Security Hub control id`);
  }
  return problems;
}

export interface MatrixCounts {
  readonly traced: number;
  readonly implemented: number;
  readonly partial: number;
  readonly gap: number;
  readonly outOfScope: number;
  readonly informative: number;
}

export function matrixCounts(m: Matrix): MatrixCounts {
  const n = (s: (typeof STATUSES)[number]) => m.rows.filter((r) => r.status === s).length;
  return { traced: m.rows.length, implemented: n('implemented'), partial: n('partial'), gap: n('gap'), outOfScope: n('out-of-scope'), informative: n('informative') };
}
