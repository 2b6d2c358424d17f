import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';

/** Operating-system rule groups matching the fleet's AMI. */
export const OS_RULE_GROUPS = {
  /** Amazon Linux: LFI and command injection aimed at Linux, plus POSIX shell and path attacks. */
  'amazon-linux': ['AWSManagedRulesLinuxRuleSet', 'AWSManagedRulesUnixRuleSet'],
  windows: ['AWSManagedRulesWindowsRuleSet'],
} as const;
export type FleetOperatingSystem = keyof typeof OS_RULE_GROUPS;

/**
 * AWS managed rule groups every web ACL carries, in evaluation order: the
 * cheap IP reputation list first, then the OWASP-style baseline, known bad
 * inputs (Log4j, Java deserialization) and SQL injection. Together with the
 * OS groups they stay under the 1,500 WCU included in the web ACL price.
 */
export const BASELINE_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
] as const;

/** CloudWatch metrics and sampled requests on, for a rule or the ACL (Security Hub WAF.12). */
export function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/** An AWS managed rule group, with its own actions (no override). */
export function managedGroupRule(name: string, priority: number): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: visibility(name),
  };
}

/** Blocks a client IP that sends more than `limit` requests in any 5-minute window. */
export function rateLimitRule(limit: number, priority: number): wafv2.CfnWebACL.RuleProperty {
  return {
    name: 'RateLimitPerIp',
    priority,
    action: { block: {} },
    statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit, evaluationWindowSec: 300 } },
    visibilityConfig: visibility('RateLimitPerIp'),
  };
}

/** Blocks requests matching `statement`, or (`invert`) every request that does not match it. */
export function blockRule(name: string, priority: number, statement: wafv2.CfnWebACL.StatementProperty, invert: boolean): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    action: { block: {} },
    statement: invert ? { notStatement: { statement } } : statement,
    visibilityConfig: visibility(name),
  };
}
