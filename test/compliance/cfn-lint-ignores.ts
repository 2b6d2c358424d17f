import type { CfnLintFinding } from '../helpers/cfn-lint';

/**
 * cfn-lint findings that are not defects of ours. Only one kind belongs here: a property (or resource type) that
 * aws-cdk-lib's current CloudFormation schema has and cfn-lint 1.51's older bundled spec lacks. Each entry must still match a finding of the
 * example configs (a test fails otherwise), so that an entry goes when cfn-lint learns the property.
 */
export interface CfnLintIgnore {
  readonly rule: string;
  readonly resourceType: string;
  /** Path inside the resource, e.g. `Properties/Tags`. */
  readonly property: string;
  /** What the finding says; by default, that the property was unexpected. */
  readonly message?: RegExp;
  readonly reason: string;
}

export const CFN_LINT_IGNORES: readonly CfnLintIgnore[] = [
  {
    rule: 'E3002',
    resourceType: 'AWS::ElasticLoadBalancingV2::Listener',
    property: 'Properties/Tags',
    reason:
      "CloudFormation's resource schema for listeners has Tags (aws-cdk-lib 2.276 generates CfnListener.tags from it, and tags every listener); cfn-lint 1.51's bundled spec predates it",
  },
  {
    rule: 'E3002',
    resourceType: 'AWS::SSM::Association',
    property: 'Properties/Tags',
    reason:
      "CloudFormation's resource schema for State Manager associations has Tags (aws-cdk-lib 2.276 generates CfnAssociation.tags from it); cfn-lint 1.51's bundled spec predates it",
  },
  {
    rule: 'E3006',
    resourceType: 'AWS::SecurityHub::ActionTarget',
    property: 'Type',
    message: /^Resource type 'AWS::SecurityHub::ActionTarget' does not exist in '[a-z0-9-]+'$/,
    reason:
      "AWS::SecurityHub::ActionTarget is in CloudFormation's Template Reference (aws-cdk-lib 2.276 generates CfnActionTarget from it); cfn-lint 1.51's regional spec omits the type",
  },
];

export function ignoredBy(finding: CfnLintFinding): CfnLintIgnore | undefined {
  return CFN_LINT_IGNORES.find(
    (i) =>
      i.rule === finding.rule &&
      i.resourceType === finding.resourceType &&
      finding.path.split('/').slice(2).join('/') === i.property &&
      (i.message ? i.message.test(finding.message) : finding.message.includes(`'${i.property.split('/').pop()}' was unexpected`)),
  );
}
