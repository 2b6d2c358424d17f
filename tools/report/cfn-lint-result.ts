import { CFN_LINT_IGNORES, ignoredBy } from '../../test/compliance/cfn-lint-ignores';
import { cfnLint, cfnLintCommand, formatFinding } from '../../test/helpers/cfn-lint';
import type { ReportStack } from './assembly';

export interface CfnLintResult {
  readonly ran: boolean;
  readonly detail: string;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** Findings of cfn-lint's older bundled schema, each with the reason it is not a defect. */
  readonly ignored: readonly { readonly finding: string; readonly reason: string }[];
}

/** cfn-lint over every template of the report, with the same ignore list as the compliance tests; "not run" without it. */
export function runCfnLint(stacks: readonly ReportStack[], configPath: string): CfnLintResult {
  let command: string;
  try {
    command = cfnLintCommand();
  } catch (error) {
    return { ran: false, detail: `not run: ${(error as Error).message}`, errors: [], warnings: [], ignored: [] };
  }
  const files = stacks.map((s) => ({ config: configPath, stack: `${s.stage}/${s.id}`, path: s.templatePath, region: s.region, template: s.template }));
  const findings = cfnLint(files);
  const ignored = findings.flatMap((f) => {
    const entry = ignoredBy(f);
    return entry ? [{ finding: formatFinding(f), reason: entry.reason }] : [];
  });
  const kept = findings.filter((f) => !ignoredBy(f));
  return {
    ran: true,
    detail: `${command} over ${files.length} templates; ${CFN_LINT_IGNORES.length} schema-lag entries known`,
    errors: kept.filter((f) => f.level === 'Error').map(formatFinding),
    warnings: kept.filter((f) => f.level !== 'Error').map(formatFinding),
    ignored,
  };
}
