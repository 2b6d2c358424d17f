import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance';
import type { SubnetPlan, Tier } from '../../config';
import { SUBNET_GROUPS } from './planned-ip-addresses';

export interface TierNetworkAclsProps {
  readonly vpc: ec2.IVpc;
  readonly plan: SubnetPlan;
  /** Sources allowed to reach the load balancer. */
  readonly ingressCidrs: readonly string[];
  readonly appPort: number;
  readonly databasePort: number;
  /** Whether the app tier reaches the internet through NAT gateways in the public subnets. */
  readonly natEgress: boolean;
  /** Whether the data subnets hold CloudHSM HSMs that the app subnets use as clients (ports 2223-2225). @default false */
  readonly cloudHsm?: boolean;
}

/**
 * Rule numbers below every allow rule, left free for incident containment: the
 * isolation workflow writes deny entries for a compromised instance's addresses
 * here, so they take effect before any allow rule (ACLs match the lowest number).
 */
export const CONTAINMENT_RULE_NUMBERS = { first: 1, last: 99 } as const;
/** Allow rules start above the reserved block and step by 10. */
const FIRST_ALLOW_RULE = 100;

const ANYWHERE = '0.0.0.0/0';
/**
 * The whole IPv4 space in two halves, for the return-traffic rules. NAT
 * gateways pick source ports from 1024-65535, and Lambda's network interfaces
 * use the same range, so return traffic must be admitted on every one of those
 * ports, 3389 included (a range split around 3389 drops a NAT connection now
 * and then). Written as 0.0.0.0/0, that rule would fail Security Hub EC2.21
 * (no ACL admits 0.0.0.0/0 to 22 or 3389) for good, and a control that always
 * fails is a control nobody reads. Nothing in these subnets listens on 3389 (the
 * load balancer listens on 443 and 80, NAT accepts nothing unsolicited, the app
 * tier only the app port, which a deny entry shuts first), so the halves keep
 * EC2.21 meaningful for any rule that really opens 22 or 3389 to the world.
 */
const ANYWHERE_HALVES: readonly string[] = ['0.0.0.0/1', '128.0.0.0/1'];
const HTTPS = 443;
const HTTP = 80;
/** CloudHSM client traffic to the HSMs. */
const CLOUDHSM: readonly [number, number] = [2223, 2225];
/** Return traffic arrives on ephemeral ports: NAT gateways and Lambda use 1024-65535, Linux 32768-60999. */
const EPHEMERAL: readonly [number, number] = [1024, 65535];
const EPHEMERAL_OUT: readonly (readonly [number, number])[] = [EPHEMERAL];

interface Rule {
  readonly cidr: string;
  readonly ports: readonly [number, number];
  /** @default allow */
  readonly deny?: true;
}

/**
 * One network ACL per tier, written in both directions because ACLs are
 * stateless. Each admits only what its tier serves plus return traffic:
 * public takes 443/80 from the allowed sources; app takes the app port from
 * the public subnets and 443 (endpoints) from the app subnets; data takes the
 * database port from the app subnets. Everything else meets the implicit deny.
 *
 * Return traffic from anywhere has to be admitted on the ephemeral ports, and
 * the app port lies among them: the app ACL therefore denies the app port from
 * everywhere right after admitting it from the public subnets, ahead of the
 * return-traffic rule (ACLs stop at the first match, lowest number first).
 */
export class TierNetworkAcls extends Construct {
  readonly acls: Readonly<Record<Tier, ec2.NetworkAcl>>;

  constructor(scope: Construct, id: string, props: TierNetworkAclsProps) {
    super(scope, id);
    const { plan } = props;
    const each = (cidrs: readonly string[], ports: readonly [number, number]): Rule[] => cidrs.map((cidr) => ({ cidr, ports }));
    const port = (p: number): [number, number] => [p, p];
    const returnTraffic = () => each(ANYWHERE_HALVES, EPHEMERAL);
    const ephemeralOut = (cidrs: readonly string[]) => EPHEMERAL_OUT.flatMap((range) => each(cidrs, range));

    const rules: Record<Tier, { inbound: Rule[]; outbound: Rule[] }> = {
      public: {
        inbound: [
          ...each(props.ingressCidrs, port(HTTPS)),
          ...each(props.ingressCidrs, port(HTTP)),
          ...(props.natEgress ? each(plan.app, port(HTTPS)) : []),
          ...returnTraffic(),
        ],
        outbound: [...each(plan.app, port(props.appPort)), ...(props.natEgress ? each([ANYWHERE], port(HTTPS)) : []), ...ephemeralOut([ANYWHERE])],
      },
      app: {
        inbound: [
          ...each(plan.public, port(props.appPort)),
          ...each(plan.app, port(HTTPS)),
          // After the allows above (an app port of 443 must still reach the endpoints from the app
          // subnets) and before the return-traffic rule, which would admit the app port from anywhere.
          { cidr: ANYWHERE, ports: port(props.appPort), deny: true },
          ...returnTraffic(),
        ],
        outbound: [
          ...each(plan.data, port(props.databasePort)),
          ...each([ANYWHERE], port(HTTPS)),
          ...ephemeralOut(plan.public),
          ...ephemeralOut(plan.app),
          // Last, so that switching CloudHSM on or off renumbers no other rule.
          ...(props.cloudHsm ? each(plan.data, CLOUDHSM) : []),
        ],
      },
      data: {
        inbound: [...each(plan.app, port(props.databasePort)), ...(props.cloudHsm ? each(plan.app, CLOUDHSM) : [])],
        outbound: ephemeralOut(plan.app),
      },
    };

    const acls = {} as Record<Tier, ec2.NetworkAcl>;
    for (const tier of Object.keys(rules) as Tier[]) {
      const group = SUBNET_GROUPS[tier];
      const acl = new ec2.NetworkAcl(this, group, { vpc: props.vpc, subnetSelection: { subnetGroupName: group } });
      addEntries(acl, 'In', ec2.TrafficDirection.INGRESS, rules[tier].inbound);
      addEntries(acl, 'Out', ec2.TrafficDirection.EGRESS, rules[tier].outbound);
      acls[tier] = acl;
    }
    this.acls = acls;
    acknowledge(this, {
      id: 'AwsSolutions-VPC3',
      reason:
        'Per-tier network ACLs are a deliberate second, stateless boundary under the security groups (Security Pillar: control traffic at all layers)',
    });
  }
}

function addEntries(acl: ec2.NetworkAcl, prefix: string, direction: ec2.TrafficDirection, rules: readonly Rule[]): void {
  rules.forEach((rule, i) => {
    // Numbers start above the containment block (1-99), so incident deny entries always match first.
    // The id follows the number, so an entry keeps its id when its number does not change.
    const ruleNumber = FIRST_ALLOW_RULE + i * 10;
    acl.addEntry(`${prefix}${ruleNumber}`, {
      ruleNumber,
      cidr: ec2.AclCidr.ipv4(rule.cidr),
      traffic: ec2.AclTraffic.tcpPortRange(rule.ports[0], rule.ports[1]),
      direction,
      ruleAction: rule.deny ? ec2.Action.DENY : ec2.Action.ALLOW,
    });
  });
}
