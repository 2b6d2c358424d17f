import { containmentTimes } from '../containment-time';
import { HOURS_PER_MONTH, idleCost, optInCosts, PRICE_TABLE_DATE, PRICE_TABLE_REGION } from '../cost-model';
import type { ReportInput } from './assembly';
import type { CfnLintResult } from './cfn-lint-result';
import { escapeHtml, table } from './html';
import { budgets, CFN_LIMITS, stackLimits } from './limits';
import { matrixCounts, type Matrix } from './traceability';

const STYLE = `
body{font-family:system-ui,sans-serif;margin:24px;color:#1d2730;max-width:1800px}
h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-bottom:1px solid #ccd;padding-bottom:4px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}th,td{border:1px solid #d5dbe1;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#eef1f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.status-implemented{color:#1e7b34;font-weight:600}.status-partial{color:#9a6700;font-weight:600}.status-gap{color:#b42318;font-weight:700}
.status-out-of-scope,.status-informative{color:#5b6770}
.over{color:#b42318;font-weight:700}.ok{color:#1e7b34}
code{font-size:12px}.diagram{overflow:auto;border:1px solid #d5dbe1;padding:8px;background:#fff}
.diagram text{fill:#1d2730}.diagram .group-label{font-weight:600}.diagram .sub,.diagram .edge-label{fill:#5b6770;font-size:10px}
details{margin:4px 0}
table.matrix td:nth-child(3){min-width:260px}table.matrix td:nth-child(2){min-width:120px}
`;

const money = (n: number) => `$${n.toFixed(2)}`;
const status = (s: string) => ({ html: `<span class="status-${s}">${escapeHtml(s)}</span>` });
const list = (items: readonly string[]) => ({ html: items.length ? items.map((i) => `<code>${escapeHtml(i)}</code>`).join('<br>') : '—' });

function architecture(input: ReportInput, diagrams: readonly { env: string; svg: string }[]): string {
  const containment = (env: string) =>
    containmentTimes(input.stacks.filter((s) => s.stage === env).map((s) => s.template))
      .map((c) => `<p class="containment">Incident response: ${escapeHtml(c.stateMachine)} reaches containment in ${c.path.length} states; by design ${c.waitSeconds} s of waiting, at most ${c.firstAttemptSeconds} s if every step used its whole timeout once, ${c.worstCaseSeconds} s with every retry exhausted.</p>`)
      .join('');
  return [
    '<section id="architecture"><h2>Architecture</h2>',
    '<p>Drawn from the synthesized templates: each resource type is placed in its zone of the SRA application-account picture; plumbing (roles, policies, associations, log groups) is left out. Red arrows are the main flows.</p>',
    ...diagrams.map((d) => `<h3>Environment ${escapeHtml(d.env)}</h3><div class="diagram">${d.svg}</div>${containment(d.env)}`),
    '</section>',
  ].join('\n');
}

