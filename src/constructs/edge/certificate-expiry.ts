import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

export interface CertificateExpiryProps {
  /** The certificate to watch. */
  readonly certificateArn: string;
  /** Days before expiry from which the certificate counts as expiring. @default 45 */
  readonly daysToExpiration?: number;
  /**
   * Where expiry events go (the account's findings routing).
   * @default - the rule has no target; add one with `rule.addTarget()`
   */
  readonly target?: events.IRuleTarget;
  /**
   * Whether to add the AWS Config rule. It needs a configuration recorder in
   * the account (this account's in standalone mode, the organization's otherwise).
   * @default true
   */
  readonly configRule?: boolean;
}

/**
 * Watches one certificate for expiry, as the SRA asks for imported
 * certificates (ACM does not renew them) and as a backstop for ACM-managed
 * ones whose renewal fails (a validation record removed, a CA disabled): an
 * AWS Config rule that marks it NON_COMPLIANT, and an EventBridge rule on the
 * daily "ACM Certificate Approaching Expiration" event.
 */
export class CertificateExpiry extends Construct {
  readonly rule: events.Rule;
  readonly configRule?: config.ManagedRule;

  constructor(scope: Construct, id: string, props: CertificateExpiryProps) {
    super(scope, id);
    const days = props.daysToExpiration ?? 45;
    if (!Number.isInteger(days) || days < 1 || days > 365) {
      throw new Error(`${this.node.path}: daysToExpiration must be a whole number of days from 1 to 365 (got ${days})`);
    }
    this.rule = new events.Rule(this, 'Events', {
      description: 'An ACM certificate of the load balancer is approaching expiry',
      eventPattern: { source: ['aws.acm'], detailType: ['ACM Certificate Approaching Expiration'], resources: [props.certificateArn] },
      targets: props.target ? [props.target] : undefined,
    });
    if (props.configRule ?? true) {
      this.configRule = new config.ManagedRule(this, 'ConfigRule', {
        identifier: config.ManagedRuleIdentifiers.ACM_CERTIFICATE_EXPIRATION_CHECK,
        description: `NON_COMPLIANT when the load balancer certificate expires within ${days} days`,
        inputParameters: { daysToExpiration: days },
        ruleScope: config.RuleScope.fromResource(config.ResourceType.ACM_CERTIFICATE, props.certificateArn),
      });
    }
  }
}
