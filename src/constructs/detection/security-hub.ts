import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';

/** Security Hub standards this construct can subscribe to, by the path of their standards ARN. */
export const SECURITY_HUB_STANDARDS = {
  /** AWS Foundational Security Best Practices: the controls listed in ANCHORS.md. */
  'aws-foundational-security-best-practices': 'aws-foundational-security-best-practices/v/1.0.0',
  /** CIS AWS Foundations Benchmark v3.0.0. */
  'cis-aws-foundations-benchmark-3.0': 'cis-aws-foundations-benchmark/v/3.0.0',
  /** NIST SP 800-53 Rev. 5, the same framework as one of the synth-time rule packs. */
  'nist-800-53-r5': 'nist-800-53/v/5.0.0',
} as const;

export type SecurityHubStandard = keyof typeof SECURITY_HUB_STANDARDS;

export const DEFAULT_SECURITY_HUB_STANDARDS: readonly SecurityHubStandard[] = ['aws-foundational-security-best-practices', 'cis-aws-foundations-benchmark-3.0'];

export interface SecurityHubProps {
  /** Standards to subscribe to. @default FSBP and CIS 3.0 (`DEFAULT_SECURITY_HUB_STANDARDS`) */
  readonly standards?: readonly SecurityHubStandard[];
  /**
   * The account is already subscribed (one hub per account and Region): no
   * hub is created and the standards are subscribed on the existing one. Its
   * control-finding and auto-enable settings stay as they are.
   * @default false
   */
  readonly adoptExistingHub?: boolean;
  /**
   * Standards the adopted hub already has enabled: not subscribed again, since
   * Security Hub refuses to enable a standard twice. They stay enabled.
   * @default - none
   */
  readonly alreadyEnabled?: readonly SecurityHubStandard[];
}

/**
 * AWS Security Hub for an account that runs it itself (standalone mode; in
 * organization mode the delegated administrator enables it centrally).
 * Consolidated control findings (one finding per control, whatever the number
 * of standards it belongs to), new controls enabled as AWS releases them, and
 * only the standards chosen here: the console's defaults are switched off so a
 * deployment never subscribes to more than is listed.
 *
 * Most controls are evaluated through AWS Config, so the account also needs a
 * configuration recorder (`ConfigRules` in standalone mode).
 */
export class SecurityHub extends Construct {
  /** The hub this construct created; undefined when the account's existing one is adopted. */
  readonly hub?: securityhub.CfnHub;
  readonly standards: readonly securityhub.CfnStandard[];

  constructor(scope: Construct, id: string, props: SecurityHubProps = {}) {
    super(scope, id);
    const chosen = props.standards ?? DEFAULT_SECURITY_HUB_STANDARDS;
    if (new Set(chosen).size !== chosen.length) throw new Error(`${this.node.path}: standards lists a standard twice (${chosen.join(', ')})`);
    this.hub = props.adoptExistingHub
      ? undefined
      : new securityhub.CfnHub(this, 'Resource', {
          controlFindingGenerator: 'SECURITY_CONTROL',
          autoEnableControls: true,
          enableDefaultStandards: false,
        });
    this.standards = chosen.filter((name) => !props.alreadyEnabled?.includes(name)).map((name) => {
      const standard = new securityhub.CfnStandard(this, name, { standardsArn: standardsArn(this, name) });
      if (this.hub) standard.node.addDependency(this.hub);
      return standard;
    });
  }
}

/** `arn:<partition>:securityhub:<region>::standards/<path>`: standards ARNs carry a region but no account. */
export function standardsArn(scope: Construct, standard: SecurityHubStandard): string {
  return Stack.of(scope).formatArn({
    service: 'securityhub',
    account: '',
    resource: 'standards',
    resourceName: SECURITY_HUB_STANDARDS[standard],
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
