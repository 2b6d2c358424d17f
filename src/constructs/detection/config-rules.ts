import { Annotations, Aws } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import { ManagedPolicyRole } from '../lambda/managed-policy-role';
import { type CatalogOptions, type CatalogRule, configRuleCatalog, DEFAULT_CATALOG_OPTIONS } from './config-rule-catalog';
import { ConfigRecorder, type ConfigRecorderProps } from './config-recorder';

export type ConfigRulesProps =
  | {
      /** This account runs Config itself: a recorder and delivery channel are created, and the rules wait for them. */
      readonly mode: 'standalone';
      /** Where the recorder delivers, and what it records. */
      readonly recorder: ConfigRecorderProps;
      /** Rule parameters (password policy, rotation interval, TLS policies, blocked ports). @default DEFAULT_CATALOG_OPTIONS */
      readonly catalog?: Partial<CatalogOptions>;
      /** Identifiers of catalog rules to leave out, e.g. one AWS does not offer in the region. @default - none */
      readonly exclude?: readonly string[];
      /** Run the catalog's remediations automatically; false leaves them to be started by hand. @default true */
      readonly automaticRemediation?: boolean;
    }
  | {
      /** The organization's Config (recorder and delivery) already runs in this account; only the rules are added. */
      readonly mode: 'organization';
      /** Rule parameters. @default DEFAULT_CATALOG_OPTIONS */
      readonly catalog?: Partial<CatalogOptions>;
      /** Identifiers of catalog rules to leave out. @default - none */
      readonly exclude?: readonly string[];
      /** Run the catalog's remediations automatically. @default true */
      readonly automaticRemediation?: boolean;
    };

/**
 * The workload's AWS Config rules, from `configRuleCatalog`, with their safe
 * remediations; in standalone mode also the recorder they need. Compliance
 * changes reach EventBridge (`FindingsRouting` routes NON_COMPLIANT ones) and
 * Security Hub.
 */
export class ConfigRules extends Construct {
  readonly recorder?: ConfigRecorder;
  /** Rules by catalog id. */
  readonly rules: Readonly<Record<string, config.ManagedRule>>;
  readonly remediations: readonly config.CfnRemediationConfiguration[];

  constructor(scope: Construct, id: string, props: ConfigRulesProps) {
    super(scope, id);
    const catalog = configRuleCatalog({ ...DEFAULT_CATALOG_OPTIONS, ...props.catalog });
    const unknown = (props.exclude ?? []).filter((identifier) => !catalog.some((r) => r.identifier === identifier));
    if (unknown.length) throw new Error(`${this.node.path}: exclude names rules not in the catalog: ${unknown.join(', ')}`);
    const chosen = catalog.filter((r) => !props.exclude?.includes(r.identifier));

    this.recorder = props.mode === 'standalone' ? new ConfigRecorder(this, 'Recording', props.recorder) : undefined;
    const rules: Record<string, config.ManagedRule> = {};
    const remediations: config.CfnRemediationConfiguration[] = [];
    for (const entry of chosen) {
      const rule = new config.ManagedRule(this, entry.id, {
        identifier: entry.identifier,
        description: `${entry.description} Guards: ${entry.requirement}.${entry.securityHubControl ? ` Security Hub ${entry.securityHubControl}.` : ''}`,
        inputParameters: entry.inputParameters ? { ...entry.inputParameters } : undefined,
      });
      // Config refuses rules until the account has a recorder.
      if (this.recorder) rule.node.addDependency(this.recorder);
      this.warnIfNotRecorded(entry);
      rules[entry.id] = rule;
      if (entry.remediation) remediations.push(this.remediate(entry, rule, props.automaticRemediation ?? true));
    }
    this.rules = rules;
    this.remediations = remediations;
  }

  /** A rule on a type the recorder leaves out never evaluates anything, silently. */
  private warnIfNotRecorded(entry: CatalogRule): void {
    const unrecorded = (entry.evaluates ?? []).filter((type) => this.recorder && !this.recorder.records(type));
    if (unrecorded.length) {
      Annotations.of(this).addWarningV2(`sra:config-unrecorded-${entry.id}`, `${entry.identifier} evaluates ${unrecorded.join(', ')}, which the recorder does not record; add them to resourceTypes`);
    }
  }

  /** SSM Automation remediation, run by a role that SSM assumes for this account only and that may call nothing but the runbook's actions. */
  private remediate(entry: CatalogRule, rule: config.ManagedRule, automatic: boolean): config.CfnRemediationConfiguration {
    const remediation = entry.remediation!;
    const role = new ManagedPolicyRole(this, `${entry.id}RemediationRole`, {
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } }),
      description: `SSM Automation ${remediation.document}: remediate ${entry.identifier}`,
    });
    // The catalog's remediations change account-level settings, whose actions take no resource.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...remediation.actions], resources: ['*'] }));
    acknowledge(role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${remediation.document} changes an account-level setting through ${remediation.actions.join(' and ')}, which support no resource-level permission; the role admits only SSM acting for this account`,
    });
    const staticValue = (value: string) => ({ StaticValue: { Values: [value === 'ACCOUNT_ID' ? Aws.ACCOUNT_ID : value] } });
    return new config.CfnRemediationConfiguration(this, `${entry.id}Remediation`, {
      configRuleName: rule.configRuleName,
      targetType: 'SSM_DOCUMENT',
      targetId: remediation.document,
      parameters: {
        AutomationAssumeRole: staticValue(role.roleArn),
        ...Object.fromEntries(Object.entries(remediation.parameters).map(([name, value]) => [name, staticValue(value)])),
      },
      automatic,
      maximumAutomaticAttempts: 3,
      retryAttemptSeconds: 60,
    });
  }
}
