import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, type IConstruct } from 'constructs';

/** Services reached through a gateway endpoint, by the managed prefix list security groups name. */
export const GATEWAY_SERVICES = ['s3', 'dynamodb'] as const;
export type GatewayService = (typeof GATEWAY_SERVICES)[number];

/**
 * AWS APIs that have no endpoint a VPC can hold, so their calls leave through
 * NAT: IAM is a global service with no regional interface endpoint (its API is
 * served from us-east-1 only), and neither do Organizations or the S3 Control
 * account-level calls through the gateway endpoint.
 */
export const NO_ENDPOINT_SERVICES: readonly string[] = ['iam', 'organizations'];

export interface ApiAccessProps {
  /** The interface endpoints' group; every interface endpoint of the VPC is behind it. */
  readonly endpoints: ec2.ISecurityGroup;
  /** Interface endpoints the VPC has, by service name (`kms`, `ssm`, …). */
  readonly interfaceEndpoints: readonly string[];
  /** The managed prefix list of each gateway endpoint. */
  readonly prefixLists: Readonly<Record<GatewayService, string>>;
}

/** Where egress rules go for one caller: through which endpoints, and what must leave through NAT. */
export interface EgressPlan {
  readonly interfaceCalls: readonly string[];
  readonly gatewayCalls: readonly GatewayService[];
  /** Services with no endpoint in this VPC, reached through NAT. */
  readonly viaNat: readonly string[];
}

const ID = 'ApiAccess';

/**
 * How workloads in a VPC reach the AWS APIs they call, so that their security
 * groups say exactly that: HTTPS to the endpoints' group for services with an
 * interface endpoint, HTTPS to the S3 or DynamoDB prefix list for the gateway
 * endpoints, and HTTPS to 0.0.0.0/0 (the NAT route) only for the services that
 * have no endpoint here and for named internet destinations, with the rule
 * naming them. Adding an endpoint to `network.interfaceEndpoints` removes its
 * service from every NAT rule. Registered on the VPC, so functions placed in
 * that VPC find it.
 */
export class ApiAccess extends Construct {
  /** The access registered on `vpc`, if its network stack registered one. */
  static of(vpc: IConstruct): ApiAccess | undefined {
    return vpc.node.tryFindChild(ID) as ApiAccess | undefined;
  }

  readonly endpoints: ec2.ISecurityGroup;
  readonly interfaceEndpoints: readonly string[];
  readonly prefixLists: Readonly<Record<GatewayService, string>>;

  constructor(vpc: ec2.IVpc, props: ApiAccessProps) {
    super(vpc, ID);
    this.endpoints = props.endpoints;
    this.interfaceEndpoints = props.interfaceEndpoints;
    this.prefixLists = props.prefixLists;
  }

  plan(calls: readonly string[]): EgressPlan {
    const unique = [...new Set(calls)];
    const gatewayCalls = unique.filter((c): c is GatewayService => (GATEWAY_SERVICES as readonly string[]).includes(c));
    const interfaceCalls = unique.filter((c) => this.interfaceEndpoints.includes(c));
    const viaNat = unique.filter((c) => !gatewayCalls.includes(c as GatewayService) && !interfaceCalls.includes(c));
    return { interfaceCalls, gatewayCalls, viaNat };
  }

  /**
   * Egress rules for `group`, which calls the AWS services `calls` (endpoint names; `s3`, `dynamodb`, `iam` …) and
   * the internet destinations `internet` (host names, for the rule's description and the README's list).
   */
  allowEgress(group: ec2.ISecurityGroup, calls: readonly string[], internet: readonly string[] = []): EgressPlan {
    const plan = this.plan(calls);
    if (plan.interfaceCalls.length) group.addEgressRule(this.endpoints, ec2.Port.tcp(443), ruleDescription('Interface endpoints', plan.interfaceCalls));
    for (const service of plan.gatewayCalls) {
      group.addEgressRule(ec2.Peer.prefixList(this.prefixLists[service]), ec2.Port.tcp(443), `${service} gateway endpoint`);
    }
    const outside = [...plan.viaNat.map((s) => `${s} API`), ...internet];
    if (outside.length) group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), ruleDescription('Through NAT, no endpoint here', outside));
    return plan;
  }
}

/** Security group rule descriptions take 255 characters of a restricted set. */
function ruleDescription(what: string, items: readonly string[]): string {
  return `${what}: ${items.join(', ')}`.replace(/[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, '').slice(0, 255);
}
