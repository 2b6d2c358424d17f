import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { packOf, type PackName } from './packs';

/**
 * The one way this project acknowledges a rule-pack finding. Every
 * acknowledgement names one rule (or one finding of it) on one construct and
 * carries a reason a security reviewer can check; the list of all of them is
 * read back from the construct tree, so it cannot drift from what synth uses.
 */
export interface Acknowledgement {
  /** `Pack-Rule` or `Pack-Rule[Finding]`, exactly as the pack reports it, e.g. `AwsSolutions-EC23`. */
  readonly id: string;
  /** Why this finding is acceptable here: specific to this resource, at least 40 characters. */
  readonly reason: string;
}

export interface RecordedAcknowledgement extends Acknowledgement {
  readonly pack: PackName;
  /** Construct path the acknowledgement applies to (and everything below it). */
  readonly path: string;
}

const MIN_REASON_LENGTH = 40;
const VAGUE_REASONS = [/^n\/?a$/i, /false positive/i, /not (needed|required|applicable)\.?$/i, /^todo/i, /^(ok|fine|accepted|by design)\.?$/i];

/** Records an acknowledgement on `scope`; throws if the id is not a rule of one of the four packs or the reason is vague. */
export function acknowledge(scope: IConstruct, ack: Acknowledgement): void {
  const pack = packOf(ack.id);
  if (!pack) {
    throw new Error(`acknowledgement ${JSON.stringify(ack.id)} at ${scope.node.path}: id must start with a rule pack prefix (AwsSolutions-, NIST.800.53.R5-, PCI.DSS.321-, HIPAA.Security-) and use the Pack-Rule form`);
  }
  const reason = ack.reason.trim();
  if (reason.length < MIN_REASON_LENGTH || VAGUE_REASONS.some((re) => re.test(reason))) {
    throw new Error(`acknowledgement ${ack.id} at ${scope.node.path}: give a specific reason of at least ${MIN_REASON_LENGTH} characters saying why this resource is safe as it is`);
  }
  // The Pack-Rule form is the one cdk-nag matches; the Pack::Rule form is stored under another namespace and suppresses nothing.
  Validations.of(scope).acknowledge({ id: ack.id, reason });
}

/**
 * Acknowledges a finding of the CDK CLI's own template validation (`CloudFormation-Validate::<rule>`), which is not
 * one of the four packs: only where its data lags CloudFormation's published schema, with the reason.
 */
export function acknowledgeTemplateValidation(scope: IConstruct, ack: Acknowledgement): void {
  if (!/^CloudFormation-Validate::[A-Z]\d{4}$/.test(ack.id)) throw new Error(`template-validation acknowledgement ${JSON.stringify(ack.id)} at ${scope.node.path}: id must be CloudFormation-Validate::<rule>`);
  if (ack.reason.trim().length < MIN_REASON_LENGTH) throw new Error(`template-validation acknowledgement ${ack.id} at ${scope.node.path}: give a specific reason of at least ${MIN_REASON_LENGTH} characters`);
  Validations.of(scope).acknowledge({ id: ack.id, reason: ack.reason.trim() });
}

/** Acknowledges each rule id on `scope` with the same reason. */
export function acknowledgeAll(scope: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) acknowledge(scope, { id, reason });
}

/** Every acknowledgement under `root`, read from the construct tree. */
export function listAcknowledgements(root: IConstruct): RecordedAcknowledgement[] {
  const found: RecordedAcknowledgement[] = [];
  for (const node of root.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [qualified, reason] of Object.entries(entry.data as Record<string, string>)) {
        const id = qualified.replace(/^annotation::/i, '');
        const pack = packOf(id);
        if (pack) found.push({ id, reason, pack, path: node.node.path });
      }
    }
  }
  return found;
}
