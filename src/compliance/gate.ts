import { type Stage, Validations, type IPolicyValidationPlugin, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import type { ComplianceFindings } from './findings';
import { PACK_NAMES, RULE_PACKS, type PackName } from './packs';

/**
 * Runs one rule pack over exactly one stage. cdk-nag walks whatever tree it is
 * given and fails a report on warnings as well as errors; this plugin scopes it
 * to its own stage (so a pack registered on two stages does not check each
 * twice) and fails synth on errors only, recording every finding for the summary.
 */
class StageRulePack implements IPolicyValidationPlugin {
  readonly name: string;
  readonly version: string | undefined;

  constructor(
    private readonly stage: Stage,
    private readonly packName: PackName,
    private readonly pack: NagPack,
    private readonly findings: ComplianceFindings,
  ) {
    this.name = pack.name;
    this.version = pack.version;
  }

  // The context's tree is the whole app; this plugin checks only its own stage.
  validate(): PolicyValidationPluginReport {
    const report = this.pack.validateScope(this.stage);
    this.findings.record(this.stage.stageName, this.packName, report.violations);
    return { success: !report.violations.some((v) => v.severity === 'error'), violations: report.violations };
  }
}

/** Registers the four rule packs on `stage`; their findings go to `findings`. */
export function addComplianceGate(stage: Stage, findings: ComplianceFindings): void {
  Validations.of(stage).addPlugins(...PACK_NAMES.map((name) => new StageRulePack(stage, name, RULE_PACKS[name](), findings)));
}
