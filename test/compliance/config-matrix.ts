import type { Synthesized } from '../helpers/app';
import { cfnLint, type CfnLintFinding, formatFinding, type TemplateFile, templateFiles } from '../helpers/cfn-lint';
import { ignoredBy } from './cfn-lint-ignores';

/** A config of the matrix, synthesized on first use. */
export interface MatrixEntry {
  readonly name: string;
  readonly synthesize: () => Synthesized;
}

export interface MatrixResults {
  readonly synthesized: ReadonlyMap<string, Synthesized>;
  /** Every cfn-lint finding, ignored or not. */
  readonly findings: readonly CfnLintFinding[];
  /** The templates cfn-lint was given. */
  readonly files: readonly TemplateFile[];
}

// Synthesis of several configs and one cfn-lint run take minutes on a busy machine.
const SETUP_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * The gate every config must pass, one synthesis per config: no unacknowledged rule-pack finding, and no E-level
 * cfn-lint finding (CloudFormation's schema and rules) in any template of any stage, except those of the ignore list.
 * All templates of the file go to ONE cfn-lint run. Returns the results for extra checks, filled in `beforeAll`.
 */
export function describeConfigMatrix(title: string, entries: readonly MatrixEntry[]): MatrixResults {
  const results = { synthesized: new Map<string, Synthesized>(), findings: [] as CfnLintFinding[], files: [] as TemplateFile[] };
  describe(title, () => {
    beforeAll(() => {
      for (const e of entries) results.synthesized.set(e.name, e.synthesize());
      results.files.push(...entries.flatMap((e) => templateFiles(e.name, results.synthesized.get(e.name)!)));
      results.findings.push(...cfnLint(results.files));
    }, SETUP_TIMEOUT_MS);

    const names = entries.map((e) => e.name);
    test.each(names)('%s: no unacknowledged error or warning in any pack', (name) => {
      const s = results.synthesized.get(name)!;
      expect(s.built.findings.all.map((f) => `${f.rule} ${f.resources.join(' ')}`)).toEqual([]);
    });

    // Without ServiceTimeout CloudFormation waits an hour for a handler that cannot answer.
    test.each(names)('%s: every custom resource sets a ServiceTimeout within CloudFormation\'s limit', (name) => {
      const missing = results.files
        .filter((f) => f.config === name)
        .flatMap((f) =>
          Object.entries(f.template.Resources)
            .filter(([, r]) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource')
            .filter(([, r]) => !(Number(r.Properties?.ServiceTimeout) >= 60 && Number(r.Properties?.ServiceTimeout) <= 3600))
            .map(([id, r]) => `${f.stack}/${id} (${r.Type}): ServiceTimeout ${JSON.stringify(r.Properties?.ServiceTimeout)}`),
        );
      expect(missing).toEqual([]);
    });

    test.each(names)("%s: no E-level cfn-lint finding (CloudFormation's schema) in any template", (name) => {
      const errors = results.findings.filter((f) => f.config === name && f.level === 'Error' && !ignoredBy(f));
      expect(errors.map(formatFinding)).toEqual([]);
    });
  });
  return results;
}
