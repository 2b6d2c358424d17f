import type { PolicyViolation } from 'aws-cdk-lib';
import { PACK_NAMES, type PackName } from './packs';

export type Severity = 'error' | 'warning';

/** One unacknowledged finding: a rule that a resource breaks. */
export interface Finding {
  readonly stage: string;
  readonly pack: PackName;
  readonly rule: string;
  readonly severity: Severity;
  readonly description: string;
  readonly resources: readonly string[];
}

/** Findings of every pack on every stage, gathered while the app synthesizes. */
export class ComplianceFindings {
  private readonly items: Finding[] = [];

  record(stage: string, pack: PackName, violations: readonly PolicyViolation[]): void {
    for (const v of violations) {
      this.items.push({
        stage,
        pack,
        rule: v.ruleName,
        severity: v.severity === 'error' ? 'error' : 'warning',
        description: v.description,
        resources: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? '?'),
      });
    }
  }

  get all(): readonly Finding[] {
    return this.items;
  }

  get errors(): readonly Finding[] {
    return this.items.filter((f) => f.severity === 'error');
  }

  /** Number of resources in breach, per pack and severity. */
  count(pack: PackName, severity: Severity): number {
    return this.items.filter((f) => f.pack === pack && f.severity === severity).reduce((n, f) => n + f.resources.length, 0);
  }

  packs(): readonly PackName[] {
    return PACK_NAMES;
  }
}
