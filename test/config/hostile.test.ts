import { ConfigError, validateConfig } from '../../src/config';
import { devWith } from './helpers';
import { HOSTILE_CASES } from './hostile-cases';

describe('configs AWS would refuse are refused by the loader, naming the field', () => {
  test('the table holds at least 60 configs', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(HOSTILE_CASES.map((c) => c.name)).size).toBe(HOSTILE_CASES.length);
  });

  test.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let thrown: unknown;
    try {
      validateConfig(devWith(c.mutate));
    } catch (error) {
      thrown = error;
    }
    // A ConfigError and nothing else: any other exception would reach the user as a stack trace.
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems;
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${escape(c.path)}: .*${c.says.source}`)));
    // One line per problem.
    for (const problem of problems) expect(problem).not.toMatch(/\n/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
