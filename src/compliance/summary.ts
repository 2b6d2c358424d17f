import type { IConstruct } from 'constructs';
import { listAcknowledgements } from './acknowledgements';
import type { ComplianceFindings } from './findings';
import { PACK_NAMES } from './packs';

export interface PackSummary {
  readonly pack: string;
  readonly errors: number;
  readonly warnings: number;
  readonly acknowledgements: number;
}

/** Per pack: unacknowledged errors and warnings (resources in breach) and acknowledgements in force. */
export function summarize(root: IConstruct, findings: ComplianceFindings): PackSummary[] {
  const acks = listAcknowledgements(root);
  return PACK_NAMES.map((pack) => ({
    pack,
    errors: findings.count(pack, 'error'),
    warnings: findings.count(pack, 'warning'),
    acknowledgements: acks.filter((a) => a.pack === pack).length,
  }));
}

/** A fixed-width table for the terminal. */
export function formatSummary(rows: readonly PackSummary[]): string {
  const header = ['rule pack', 'errors', 'warnings', 'acknowledged'];
  const body = rows.map((r) => [r.pack, String(r.errors), String(r.warnings), String(r.acknowledgements)]);
  const total = ['total', ...[1, 2, 3].map((i) => String(body.reduce((n, row) => n + Number(row[i]), 0)))];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...body.map(line), rule, line(total)].join('\n');
}
