import { DEFAULT_NACL_RULES_PER_DIRECTION, RESERVED_DENY_ENTRIES } from '../../src/config/limits';
import { ELASTIC_IP_QUOTA } from '../preflight/elastic-ips';
import { INTERFACE_ENDPOINT_QUOTA } from '../preflight/interface-endpoints';
import type { ReportStack } from './assembly';

/** CloudFormation's limits a stack is measured against. */
export const CFN_LIMITS = { resources: 500, templateBodyBytes: 51_200, templateS3Bytes: 1_000_000 } as const;
/** Default VPC quotas the stacks budget against (AWS documented defaults). */
export const VPC_QUOTAS = { gatewayEndpointsPerVpc: 20, rulesPerSecurityGroup: 60 } as const;

export interface StackLimit {
  readonly stage: string;
  readonly stack: string;
  readonly resources: number;
  readonly minifiedBytes: number;
  /** Over 51,200 bytes the template goes through S3 (the CDK uploads it with the assets). */
  readonly needsS3: boolean;
}

export interface Budget {
  readonly what: string;
  readonly used: number;
  readonly limit: number;
  readonly note: string;
}

export function stackLimits(stacks: readonly ReportStack[]): StackLimit[] {
  return stacks.map((s) => ({
    stage: s.stage,
    stack: s.stackName,
    resources: Object.keys(s.template.Resources ?? {}).length,
    minifiedBytes: s.minifiedBytes,
    needsS3: s.minifiedBytes > CFN_LIMITS.templateBodyBytes,
  }));
}

type Resource = { readonly Type: string; readonly Properties?: Record<string, unknown> };

/** NACL, endpoint, address and security-group budgets of one environment, counted in its templates. */
export function budgets(stacks: readonly ReportStack[], naclQuota = DEFAULT_NACL_RULES_PER_DIRECTION): Budget[] {
  const all: [string, Resource][] = stacks.flatMap((s) => Object.entries(s.template.Resources ?? {}).map(([id, r]) => [`${s.id}/${id}`, r] as [string, Resource]));
  const ofType = (type: string) => all.filter(([, r]) => r.Type === type);
  const rows: Budget[] = [];
  for (const [id] of ofType('AWS::EC2::NetworkAcl')) {
    const logicalId = id.split('/')[1]!;
    for (const egress of [false, true]) {
      const used = ofType('AWS::EC2::NetworkAclEntry').filter(([, r]) => (r.Properties?.NetworkAclId as { Ref?: string } | undefined)?.Ref === logicalId && Boolean(r.Properties?.Egress) === egress).length;
      rows.push({ what: `network ACL ${logicalId}, ${egress ? 'outbound' : 'inbound'} rules`, used: used + RESERVED_DENY_ENTRIES, limit: naclQuota, note: `${used} allow rules + ${RESERVED_DENY_ENTRIES} kept for incident-response denies` });
    }
  }
  const endpoints = ofType('AWS::EC2::VPCEndpoint');
  const interfaces = endpoints.filter(([, r]) => r.Properties?.VpcEndpointType === 'Interface').length;
  rows.push({ what: 'interface endpoints per VPC', used: interfaces, limit: INTERFACE_ENDPOINT_QUOTA.documentedDefault, note: `Service Quotas ${INTERFACE_ENDPOINT_QUOTA.serviceCode} ${INTERFACE_ENDPOINT_QUOTA.quotaCode}; GuardDuty Runtime Monitoring may add one` });
  rows.push({ what: 'gateway endpoints per VPC', used: endpoints.length - interfaces, limit: VPC_QUOTAS.gatewayEndpointsPerVpc, note: 'documented default' });
  rows.push({ what: 'Elastic IP addresses (NAT gateways)', used: ofType('AWS::EC2::EIP').length, limit: ELASTIC_IP_QUOTA.documentedDefault, note: `per Region, with those already allocated; Service Quotas ${ELASTIC_IP_QUOTA.serviceCode} ${ELASTIC_IP_QUOTA.quotaCode}` });
  const groupRules = new Map<string, { in: number; out: number }>();
  for (const [id, r] of ofType('AWS::EC2::SecurityGroup')) {
    const logicalId = id.split('/')[1]!;
    const rules = groupRules.get(logicalId) ?? { in: 0, out: 0 };
    rules.in += ((r.Properties?.SecurityGroupIngress as unknown[] | undefined) ?? []).length;
    rules.out += ((r.Properties?.SecurityGroupEgress as unknown[] | undefined) ?? []).length;
    groupRules.set(logicalId, rules);
  }
  for (const [type, key] of [['AWS::EC2::SecurityGroupIngress', 'in'], ['AWS::EC2::SecurityGroupEgress', 'out']] as const) {
    for (const [, r] of ofType(type)) {
      const ref = (r.Properties?.GroupId as { 'Fn::GetAtt'?: [string] } | undefined)?.['Fn::GetAtt']?.[0] ?? (r.Properties?.GroupId as { Ref?: string } | undefined)?.Ref;
      const rules = ref ? groupRules.get(ref) : undefined;
      if (rules) rules[key]++;
    }
  }
  const busiest = [...groupRules].sort((a, b) => Math.max(b[1].in, b[1].out) - Math.max(a[1].in, a[1].out))[0];
  if (busiest) rows.push({ what: `rules of the busiest security group (${busiest[0]}), per direction`, used: Math.max(busiest[1].in, busiest[1].out), limit: VPC_QUOTAS.rulesPerSecurityGroup, note: 'rules declared in its own stack; cross-stack rules are counted in the stack that writes them' });
  return rows;
}
