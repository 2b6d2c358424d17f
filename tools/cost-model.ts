/**
 * Idle monthly cost of what a template creates, from list prices (us-east-1,
 * approximate, November 2026). Usage charges (per GB, per request, per log
 * line, per finding) are left out: this is the floor an environment costs
 * before traffic. Instance prices cover the classes the examples use.
 */
export const HOURS_PER_MONTH = 730;

/** When the prices below were read, and where: the report prints both. */
export const PRICE_TABLE_DATE = '2026-11-01';
export const PRICE_TABLE_REGION = 'us-east-1';

export const PRICES = {
  natGatewayHour: 0.045,
  publicIpv4Hour: 0.005,
  interfaceEndpointAzHour: 0.01,
  kmsKeyMonth: 1,
  secretMonth: 0.4,
  trafficMirrorSessionHour: 0.015,
  albHour: 0.0225,
  webAclMonth: 5,
  wafRuleMonth: 1,
  privateCaGeneralPurposeMonth: 400,
  hsmHour: 1.45,
  inspectorInstanceMonth: 1.25,
  /** Shield Advanced subscription, per organization (one-year commitment); protected resources add no monthly fee. */
  shieldAdvancedMonth: 3000,
  /** Route 53 health check of an AWS endpoint, CloudWatch-alarm and calculated checks alike. */
  route53HealthCheckMonth: 0.5,
  networkFirewallEndpointHour: 0.395,
  /** Inspector Lambda standard scanning, per function-month; code scanning adds its own per function-month. */
  inspectorLambdaFunctionMonth: 0.3,
  inspectorLambdaCodeFunctionMonth: 0.6,
  /** Inspector CIS benchmark scan, per instance scanned (unverified). */
  inspectorCisInstanceScan: 0.01,
  /** Macie bucket inventory and monitoring (automated discovery), per bucket-month; inspected GB are usage. */
  macieBucketMonth: 0.1,
  /** Audit Manager, per 1,000 resource assessments. */
  auditManagerThousandAssessments: 1.25,
  /** Athena SQL queries: per TB scanned, at least 10 MB per query. */
  athenaPerTbScanned: 5,
  athenaMinimumBytesPerQuery: 10 * 1024 ** 2,
  /** Glue Data Catalog: the first million stored objects (databases, tables, partitions) are free. */
  glueFreeCatalogObjects: 1_000_000,
  ebsSnapshotGbMonth: 0.05,
} as const;

/** Scans a CIS scan schedule runs in a month. */
function cisScansPerMonth(schedule: { Daily?: unknown; Weekly?: { Days?: unknown[] }; Monthly?: unknown } | undefined): number {
  if (schedule?.Daily) return 30;
  if (schedule?.Weekly) return (schedule.Weekly.Days?.length ?? 1) * 4.35;
  return schedule?.Monthly ? 1 : 0;
}

/** What one Athena query costs for the bytes it scans. */
export function athenaQueryCost(bytesScanned: number): number {
  return (Math.max(bytesScanned, PRICES.athenaMinimumBytesPerQuery) / 1024 ** 4) * PRICES.athenaPerTbScanned;
}

/**
 * Image Builder is free; a build pays for its build and test instances (about an hour in all, of the fleet's type)
 * and the image's snapshots. The pipeline builds only when Amazon Linux or a component changed: at most weekly.
 */
export const IMAGE_BUILD = { buildsPerMonth: 4.35, instanceHoursPerBuild: 1 } as const;

/** On-demand hourly prices of the instance classes the examples and profiles use. */
export const INSTANCE_HOUR: Readonly<Record<string, number>> = {
  't4g.small': 0.0168,
  't4g.medium': 0.0336,
  'm7g.large': 0.0816,
  'db.t4g.medium': 0.073,
  'db.r7g.large': 0.276,
};

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

export interface CostLine {
  readonly item: string;
  readonly count: number;
  readonly monthly: number;
}

