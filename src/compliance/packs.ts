import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, type NagPack, PCIDSS321Checks } from 'cdk-nag';

/** The four rule packs every stage is checked against, by the prefix their rule ids carry. */
export const RULE_PACKS = {
  AwsSolutions: () => new AwsSolutionsChecks(),
  'NIST.800.53.R5': () => new NIST80053R5Checks(),
  'PCI.DSS.321': () => new PCIDSS321Checks(),
  'HIPAA.Security': () => new HIPAASecurityChecks(),
} as const satisfies Record<string, () => NagPack>;

export type PackName = keyof typeof RULE_PACKS;
export const PACK_NAMES = Object.keys(RULE_PACKS) as PackName[];

/** The pack a rule id belongs to (`AwsSolutions-IAM5[Action::s3:*]` → `AwsSolutions`). */
export function packOf(ruleId: string): PackName | undefined {
  return PACK_NAMES.find((pack) => ruleId.startsWith(`${pack}-`));
}
