import type { ReportStack } from './assembly';

/**
 * What the architecture diagram shows, derived from the synthesized templates only: each resource type maps to a
 * zone of the SRA application-account picture (internet, edge, the VPC with its zones and tier subnets, endpoints,
 * data tier, account services, log archive, incident response). A type the catalogue does not know, and that is not
 * plumbing (roles, policies, associations, log groups …), still gets a box, in the zone of its stack, or in a zone
 * named after a stack the catalogue does not know; so a new stack or service shows up without a change here.
 */
export type ZoneId = 'edge' | 'vpc-controls' | 'endpoints' | 'data' | 'services' | 'logging' | 'response' | `stack:${string}`;
export type Tier = 'public' | 'app' | 'data';

export interface DiagramNode {
  readonly id: string;
  readonly label: string;
  readonly count: number;
  readonly types: readonly string[];
  readonly stacks: readonly string[];
  readonly zone: ZoneId;
}

export interface Subnet {
  readonly id: string;
  readonly zone: string;
  readonly tier: string;
  readonly cidr: string;
  /** Nodes placed in this subnet (the tier's presence of the ALB, fleet, database, HSMs, NAT). */
  readonly nodes: readonly { readonly id: string; readonly label: string; readonly type: string; readonly stack: string }[];
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
}

export interface DiagramModel {
  readonly zones: readonly { readonly id: ZoneId; readonly label: string }[];
  readonly nodes: readonly DiagramNode[];
  readonly vpc?: { readonly id: string; readonly cidr: string; readonly stack: string; readonly subnets: readonly Subnet[] };
  readonly edges: readonly DiagramEdge[];
}

interface TypeInfo {
  readonly label: string;
  /** Fixed zone; without one, the zone of the stack the resource is in. */
  readonly zone?: ZoneId;
  /** Also drawn inside each subnet of this tier. */
  readonly tier?: Tier;
}

