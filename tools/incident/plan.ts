export interface StepReport {
  readonly step: string;
  readonly done: string[];
  readonly planned: string[];
  readonly notDone: string[];
}

/** The plan a dry run recorded, step by step, as lines to print. */
export function planLines(output: unknown): string[] {
  const results = ((output as { results?: Record<string, StepReport> })?.results ?? {}) as Record<string, StepReport>;
  const lines: string[] = [];
  for (const [state, report] of Object.entries(results)) {
    if (!report || !Array.isArray(report.planned)) continue;
    lines.push(`${state}:`);
    for (const p of report.planned) lines.push(`  would ${p}`);
    for (const d of report.done) lines.push(`  found ${d}`);
    for (const n of report.notDone) lines.push(`  cannot ${n}`);
  }
  return lines;
}

