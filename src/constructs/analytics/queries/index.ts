import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parameterNames } from '../dialect';

export type ParameterType = 'timestamp' | 'string' | 'number';

export interface QueryParameter {
  readonly name: string;
  readonly type: ParameterType;
  readonly description: string;
}

/** A saved investigation query, read from its `.sql` file in this folder. */
export interface InvestigationQuery {
  /** The file name without `.sql`: the name `npm run query` and the workgroup know it by. */
  readonly name: string;
  readonly question: string;
  /** The Glue table it reads; it is saved only where that table exists. */
  readonly table: string;
  /** In order of first use in the SQL. */
  readonly parameters: readonly QueryParameter[];
  /** The SQL with named `:parameters` (see dialect.ts). */
  readonly sql: string;
}

const QUERY_DIR = __dirname;

/** Reads a query file's header (question, table, parameters) and checks it against the SQL. */
export function parseQuery(name: string, text: string): InvestigationQuery {
  const header = text.split('\n').filter((line) => line.startsWith('--')).map((line) => line.replace(/^--\s?/, ''));
  const questionLines: string[] = [];
  let table: string | undefined;
  const declared: QueryParameter[] = [];
  let section: 'question' | 'other' = 'other';
  for (const line of header) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^Question:\s*(.*)$/))) {
      section = 'question';
      questionLines.push(m[1]!);
    } else if ((m = line.match(/^Table:\s*(\w+)\s*$/))) {
      section = 'other';
      table = m[1];
    } else if ((m = line.match(/^\s+:([a-z][a-z0-9_]*)\s+(timestamp|string|number)\s+(.+)$/))) {
      section = 'other';
      declared.push({ name: m[1]!, type: m[2] as ParameterType, description: m[3]!.trim() });
    } else if (section === 'question' && line.trim() && !/^Parameters:/.test(line)) {
      questionLines.push(line.trim());
    } else {
      section = 'other';
    }
  }
  if (!questionLines.length || !table) throw new Error(`query ${name}: the header must give "-- Question:" and "-- Table:"`);
  const used = parameterNames(text);
  const names = declared.map((p) => p.name);
  const undeclared = used.filter((n) => !names.includes(n));
  const unused = names.filter((n) => !used.includes(n));
  if (undeclared.length || unused.length) {
    throw new Error(`query ${name}: parameters used but not declared: [${undeclared.join(', ')}]; declared but not used: [${unused.join(', ')}]`);
  }
  const sql = text.split('\n').filter((line) => !line.startsWith('--')).join('\n').trim();
  return { name, question: questionLines.join(' '), table, parameters: used.map((n) => declared.find((p) => p.name === n)!), sql };
}

/** Every query file of this folder, by name. */
export function loadQueries(dir: string = QUERY_DIR): readonly InvestigationQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => parseQuery(basename(f, '.sql'), readFileSync(join(dir, f), 'utf8')));
}
