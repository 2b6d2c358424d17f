import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import type { InstanceTarget } from './patch-management';

/** The Command document the association runs, kept as YAML in the repository. */
export const OS_BASELINE_DOCUMENT = join(__dirname, 'os-baseline.ssm.yaml');

export interface OsBaselineProps {
  /** Prefix of the association name, e.g. `sra-app-dev`. */
  readonly name: string;
  /** The fleet's instances (see `AppFleet.fleetTag`). */
  readonly target: InstanceTarget;
  /** The only port the host firewall opens. */
  readonly appPort: number;
  /** The load balancer's subnets: the only sources admitted to the app port. */
  readonly loadBalancerCidrs: readonly string[];
  /** How often the baseline is enforced and reported (cron or rate, at least every 30 minutes). @default 'rate(1 day)' */
  readonly schedule?: string;
}

/**
 * The fleet's OS configuration, as the pillar's State Manager paragraph asks:
 * a State Manager association running this repository's document on every
 * instance at launch and on a schedule. It enforces a host firewall (nftables,
 * and firewalld where active: inbound only the app port from the load
 * balancer's subnets), auditd rules (identity files, sudoers, time changes,
 * module loading, setuid/setgid programs) and AIDE file integrity monitoring
 * with a daily check, and reports each control to Systems Manager compliance.
 * A failed control fails the run, so the association is NON_COMPLIANT (HIGH).
 */
export class OsBaseline extends Construct {
  readonly document: ssm.CfnDocument;
  readonly association: ssm.CfnAssociation;

  constructor(scope: Construct, id: string, props: OsBaselineProps) {
    super(scope, id);
    if (!Number.isInteger(props.appPort) || props.appPort < 1 || props.appPort > 65535 || props.appPort === 22) {
      throw new Error(`${this.node.path}: appPort must be a port number from 1 to 65535 other than 22 (got ${props.appPort})`);
    }
    if (props.loadBalancerCidrs.length === 0 || props.loadBalancerCidrs.some((c) => !/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(c))) {
      throw new Error(`${this.node.path}: loadBalancerCidrs must list at least one IPv4 CIDR (got ${JSON.stringify(props.loadBalancerCidrs)})`);
    }
    if (!props.target.key || props.target.values.length === 0) throw new Error(`${this.node.path}: target needs a tag key and at least one value`);
    const schedule = props.schedule ?? 'rate(1 day)';
    if (!/^(cron|rate)\(.+\)$/.test(schedule)) throw new Error(`${this.node.path}: schedule must be a cron(...) or rate(...) expression (got ${JSON.stringify(schedule)})`);

    this.document = new ssm.CfnDocument(this, 'Document', {
      documentType: 'Command',
      documentFormat: 'YAML',
      content: parse(readFileSync(OS_BASELINE_DOCUMENT, 'utf8')),
      updateMethod: 'NewVersion',
      targetType: '/AWS::EC2::Instance',
    });
    this.association = new ssm.CfnAssociation(this, 'Association', {
      name: this.document.ref,
      associationName: `${props.name}-os-baseline`,
      documentVersion: '$DEFAULT',
      parameters: { appPort: [String(props.appPort)], allowedCidrs: [props.loadBalancerCidrs.join(',')] },
      targets: [{ key: `tag:${props.target.key}`, values: [...props.target.values] }],
      scheduleExpression: schedule,
      complianceSeverity: 'HIGH',
      // One instance at a time, and a broken baseline stops before it reaches half the fleet.
      maxConcurrency: '1',
      maxErrors: '50%',
    });
  }
}