/** Resource types with a place of their own in the SRA picture. */
export const TYPE_CATALOG: Readonly<Record<string, TypeInfo>> = {
  'AWS::WAFv2::WebACL': { label: 'AWS WAF web ACL', zone: 'edge' },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { label: 'Application Load Balancer', zone: 'edge', tier: 'public' },
  'AWS::CertificateManager::Certificate': { label: 'ACM certificate', zone: 'edge' },
  'AWS::ACMPCA::CertificateAuthority': { label: 'ACM Private CA', zone: 'edge' },
  'AWS::Shield::Protection': { label: 'Shield Advanced protection', zone: 'edge' },
  'AWS::NetworkFirewall::Firewall': { label: 'Network Firewall', zone: 'edge' },
  'AWS::AutoScaling::AutoScalingGroup': { label: 'app fleet (Auto Scaling group)', zone: 'vpc-controls', tier: 'app' },
  'AWS::EC2::VPC': { label: 'VPC', zone: 'vpc-controls' },
  'AWS::EC2::NetworkAcl': { label: 'network ACL', zone: 'vpc-controls' },
  'AWS::EC2::SecurityGroup': { label: 'security group', zone: 'vpc-controls' },
  'AWS::EC2::FlowLog': { label: 'VPC flow log', zone: 'vpc-controls' },
  'AWS::EC2::TrafficMirrorSession': { label: 'Traffic Mirroring session', zone: 'vpc-controls' },
  'AWS::EC2::TrafficMirrorTarget': { label: 'mirror target', zone: 'vpc-controls' },
  'AWS::EC2::TrafficMirrorFilter': { label: 'mirror filter', zone: 'vpc-controls' },
  'AWS::EC2::Instance': { label: 'EC2 instance' },
  'AWS::RDS::DBCluster': { label: 'Amazon Aurora cluster', zone: 'data', tier: 'data' },
  'AWS::RDS::DBInstance': { label: 'Aurora instance', zone: 'data' },
  'AWS::DynamoDB::Table': { label: 'DynamoDB table', zone: 'data' },
  'AWS::SecretsManager::Secret': { label: 'Secrets Manager secret', zone: 'data' },
  'AWS::Backup::BackupVault': { label: 'AWS Backup vault', zone: 'data' },
  'Custom::CloudHsmCluster': { label: 'CloudHSM cluster', zone: 'data', tier: 'data' },
  'AWS::Glue::Database': { label: 'Glue database', zone: 'data' },
  'AWS::Glue::Table': { label: 'Glue table', zone: 'data' },
  'AWS::Glue::Crawler': { label: 'Glue crawler', zone: 'data' },
  'AWS::Athena::WorkGroup': { label: 'Athena workgroup', zone: 'data' },
  'AWS::GuardDuty::Detector': { label: 'Amazon GuardDuty', zone: 'services' },
  'AWS::SecurityHub::Hub': { label: 'AWS Security Hub', zone: 'services' },
  'AWS::SecurityHub::Standard': { label: 'Security Hub standard', zone: 'services' },
  'AWS::Config::ConfigurationRecorder': { label: 'AWS Config recorder', zone: 'services' },
  'AWS::Config::ConfigRule': { label: 'AWS Config rule', zone: 'services' },
  'AWS::Config::RemediationConfiguration': { label: 'Config remediation', zone: 'services' },
  'AWS::CloudTrail::Trail': { label: 'AWS CloudTrail trail', zone: 'services' },
  'AWS::AccessAnalyzer::Analyzer': { label: 'IAM Access Analyzer', zone: 'services' },
  'Custom::InspectorEnablement': { label: 'Amazon Inspector', zone: 'services' },
  'AWS::Inspector2::Filter': { label: 'Inspector filter', zone: 'services' },
  'AWS::Macie::Session': { label: 'Amazon Macie', zone: 'services' },
  'AWS::Macie::AllowList': { label: 'Macie allow list', zone: 'services' },
  'AWS::CloudWatch::Alarm': { label: 'CloudWatch alarm' },
  'AWS::Events::Rule': { label: 'EventBridge rule' },
  'Custom::PasswordPolicy': { label: 'account guardrail', zone: 'services' },
  'Custom::EbsDefaultKey': { label: 'account guardrail', zone: 'services' },
  'Custom::EbsEncryptionByDefault': { label: 'account guardrail', zone: 'services' },
  'Custom::S3BlockPublicAccess': { label: 'account guardrail', zone: 'services' },
  'Custom::InstanceMetadataDefaults': { label: 'account guardrail', zone: 'services' },
  'AWS::SSM::PatchBaseline': { label: 'Patch Manager baseline', zone: 'services' },
  'AWS::SSM::MaintenanceWindow': { label: 'patch maintenance window', zone: 'services' },
  'AWS::StepFunctions::StateMachine': { label: 'Step Functions workflow' },
  'AWS::SecurityHub::ActionTarget': { label: 'Security Hub custom action', zone: 'response' },
  'AWS::ImageBuilder::ImagePipeline': { label: 'Image Builder pipeline' },
  'AWS::ImageBuilder::Image': { label: 'Image Builder image' },
  'AWS::S3::Bucket': { label: 'S3 bucket' },
  'AWS::KMS::Key': { label: 'KMS key' },
  'AWS::SNS::Topic': { label: 'SNS topic' },
  'AWS::Lambda::Function': { label: 'Lambda function' },
};

/** Types that only connect or configure what the catalogue shows: no box of their own. */
const PLUMBING = [
  /^AWS::IAM::/, /Policy$/, /Association$/, /Attachment$/, /::Permission$/, /::Alias$/, /Entry$/, /Ingress$/, /Egress$/,
  /::Route$/, /::RouteTable$/, /::Subnet$/, /::LogGroup$/, /::MetricFilter$/, /Subscription(Filter)?$/, /^AWS::CDK::/,
  /^AWS::Serverless::/, /::LaunchTemplate$/, /::TargetGroup$/, /::Listener$/, /::ScalingPolicy$/, /::Version$/,
  /::EventSourceMapping$/, /^Custom::VpcRestrictDefaultSG$/, /::EIP$/, /::InternetGateway$/, /::RotationSchedule$/,
  /::BackupPlan$/, /::BackupSelection$/, /::MaintenanceWindow(Target|Task)$/, /ParameterGroup$/, /SubnetGroup$/,
  /::DeliveryChannel$/, /FilterRule$/, /^AWS::SQS::Queue$/, /::InstanceProfile$/, /::LoggingConfiguration$/, /::Document$/, /::NatGateway$/,
  /::VPCEndpoint$/, /^Custom::DatabaseBootstrap$/, /^Custom::AWS$/, /::ServiceLinkedRole$/, /::SecretTargetAttachment$/,
];