function traceability(m: Matrix): string {
  const counts = matrixCounts(m);
  const parts = [
    '<section id="traceability"><h2>Traceability: source requirements → code → tests → checks</h2>',
    `<p>${counts.traced} requirements and practices traced (docs/traceability.yaml, ${escapeHtml(m.date)}): ${counts.implemented} implemented, ${counts.partial} partly, ${counts.gap} open gaps, ${counts.outOfScope} outside this account, ${counts.informative} informative text with nothing to build.</p>`,
  ];
  for (const [key, src] of Object.entries(m.sources)) {
    parts.push(`<h3>${escapeHtml(src.title)}</h3>`);
    parts.push(
      table(
        ['id', 'section', 'requirement', 'status', 'implemented by', 'guarded by', 'checked once deployed'],
        m.rows
          .filter((r) => r.source === key)
          .map((r) => [
            r.id,
            r.section,
            { html: `${escapeHtml(r.requirement)}${r.note ? `<br><em>${escapeHtml(r.note)}</em>` : ''}` },
            status(r.status),
            list(r.implementation.map((i) => `${i.file}${i.construct ? ` ${i.construct}` : ''}${i.setting ? ` (${i.setting})` : ''}`)),
            list(r.tests.map((t) => `${t.file}${t.name ? ` › ${t.name}` : ''}`)),
            list([...r.checks.config.map((c) => `Config ${c}`), ...r.checks.securityHub.map((c) => `Security Hub ${c}`)]),
          ]),
        'matrix',
      ),
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function compliance(input: ReportInput, lint: CfnLintResult): string {
  const parts = [
    '<section id="compliance"><h2>Compliance</h2>',
    table(
      ['rule pack', 'rules evaluated', 'errors', 'warnings', 'acknowledgements'],
      input.packs.map((p) => [p.pack, input.rulesEvaluated[p.pack] ?? 0, p.errors, p.warnings, p.acknowledgements]),
    ),
  ];
  for (const p of input.packs) {
    const acks = input.acknowledgements.filter((a) => a.pack === p.pack);
    parts.push(`<details><summary>${escapeHtml(p.pack)}: ${acks.length} acknowledgements with their reasons</summary>`);
    parts.push(table(['rule', 'construct', 'reason'], acks.map((a) => [a.rule, a.path, a.reason])));
    parts.push('</details>');
  }
  const findings = input.findings;
  if (findings.length) parts.push('<h3>Unacknowledged findings</h3>', table(['pack', 'rule', 'severity', 'resources'], findings.map((f) => [f.pack, f.rule, f.severity, f.resources.join(', ')])));
  parts.push(`<h3 id="cfn-lint">cfn-lint</h3><p>${escapeHtml(lint.ran ? `${lint.errors.length} errors, ${lint.warnings.length} warnings (${lint.detail})` : lint.detail)}</p>`);
  if (lint.errors.length) parts.push(table(['error (fails the compliance tests)'], lint.errors.map((f) => [f])));
  if (lint.warnings.length) parts.push(`<details><summary>${lint.warnings.length} warnings (the compliance gate fails on errors only)</summary>${table(['warning'], lint.warnings.map((f) => [f]))}</details>`);
  if (lint.ignored.length) parts.push(`<details><summary>${lint.ignored.length} findings of cfn-lint's older schema, not defects</summary>${table(['finding', 'reason'], lint.ignored.map((i) => [i.finding, i.reason]))}</details>`);
  parts.push('</section>');
  return parts.join('\n');
}

function cost(input: ReportInput): string {
  const parts = [
    '<section id="cost"><h2>Monthly idle cost</h2>',
    `<p>From the synthesized resources and the price table in tools/cost-model.ts (${PRICE_TABLE_REGION} list prices of ${PRICE_TABLE_DATE}, ${HOURS_PER_MONTH} hours a month). Usage (requests, GB, log lines, findings) is left out: this is what an environment costs before traffic.</p>`,
  ];
  for (const env of input.environments) {
    const stacks = input.stacks.filter((s) => s.stage === env.name);
    const lines = idleCost(stacks.map((s) => s.template));
    const total = lines.reduce((n, l) => n + l.monthly, 0);
    const types = new Set(stacks.flatMap((s) => Object.values(s.template.Resources).map((r) => r.Type)));
    parts.push(`<h3>${escapeHtml(env.name)} (${escapeHtml(env.profileName)} profile): ${money(total)} a month</h3>`);
    parts.push(table(['component', 'count', '$/month'], [...lines.map((l) => [l.item, l.count, money(l.monthly)]), [{ html: '<strong>total</strong>' }, '', { html: `<strong>${money(total)}</strong>` }]]));
    parts.push(
      table(
        ['opt-in', 'would add $/month', 'basis'],
        optInCosts(lines, env.network.availabilityZones.length, types).map((o) => [o.option, o.included ? 'included above' : money(o.monthly), o.basis]),
      ),
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function limits(input: ReportInput): string {
  const parts = [
    '<section id="limits"><h2>Limits</h2>',
    `<p>CloudFormation: ${CFN_LIMITS.resources} resources per stack; a template body of at most ${CFN_LIMITS.templateBodyBytes.toLocaleString('en')} bytes sent directly, ${CFN_LIMITS.templateS3Bytes.toLocaleString('en')} bytes through S3 (the CDK uploads templates to the bootstrap bucket).</p>`,
    table(
      ['stack', 'resources', `of ${CFN_LIMITS.resources}`, 'template bytes (minified)', 'of 1 MB', 'delivery'],
      stackLimits(input.stacks).map((s) => [
        s.stack,
        s.resources,
        `${((s.resources / CFN_LIMITS.resources) * 100).toFixed(0)}%`,
        s.minifiedBytes,
        `${((s.minifiedBytes / CFN_LIMITS.templateS3Bytes) * 100).toFixed(1)}%`,
        s.needsS3 ? 'through S3 (over 51,200 bytes)' : 'direct or S3',
      ]),
    ),
  ];
  for (const env of input.environments) {
    const rows = budgets(input.stacks.filter((s) => s.stage === env.name), input.config.network.naclRulesPerDirection);
    parts.push(`<h3>Budgets of ${escapeHtml(env.name)}</h3>`);
    parts.push(table(['budget', 'used', 'limit', 'headroom', 'how counted'], rows.map((b) => [b.what, b.used, b.limit, { html: `<span class="${b.used > b.limit ? 'over' : 'ok'}">${b.limit - b.used}</span>` }, b.note])));
  }
  parts.push('</section>');
  return parts.join('\n');
}

export interface PageParts {
  readonly input: ReportInput;
  readonly diagrams: readonly { env: string; svg: string }[];
  readonly matrix: Matrix;
  readonly matrixProblems: readonly string[];
  readonly lint: CfnLintResult;
  readonly generated: string;
}

/** The whole report: one HTML document with everything inline and no external reference. */
export function renderPage(p: PageParts): string {
  const title = `${p.input.config.name}: account report (${p.input.configPath})`;
  const problems = p.matrixProblems.length
    ? `<p class="over">The matrix has ${p.matrixProblems.length} broken references:</p><ul>${p.matrixProblems.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>`
    : '';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>Mode ${escapeHtml(p.input.config.mode)}; environments ${escapeHtml(p.input.environments.map((e) => `${e.name} (${e.account}, ${e.region}, ${e.profileName})`).join(', '))}. Generated ${escapeHtml(p.generated)} by <code>npm run report</code>.</p>`,
    '<nav><a href="#architecture">Architecture</a> · <a href="#traceability">Traceability</a> · <a href="#compliance">Compliance</a> · <a href="#cost">Cost</a> · <a href="#limits">Limits</a></nav>',
    architecture(p.input, p.diagrams),
    problems,
    traceability(p.matrix),
    compliance(p.input, p.lint),
    cost(p.input),
    limits(p.input),
    '</body></html>',
  ].join('\n');
}
