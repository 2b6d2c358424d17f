import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LogTable } from '../../../src/constructs/analytics/log-tables';

/**
 * DuckDB views built from the Glue table definitions themselves, over files laid out as S3 would hold them
 * under a local root (`s3://bucket/key` → `<root>/bucket/key`). What each SerDe does is done here the same way:
 * Parquet columns by name; regex tables by the SAME regex, whole line matched, groups in column order; JSON
 * keys matched case-insensitively with nested objects read as JSON text into string columns; CloudTrail files
 * split into their records. Partition values come from the file's path through the location template.
 */
export async function createView(connection: DuckDBConnection, table: LogTable, root: string): Promise<void> {
  const localTemplate = table.locationTemplate.replace(/^s3:\/\//, `${root}/`);
  const sources = filesMatching(localTemplate, table);
  if (!sources.length) throw new Error(`no sample files for ${table.name} under ${localTemplate}`);
  const partitionRegex = templateRegex(localTemplate, table);
  const parts = table.partitions.map((p, i) => `regexp_extract(filename, ${literal(partitionRegex)}, ${i + 1}) AS ${ident(p.name)}`);
  const files = `[${sources.map(literal).join(', ')}]`;
  let select: string;
  switch (table.format.kind) {
    case 'parquet': {
      const cols = table.columns.map((c) => `CAST(${ident(c.name)} AS ${duckType(c.type)}) AS ${ident(c.name)}`);
      select = `SELECT ${[...cols, ...parts].join(', ')} FROM read_parquet(${files}, filename = true)`;
      break;
    }
    case 'regex': {
      // One extraction per line; DuckDB numbers at most nine groups, so they are named, in column order.
      const anchored = `^(?:${table.format.regex})$`;
      const names = `[${table.columns.map((c) => literal(c.name)).join(', ')}]`;
      const cols = table.columns.map((c) => {
        const group = `g.${ident(c.name)}`;
        return `${c.type === 'string' ? group : `TRY_CAST(${group} AS ${duckType(c.type)})`} AS ${ident(c.name)}`;
      });
      select =
        `SELECT ${[...cols, ...parts].join(', ')} FROM (SELECT regexp_extract(line, ${literal(anchored)}, ${names}) AS g, filename ` +
        `FROM (SELECT unnest(string_split(content, chr(10))) AS line, filename FROM read_text(${files})) WHERE regexp_full_match(line, ${literal(table.format.regex)}))`;
      break;
    }
    case 'json':
    case 'cloudtrail': {
      const staged = sources.map((file) => stageJson(file, table, root));
      const columns = `{${table.columns.map((c) => `${literal(c.name)}: ${literal(duckType(c.type))}`).join(', ')}}`;
      const stagedRegex = templateRegex(localTemplate.replace(`${root}/`, `${root}.staged/`), table);
      const stagedParts = table.partitions.map((p, i) => `regexp_extract(filename, ${literal(stagedRegex)}, ${i + 1}) AS ${ident(p.name)}`);
      const cols = table.columns.map((c) => ident(c.name));
      select = `SELECT ${[...cols, ...stagedParts].join(', ')} FROM read_json([${staged.map(literal).join(', ')}], format = 'newline_delimited', columns = ${columns}, filename = true)`;
      break;
    }
  }
  await connection.run(`CREATE OR REPLACE VIEW ${ident(table.name)} AS ${select}`);
}

/** Hive type → DuckDB type: string, int, bigint, double, boolean, struct<...>, array<...>. */
export function duckType(hive: string): string {
  const type = hive.trim();
  const simple: Record<string, string> = { string: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN' };
  if (simple[type]) return simple[type]!;
  const array = type.match(/^array<(.*)>$/);
  if (array) return `${duckType(array[1]!)}[]`;
  const struct = type.match(/^struct<(.*)>$/);
  if (struct) return `STRUCT(${splitTopLevel(struct[1]!).map((field) => {
    const at = field.indexOf(':');
    return `${ident(field.slice(0, at))} ${duckType(field.slice(at + 1))}`;
  }).join(', ')})`;
  throw new Error(`no DuckDB type for Hive type ${hive}`);
}

function splitTopLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '<') depth++;
    else if (list[i] === '>') depth--;
    else if (list[i] === ',' && depth === 0) {
      out.push(list.slice(start, i));
      start = i + 1;
    }
  }
  out.push(list.slice(start));
  return out;
}

/** The template as a regex over file paths, one group per partition key (a date key spans its format's folders). */
function templateRegex(template: string, table: LogTable): string {
  let regex = '^' + template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const p of table.partitions) {
    const folders = p.projection.type === 'date' ? p.projection.format.split('/').length : 1;
    regex = regex.replace(`\\$\\{${p.name}\\}`, `((?:[^/]+/){${folders - 1}}[^/]+)`);
  }
  return `${regex}[^/]+$`;
}

function filesMatching(template: string, table: LogTable): string[] {
  const regex = new RegExp(templateRegex(template, table));
  const base = template.slice(0, template.indexOf('${'));
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return walk(base.slice(0, base.lastIndexOf('/'))).filter((f) => regex.test(f)).sort();
}

/** What the JSON SerDes give Athena: declared columns only, keys in any case, objects as JSON text in string columns. */
function stageJson(file: string, table: LogTable, root: string): string {
  const text = readFileSync(file, 'utf8');
  const records: unknown[] = table.format.kind === 'cloudtrail'
    ? (JSON.parse(text) as { Records: unknown[] }).Records
    : text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  const shape = `struct<${table.columns.map((c) => `${c.name}:${c.type}`).join(',')}>`;
  const staged = join(`${root}.staged`, relative(root, file));
  mkdirSync(dirname(staged), { recursive: true });
  writeFileSync(staged, records.map((r) => JSON.stringify(conform(r, shape))).join('\n') + '\n');
  return staged;
}

function conform(value: unknown, hive: string): unknown {
  if (value === null || value === undefined) return null;
  const type = hive.trim();
  if (type === 'string') return typeof value === 'object' ? JSON.stringify(value) : String(value);
  const array = type.match(/^array<(.*)>$/);
  if (array) return Array.isArray(value) ? value.map((v) => conform(v, array[1]!)) : null;
  const struct = type.match(/^struct<(.*)>$/);
  if (struct) {
    if (typeof value !== 'object' || Array.isArray(value)) return null;
    const byLowerKey = new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
    return Object.fromEntries(splitTopLevel(struct[1]!).map((field) => {
      const at = field.indexOf(':');
      const name = field.slice(0, at);
      return [name, conform(byLowerKey.get(name), field.slice(at + 1))];
    }));
  }
  return value;
}

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