/** Where a stack's generic resources (buckets, keys, functions, queues, rules) go. */
const STACK_ZONES: Readonly<Record<string, ZoneId>> = {
  Security: 'logging',
  Network: 'vpc-controls',
  Data: 'data',
  Detection: 'services',
  Application: 'edge',
  Response: 'response',
  CleanRoom: 'response',
};

const ZONE_LABELS: Record<string, string> = {
  edge: 'Edge and application: WAF, load balancer, certificate',
  'vpc-controls': 'VPC controls',
  endpoints: 'VPC endpoints',
  data: 'Data tier',
  services: 'Account security services',
  logging: 'Log archive and keys',
  response: 'Incident response',
};

export const isPlumbing = (type: string) => !TYPE_CATALOG[type] && PLUMBING.some((re) => re.test(type));

/** The box a resource of `type` in `stack` gets, or undefined for plumbing. */
export function placeResource(type: string, stack: string): { label: string; zone: ZoneId; tier?: Tier } | undefined {
  if (isPlumbing(type)) return undefined;
  const info = TYPE_CATALOG[type];
  const zone = info?.zone ?? STACK_ZONES[stack] ?? (`stack:${stack}` as const);
  return { label: info?.label ?? type.split('::').slice(1).join(' '), zone, tier: info?.tier };
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');

function tag(props: Record<string, unknown> | undefined, key: string): string | undefined {
  const tags = props?.Tags;
  if (!Array.isArray(tags)) return undefined;
  const found = tags.find((t: { Key?: unknown }) => t.Key === key) as { Value?: unknown } | undefined;
  return typeof found?.Value === 'string' ? found.Value : undefined;
}

/** The service an endpoint reaches: `com.amazonaws.<region>.ssm` → `ssm`, also through Fn::Join. */
function endpointService(serviceName: unknown): string {
  const matches = [...JSON.stringify(serviceName ?? '').matchAll(/\.([a-z0-9-]+)\\?"/g)];
  return matches.at(-1)?.[1] ?? 'endpoint';
}

/** Builds the diagram model of one environment's stacks. */
export function diagramModel(stacks: readonly ReportStack[]): DiagramModel {
  const nodes = new Map<string, { label: string; count: number; types: Set<string>; stacks: Set<string>; zone: ZoneId }>();
  const tiers: Record<Tier, { label: string; type: string; stack: string }[]> = { public: [], app: [], data: [] };
  const add = (zone: ZoneId, label: string, type: string, stack: string) => {
    const id = `${zone.replace(':', '-')}--${slug(label)}`;
    const node = nodes.get(id) ?? { label, count: 0, types: new Set<string>(), stacks: new Set<string>(), zone };
    node.count++;
    node.types.add(type);
    node.stacks.add(stack);
    nodes.set(id, node);
    return id;
  };
  let vpc: DiagramModel['vpc'];
  const subnets: { id: string; zone: string; tier: string; cidr: string; stack: string; natIds: string[] }[] = [];
  for (const stack of stacks) {
    const resources = Object.entries(stack.template.Resources ?? {});
    for (const [logicalId, r] of resources) {
      if (r.Type === 'AWS::EC2::VPC' && !vpc) vpc = { id: `vpc-${slug(stack.id)}-${logicalId}`, cidr: String(r.Properties?.CidrBlock ?? ''), stack: stack.id, subnets: [] };
      if (r.Type === 'AWS::EC2::Subnet') {
        const az = typeof r.Properties?.AvailabilityZone === 'string' ? r.Properties.AvailabilityZone : `zone ${subnets.length + 1}`;
        const tier = tag(r.Properties, 'aws-cdk:subnet-name') ?? tag(r.Properties, 'aws-cdk:subnet-type') ?? 'subnet';
        subnets.push({ id: logicalId, zone: az, tier, cidr: String(r.Properties?.CidrBlock ?? ''), stack: stack.id, natIds: [] });
      }
    }
    for (const [, r] of resources) {
      if (r.Type === 'AWS::EC2::NatGateway') {
        const ref = (r.Properties?.SubnetId as { Ref?: string } | undefined)?.Ref;
        subnets.find((s) => s.id === ref && s.stack === stack.id)?.natIds.push('nat');
        continue;
      }
      if (r.Type === 'AWS::EC2::VPCEndpoint') {
        const kind = r.Properties?.VpcEndpointType === 'Gateway' ? 'gateway' : 'interface';
        add('endpoints', `${endpointService(r.Properties?.ServiceName)} (${kind})`, r.Type, stack.id);
        continue;
      }
      const place = placeResource(r.Type, stack.id);
      if (!place) continue;
      add(place.zone, place.label, r.Type, stack.id);
      if (place.tier && !tiers[place.tier].some((t) => t.type === r.Type)) tiers[place.tier].push({ label: place.label.replace(/ \(.*\)$/, ''), type: r.Type, stack: stack.id });
    }
  }
  const tierOf = (name: string): Tier | undefined => {
    const n = name.toLowerCase();
    if (n.startsWith('public')) return 'public';
    if (n.startsWith('app') || n === 'private') return 'app';
    if (n.startsWith('data') || n === 'isolated') return 'data';
    return undefined;
  };
  if (vpc) {
    const order = (s: (typeof subnets)[number]) => ['public', 'app', 'data'].indexOf(tierOf(s.tier) ?? 'data');
    subnets.sort((a, b) => a.zone.localeCompare(b.zone) || order(a) - order(b));
    vpc = {
      ...vpc,
      subnets: subnets.map((s) => {
        const tier = tierOf(s.tier);
        const placed = (tier ? tiers[tier] : []).map((t) => ({ id: `${s.id}--${slug(t.label)}`, label: t.label, type: t.type, stack: t.stack }));
        if (s.natIds.length > 0) placed.push({ id: `${s.id}--nat`, label: 'NAT gateway', type: 'AWS::EC2::NatGateway', stack: s.stack });
        return { id: `subnet-${s.stack}-${s.id}`, zone: s.zone, tier: s.tier, cidr: s.cidr, nodes: placed };
      }),
    };
  }
  const list: DiagramNode[] = [...nodes].map(([id, n]) => ({ id, label: n.label, count: n.count, types: [...n.types], stacks: [...n.stacks], zone: n.zone }));
  const zoneIds = [...new Set(list.map((n) => n.zone))];
  const zones = zoneIds.map((id) => ({ id, label: ZONE_LABELS[id] ?? `${id.replace(/^stack:/, '')} stack` }));
  return { zones, nodes: list, vpc, edges: flows(list, vpc) };
}

/** The main flows, between whichever of their ends exist. */
function flows(nodes: readonly DiagramNode[], vpc: DiagramModel['vpc']): DiagramEdge[] {
  const byType = (type: string, zone?: ZoneId) => nodes.filter((n) => n.types.includes(type) && (!zone || n.zone === zone)).map((n) => n.id);
  const edges: DiagramEdge[] = [];
  const waf = byType('AWS::WAFv2::WebACL')[0];
  const alb = byType('AWS::ElasticLoadBalancingV2::LoadBalancer')[0];
  const db = byType('AWS::RDS::DBCluster')[0];
  const fleets = vpc?.subnets.flatMap((s) => s.nodes.filter((n) => n.type === 'AWS::AutoScaling::AutoScalingGroup').map((n) => n.id)) ?? [];
  if (waf) edges.push({ from: 'internet', to: waf, label: 'HTTPS' });
  if (alb) edges.push({ from: waf ?? 'internet', to: alb, label: waf ? 'allowed requests' : 'HTTPS' });
  for (const fleet of fleets) {
    if (alb) edges.push({ from: alb, to: fleet, label: 'app port' });
    if (db) edges.push({ from: fleet, to: db, label: 'TLS' });
  }
  if (fleets[0] && nodes.some((n) => n.zone === 'endpoints')) edges.push({ from: fleets[0], to: 'zone-endpoints', label: 'AWS APIs' });
  const flowLog = byType('AWS::EC2::FlowLog')[0];
  if (flowLog && nodes.some((n) => n.zone === 'logging')) edges.push({ from: flowLog, to: 'zone-logging', label: 'flow logs' });
  const trail = byType('AWS::CloudTrail::Trail')[0];
  if (trail && nodes.some((n) => n.zone === 'logging')) edges.push({ from: trail, to: 'zone-logging', label: 'API activity' });
  const guardDuty = byType('AWS::GuardDuty::Detector')[0];
  const workflow = byType('AWS::StepFunctions::StateMachine', 'response')[0];
  if (guardDuty && workflow) edges.push({ from: guardDuty, to: workflow, label: 'finding → isolation' });
  return edges;
}
