/**
 * The query files' one extension to Athena SQL, and the one place where Athena's dialect (Trino) and DuckDB's
 * (used by the tests) meet.
 *
 * Query files name their parameters (`:start`) so each is given once even where the SQL uses it twice; Athena
 * takes positional `?` execution parameters, so `toAthena` numbers the uses and says which parameter fills each.
 */

const PARAMETER = /(?<![:\w]):([a-z][a-z0-9_]*)\b/g;

export interface AthenaStatement {
  /** The SQL with `?` for each use of a parameter. */
  readonly sql: string;
  /** The parameter name behind each `?`, in order. */
  readonly order: readonly string[];
}

/** Named parameters to positional ones; string literals and comments are left alone. */
export function toAthena(sql: string): AthenaStatement {
  const order: string[] = [];
  const out = mapCode(sql, (code) => code.replace(PARAMETER, (_m, name: string) => (order.push(name), '?')));
  return { sql: out, order };
}

/** The parameter names a query uses, each once, in order of first use. */
export function parameterNames(sql: string): string[] {
  return [...new Set(toAthena(sql).order)];
}

/**
 * Athena execution parameters are SQL literals: a string value is quoted (and its quotes doubled), so a value
 * cannot change the statement. Numbers are passed as they are when the parameter is declared numeric.
 */
export function executionParameter(value: string, numeric: boolean): string {
  if (numeric) {
    if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Error(`not a number: ${JSON.stringify(value)}`);
    return value;
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The SQL for DuckDB: `$name` for each named parameter, and date format literals in DuckDB's letters (DuckDB
 * wants the format of strptime as a constant, so it is translated in the text rather than in a macro).
 */
export function toDuckDb(sql: string): string {
  return mapCode(sql, (code) => code.replace(PARAMETER, (_m, name: string) => `$${name}`), (literal, before) => (FORMAT_ARGUMENT.test(before) ? duckDbFormat(literal) : literal));
}

/** A Trino (MySQL-style) date format in DuckDB's strftime letters: minutes `%i` → `%M`, seconds `%s` → `%S`. */
export function duckDbFormat(format: string): string {
  return format.replaceAll('%i', '%M').replaceAll('%s', '%S');
}

/** The code before a literal that is the format argument of `date_format(x, '...')` or `date_parse(x, '...')` (x nested up to two calls deep). */
const FORMAT_ARGUMENT = /\b(?:date_format|date_parse)\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*,\s*$/;

/**
 * Trino functions the queries use that DuckDB lacks, as DuckDB macros with Trino's meaning (their format
 * literals are translated by `toDuckDb`).
 * Timestamps are UTC on both sides (Athena's session zone; the DuckDB connection sets it).
 */
export const DUCKDB_TRINO_MACROS: readonly string[] = [
  `CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
  `CREATE MACRO from_unixtime(x) AS to_timestamp(x)`,
  `CREATE MACRO date_format(ts, f) AS strftime(CAST(ts AS TIMESTAMPTZ), f)`,
  `CREATE MACRO date_parse(s, f) AS CAST(strptime(s, f) AS TIMESTAMPTZ)`,
  `CREATE MACRO to_unixtime(ts) AS epoch(ts)`,
  `CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)`,
];

/** Applies `fn` to the parts of `sql` outside string literals, quoted identifiers and comments, and `onLiteral` to string literals. */
function mapCode(sql: string, fn: (code: string) => string, onLiteral: (literal: string, codeBefore: string) => string = (l) => l): string {
  const pieces = sql.split(/('(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*)/);
  return pieces.map((piece, i) => (i % 2 === 0 ? fn(piece) : piece.startsWith("'") ? onLiteral(piece, pieces[i - 1]!) : piece)).join('');
}