/** Cost lines for the resources in `templates` that bill by the hour or month. */
export function idleCost(templates: readonly Template[]): CostLine[] {
  const resources = templates.flatMap((t) => Object.values(t.Resources));
  const ofType = (type: string) => resources.filter((r) => r.Type === type);
  const count = (type: string) => ofType(type).length;
  const endpointAzHours = ofType('AWS::EC2::VPCEndpoint')
    .filter((r) => r.Properties?.VpcEndpointType === 'Interface')
    .reduce((n, r) => n + ((r.Properties?.SubnetIds as unknown[] | undefined)?.length ?? 0), 0);
  const wafRules = ofType('AWS::WAFv2::WebACL').reduce((n, r) => n + ((r.Properties?.Rules as unknown[] | undefined)?.length ?? 0), 0);
  const dbInstances = ofType('AWS::RDS::DBInstance').map((r) => String(r.Properties?.DBInstanceClass));
  const provisionedDb = dbInstances.filter((c) => c !== 'db.serverless');
  const fleets = ofType('AWS::AutoScaling::AutoScalingGroup');
  const launchTemplates = ofType('AWS::EC2::LaunchTemplate');
  const fleetType = String((launchTemplates[0]?.Properties?.LaunchTemplateData as { InstanceType?: string } | undefined)?.InstanceType ?? '');
  const fleetMin = fleets.reduce((n, r) => n + Number(r.Properties?.MinSize ?? 0), 0);
  const hsms = ofType('Custom::CloudHsmCluster').reduce((n, r) => n + Number(r.Properties?.HsmCount ?? 0), 0);
  const generalPurposeCas = ofType('AWS::ACMPCA::CertificateAuthority').filter((r) => r.Properties?.UsageMode !== 'SHORT_LIVED_CERTIFICATE').length;
  const instances = ofType('AWS::EC2::Instance').map((r) => String(r.Properties?.InstanceType));
  const nat = count('AWS::EC2::NatGateway');
  const inspector = count('Custom::InspectorEnablement');
  const shieldSubscriptions = count('AWS::Shield::Protection') > 0 ? 1 : 0;
  // Fleet mirroring: a lifecycle hook gives each instance of the fleet a session.
  const mirroredFleet = fleets.filter((r) => Array.isArray(r.Properties?.LifecycleHookSpecificationList)).reduce((n, r) => n + Number(r.Properties?.MinSize ?? 0), 0);
  const inspectorTypes = ofType('Custom::InspectorEnablement').flatMap((r) => (r.Properties?.ResourceTypes as string[] | undefined) ?? []);
  const functions = count('AWS::Lambda::Function');
  const cisInstanceScans = inspector ? ofType('AWS::InspectorV2::CisScanConfiguration').reduce((n, r) => n + fleetMin * cisScansPerMonth(r.Properties?.Schedule as Parameters<typeof cisScansPerMonth>[0]), 0) : 0;
  const macie = count('Custom::MacieAutomatedDiscovery') > 0;
  const buckets = count('AWS::S3::Bucket');
  const assessments = count('AWS::AuditManager::Assessment');
  const workgroups = ofType('AWS::Athena::WorkGroup');
  const scanLimits = workgroups.map((r) => Number((r.Properties?.WorkGroupConfiguration as { BytesScannedCutoffPerQuery?: number } | undefined)?.BytesScannedCutoffPerQuery ?? 0));
  // Partition projection stores no partitions: the catalog holds its databases and tables only.
  const catalogObjects = count('AWS::Glue::Database') + count('AWS::Glue::Table');
  const pipelines = ofType('AWS::ImageBuilder::InfrastructureConfiguration');
  const buildType = String((pipelines[0]?.Properties?.InstanceTypes as string[] | undefined)?.[0] ?? '');
  const recipeGb = ofType('AWS::ImageBuilder::ImageRecipe').reduce((n, r) => n + ((r.Properties?.BlockDeviceMappings as { Ebs?: { VolumeSize?: number } }[] | undefined) ?? []).reduce((m, b) => m + (b.Ebs?.VolumeSize ?? 0), 0), 0);
  const imagesKept = ofType('AWS::ImageBuilder::LifecyclePolicy').reduce((n, r) => n + Number((r.Properties?.PolicyDetails as { Filter?: { Value?: number } }[] | undefined)?.[0]?.Filter?.Value ?? 0), 0);
  const lines: CostLine[] = [
    { item: 'NAT gateway (with its public IPv4)', count: nat, monthly: nat * (PRICES.natGatewayHour + PRICES.publicIpv4Hour) * HOURS_PER_MONTH },
    { item: 'interface endpoint, per zone', count: endpointAzHours, monthly: endpointAzHours * PRICES.interfaceEndpointAzHour * HOURS_PER_MONTH },
    { item: 'KMS customer-managed key', count: count('AWS::KMS::Key'), monthly: count('AWS::KMS::Key') * PRICES.kmsKeyMonth },
    { item: 'Secrets Manager secret', count: count('AWS::SecretsManager::Secret'), monthly: count('AWS::SecretsManager::Secret') * PRICES.secretMonth },
    { item: 'Application Load Balancer (hours, before LCUs)', count: count('AWS::ElasticLoadBalancingV2::LoadBalancer'), monthly: count('AWS::ElasticLoadBalancingV2::LoadBalancer') * PRICES.albHour * HOURS_PER_MONTH },
    { item: 'WAF web ACL and rules', count: count('AWS::WAFv2::WebACL'), monthly: count('AWS::WAFv2::WebACL') * PRICES.webAclMonth + wafRules * PRICES.wafRuleMonth },
    { item: `app fleet at minimum size (${fleetType || 'unknown type'})`, count: fleetMin, monthly: fleetMin * (INSTANCE_HOUR[fleetType] ?? 0) * HOURS_PER_MONTH },
    {
      item: `EC2 instances outside the fleet, e.g. the forensic workstation (${[...new Set(instances)].join(', ') || 'none'})`,
      count: instances.length,
      monthly: instances.reduce((n, t) => n + (INSTANCE_HOUR[t] ?? 0) * HOURS_PER_MONTH, 0),
    },
    {
      // Snapshots are billed at full size here (they are incremental, so this is an upper bound).
      item: `hardened image builds (${buildType || 'unknown type'}) and kept AMI snapshots`,
      count: pipelines.length,
      monthly: pipelines.length * IMAGE_BUILD.buildsPerMonth * IMAGE_BUILD.instanceHoursPerBuild * (INSTANCE_HOUR[buildType] ?? 0) + imagesKept * recipeGb * PRICES.ebsSnapshotGbMonth,
    },
    { item: 'Inspector EC2 scanning of the fleet', count: inspector ? fleetMin : 0, monthly: inspector ? fleetMin * PRICES.inspectorInstanceMonth : 0 },
    {
      item: `Aurora provisioned instances (${[...new Set(provisionedDb)].join(', ') || 'none'})`,
      count: provisionedDb.length,
      monthly: provisionedDb.reduce((n, c) => n + (INSTANCE_HOUR[c] ?? 0) * HOURS_PER_MONTH, 0),
    },
    { item: 'Aurora Serverless v2 at 0 ACU (paused)', count: dbInstances.length - provisionedDb.length, monthly: 0 },
    { item: 'Private CA, general purpose', count: generalPurposeCas, monthly: generalPurposeCas * PRICES.privateCaGeneralPurposeMonth },
    { item: 'CloudHSM HSM', count: hsms, monthly: hsms * PRICES.hsmHour * HOURS_PER_MONTH },
    { item: `Glue Data Catalog databases and tables (free up to ${PRICES.glueFreeCatalogObjects.toLocaleString('en-US')} objects)`, count: catalogObjects, monthly: 0 },
    {
      item: `Athena workgroup (usage only: $${PRICES.athenaPerTbScanned} per TB scanned; a query at the scan limit costs at most $${Math.max(0, ...scanLimits.map(athenaQueryCost)).toFixed(3)})`,
      count: workgroups.length,
      monthly: 0,
    },
    {
      item: 'Inspector Lambda standard and code scanning, per function',
      count: inspectorTypes.includes('LAMBDA') ? functions : 0,
      monthly: functions * ((inspectorTypes.includes('LAMBDA') ? PRICES.inspectorLambdaFunctionMonth : 0) + (inspectorTypes.includes('LAMBDA_CODE') ? PRICES.inspectorLambdaCodeFunctionMonth : 0)),
    },
    { item: 'Inspector CIS scans of the fleet (instance-scans a month, unverified price)', count: cisInstanceScans, monthly: cisInstanceScans * PRICES.inspectorCisInstanceScan },
    { item: 'Macie automated discovery, bucket monitoring (per bucket; inspected GB extra)', count: macie ? buckets : 0, monthly: macie ? buckets * PRICES.macieBucketMonth : 0 },
    {
      // Evidence is collected about daily for each resource a framework's controls look at; the whole app's resources are the upper bound.
      item: 'Audit Manager assessments (upper bound: every resource assessed daily)',
      count: assessments,
      monthly: (assessments * resources.length * 30 * PRICES.auditManagerThousandAssessments) / 1000,
    },
    {
      item: 'Traffic Mirroring session',
      count: count('AWS::EC2::TrafficMirrorSession'),
      monthly: count('AWS::EC2::TrafficMirrorSession') * PRICES.trafficMirrorSessionHour * HOURS_PER_MONTH,
    },
    { item: 'Traffic Mirroring session per fleet instance (at minimum size)', count: mirroredFleet, monthly: mirroredFleet * PRICES.trafficMirrorSessionHour * HOURS_PER_MONTH },
    { item: 'Shield Advanced subscription (per organization, one-year commitment)', count: shieldSubscriptions, monthly: shieldSubscriptions * PRICES.shieldAdvancedMonth },
    { item: 'Route 53 health check', count: count('AWS::Route53::HealthCheck'), monthly: count('AWS::Route53::HealthCheck') * PRICES.route53HealthCheckMonth },
  ];
  return lines.filter((line) => line.count > 0);
}

