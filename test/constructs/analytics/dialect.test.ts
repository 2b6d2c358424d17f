import { DuckDBInstance } from '@duckdb/node-api';
import { DUCKDB_TRINO_MACROS, duckDbFormat, executionParameter, parameterNames, toAthena, toDuckDb } from '../../../src/constructs/analytics/dialect';
import { parseQuery } from '../../../src/constructs/analytics/queries';

describe('named parameters', () => {
  const sql = `SELECT ':not_a_param', "col:x", a::INTEGER -- :comment\nFROM t WHERE a = :first AND b BETWEEN :first AND :second`;

  test('Athena: one ? per use, in order; literals, quoted names, comments and casts untouched', () => {
    expect(toAthena(sql)).toEqual({ sql: `SELECT ':not_a_param', "col:x", a::INTEGER -- :comment\nFROM t WHERE a = ? AND b BETWEEN ? AND ?`, order: ['first', 'first', 'second'] });
    expect(parameterNames(sql)).toEqual(['first', 'second']);
  });

  test('DuckDB: $name, and Trino date formats in DuckDB letters', () => {
    expect(toDuckDb(`SELECT date_format(x, '%Y/%m/%d/%H/%i'), date_parse(y, '%d/%b/%Y:%H:%i:%s +0000'), '%i literal', 'a:%s' FROM t WHERE a = :first`)).toBe(
      `SELECT date_format(x, '%Y/%m/%d/%H/%M'), date_parse(y, '%d/%b/%Y:%H:%M:%S +0000'), '%i literal', 'a:%s' FROM t WHERE a = $first`,
    );
    expect(duckDbFormat('%H:%i:%s')).toBe('%H:%M:%S');
  });

  test('execution parameters are SQL literals: strings quoted with quotes doubled, numbers checked', () => {
    expect(executionParameter("it's", false)).toBe("'it''s'");
    expect(executionParameter('5432', true)).toBe('5432');
    expect(() => executionParameter('1 OR 1=1', true)).toThrow(/not a number/);
  });
});

describe('the Trino functions in DuckDB mean what they mean in Athena', () => {
  test.each([
    [`from_iso8601_timestamp('2024-05-01T10:00:00Z') = TIMESTAMPTZ '2024-05-01 10:00:00+00'`],
    [`from_iso8601_timestamp('2024-05-01T12:00:00+02:00') = TIMESTAMPTZ '2024-05-01 10:00:00+00'`],
    [`from_unixtime(1714557600) = TIMESTAMPTZ '2024-05-01 10:00:00+00'`],
    [`to_unixtime(from_iso8601_timestamp('2024-05-01T10:00:00Z')) = 1714557600`],
    [`date_format(from_iso8601_timestamp('2024-05-01T10:07:00Z'), '%Y/%m/%d/%H/%M') = '2024/05/01/10/07'`],
    [`date_format(from_iso8601_timestamp('2024-05-01T10:07:00Z'), '%Y%m%d%H') = '2024050110'`],
    [`date_parse('01/May/2024:10:05:00 +0000', '%d/%b/%Y:%H:%M:%S +0000') = TIMESTAMPTZ '2024-05-01 10:05:00+00'`],
    [`json_extract_scalar('{"MFAUsed":"No"}', '$.MFAUsed') = 'No'`],
  ])('%s', async (predicate) => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    for (const macro of DUCKDB_TRINO_MACROS) await connection.run(macro);
    const rows = (await connection.runAndReadAll(`SELECT ${predicate} AS ok`)).getRowObjects();
    connection.closeSync();
    expect(rows).toEqual([{ ok: true }]);
  });
});

describe('query files', () => {
  const header = '-- Question: q?\n-- Table: t\n-- Parameters:\n--   :a  string  the a\n';

  test('the header gives the question, the table and each parameter with its type', () => {
    expect(parseQuery('x', `${header}SELECT :a`)).toEqual({ name: 'x', question: 'q?', table: 't', parameters: [{ name: 'a', type: 'string', description: 'the a' }], sql: 'SELECT :a' });
  });

  test.each([
    ['SELECT 1', /must give "-- Question:" and "-- Table:"/],
    [`${header}SELECT :a, :b`, /used but not declared: \[b\]/],
    [`${header}SELECT 1`, /declared but not used: \[a\]/],
  ])('%j is refused', (text, message) => {
    expect(() => parseQuery('x', text)).toThrow(message);
  });
});
