import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { type WafLogDestination, WebAclLogging } from './web-acl-logging';
import { BASELINE_RULE_GROUPS, blockRule, type FleetOperatingSystem, managedGroupRule, OS_RULE_GROUPS, rateLimitRule, visibility } from './web-acl-rules';

/** Addresses to block, or the only addresses admitted. */
export interface IpLists {
  /** CIDRs whose requests are blocked. @default - none */
  readonly deny?: readonly string[];
  /** When set, requests from anywhere else are blocked. @default - every address admitted */
  readonly allow?: readonly string[];
}

/** Countries (ISO 3166 alpha-2 codes) to block, or the only countries admitted. */
export interface GeoLists {
  /** @default - none */
  readonly deny?: readonly string[];
  /** When set, requests from any other country are blocked. @default - every country admitted */
  readonly allow?: readonly string[];
}

export interface WebAclProps {
  /** ARN of the application load balancer to protect. */
  readonly loadBalancerArn: string;
  /** Name of the web ACL and prefix of its metric names, e.g. `sra-app-dev`. */
  readonly name: string;
  /** Where every inspected request is logged. */
  readonly logging: WafLogDestination;
  /** Requests per client IP per 5 minutes above which the IP is blocked. @default 2000 */
  readonly rateLimit?: number;
  /** OS of the fleet's AMI, choosing the OS rule groups. @default 'amazon-linux' */
  readonly operatingSystem?: FleetOperatingSystem;
  /** @default - no IP lists */
  readonly ipLists?: IpLists;
  /** @default - no geographic lists */
  readonly geoLists?: GeoLists;
}

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;
const COUNTRY = /^[A-Z]{2}$/;

/**
 * A regional AWS WAF web ACL on the load balancer: block lists first, then a
 * per-IP rate limit, then AWS managed rule groups (IP reputation, common,
 * known bad inputs, SQL injection and the fleet's OS). Every rule and the ACL
 * publish CloudWatch metrics and sample requests; every request is logged
 * with the `authorization` and `cookie` headers redacted. Requests nothing
 * blocks are allowed.
 */
export class WebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly webAclArn: string;
  readonly association: wafv2.CfnWebACLAssociation;
  readonly logging: WebAclLogging;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const rateLimit = props.rateLimit ?? 2000;
    if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) {
      throw new Error(`${this.node.path}: rateLimit must be a whole number of requests from 10 to 2,000,000,000 per 5 minutes (got ${rateLimit})`);
    }
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(props.name)) {
      throw new Error(`${this.node.path}: name may use letters, digits, "-" and "_" only, up to 100 characters (got ${JSON.stringify(props.name)})`);
    }
    const os = props.operatingSystem ?? 'amazon-linux';
    if (!(os in OS_RULE_GROUPS)) throw new Error(`${this.node.path}: operatingSystem must be one of ${Object.keys(OS_RULE_GROUPS).join(', ')} (got ${JSON.stringify(os)})`);

    const rules: wafv2.CfnWebACL.RuleProperty[] = [];
    let priority = 0;
    const ipDeny = this.ipSet('DeniedAddresses', props.ipLists?.deny, 'ipLists.deny');
    if (ipDeny) rules.push(blockRule('DeniedAddresses', priority++, { ipSetReferenceStatement: { arn: ipDeny.attrArn } }, false));
    const ipAllow = this.ipSet('AllowedAddresses', props.ipLists?.allow, 'ipLists.allow');
    if (ipAllow) rules.push(blockRule('NotAllowedAddresses', priority++, { ipSetReferenceStatement: { arn: ipAllow.attrArn } }, true));
    const geoDeny = this.countries(props.geoLists?.deny, 'geoLists.deny');
    if (geoDeny) rules.push(blockRule('DeniedCountries', priority++, { geoMatchStatement: { countryCodes: geoDeny } }, false));
    const geoAllow = this.countries(props.geoLists?.allow, 'geoLists.allow');
    if (geoAllow) rules.push(blockRule('NotAllowedCountries', priority++, { geoMatchStatement: { countryCodes: geoAllow } }, true));
    rules.push(rateLimitRule(rateLimit, priority++));
    for (const group of [...BASELINE_RULE_GROUPS, ...OS_RULE_GROUPS[os]]) rules.push(managedGroupRule(group, priority++));

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      name: props.name,
      description: 'Protects the application load balancer: block lists, per-IP rate limit and AWS managed rule groups',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: visibility(props.name),
    });
    this.webAclArn = this.webAcl.attrArn;
    this.association = new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.loadBalancerArn, webAclArn: this.webAclArn });
    this.logging = new WebAclLogging(this, 'Logging', { webAclArn: this.webAclArn, destination: props.logging });
  }

  private ipSet(id: string, cidrs: readonly string[] | undefined, prop: string): wafv2.CfnIPSet | undefined {
    if (cidrs === undefined) return undefined;
    const bad = cidrs.filter((cidr) => !CIDR.test(cidr));
    if (cidrs.length === 0 || bad.length > 0) {
      throw new Error(`${this.node.path}: ${prop} must be a non-empty list of IPv4 CIDRs such as 203.0.113.0/24 (bad: ${JSON.stringify(bad)})`);
    }
    return new wafv2.CfnIPSet(this, id, { scope: 'REGIONAL', ipAddressVersion: 'IPV4', addresses: [...cidrs], description: `${prop} of the web ACL` });
  }

  private countries(codes: readonly string[] | undefined, prop: string): string[] | undefined {
    if (codes === undefined) return undefined;
    const bad = codes.filter((code) => !COUNTRY.test(code));
    if (codes.length === 0 || bad.length > 0) {
      throw new Error(`${this.node.path}: ${prop} must be a non-empty list of upper-case ISO 3166 alpha-2 country codes such as DE (bad: ${JSON.stringify(bad)})`);
    }
    return [...codes];
  }
}