export interface OptInCost {
  readonly option: string;
  /** Already in the templates: its cost is in the idle lines. */
  readonly included: boolean;
  readonly monthly: number;
  readonly basis: string;
}

/**
 * What each opt-in would add to an environment's idle cost, or that it is already included. `zones` is the
 * environment's zone count; `resourceTypes` the types its templates create (a Shield subscription is in the idle lines once
 * the templates protect a resource; Network Firewall is not, being billed by traffic as well); `hsmCount` and `mirrorSources` are what the config would ask for when turned on.
 */
export function optInCosts(lines: readonly CostLine[], zones: number, resourceTypes: ReadonlySet<string> = new Set(), hsmCount = 2, mirrorSources = 1): OptInCost[] {
  const has = (prefix: string) => lines.some((l) => l.item.startsWith(prefix));
  const hsm = PRICES.hsmHour * HOURS_PER_MONTH;
  const session = PRICES.trafficMirrorSessionHour * HOURS_PER_MONTH;
  const firewall = PRICES.networkFirewallEndpointHour * HOURS_PER_MONTH;
  return [
    { option: 'ACM Private CA (general purpose)', included: has('Private CA'), monthly: PRICES.privateCaGeneralPurposeMonth, basis: `$${PRICES.privateCaGeneralPurposeMonth}/month per CA` },
    { option: `CloudHSM (${hsmCount} HSMs)`, included: has('CloudHSM'), monthly: hsmCount * hsm, basis: `${hsmCount} × $${PRICES.hsmHour}/hour` },
    { option: `Traffic Mirroring (${mirrorSources} source ENI)`, included: has('Traffic Mirroring'), monthly: mirrorSources * session, basis: `$${PRICES.trafficMirrorSessionHour}/hour per session, before the appliance` },
    { option: 'Shield Advanced', included: [...resourceTypes].some((t) => t.startsWith('AWS::Shield::')), monthly: PRICES.shieldAdvancedMonth, basis: `$${PRICES.shieldAdvancedMonth}/month per organization (one-year commitment), before data transfer` },
    { option: `Network Firewall (${zones} zone endpoints)`, included: resourceTypes.has('AWS::NetworkFirewall::Firewall'), monthly: zones * firewall, basis: `${zones} × $${PRICES.networkFirewallEndpointHour}/hour, before $0.065/GB processed` },
  ];
}
