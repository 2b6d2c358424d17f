/**
 * Idle monthly cost of what a template creates, from list prices (us-east-1,
 * approximate, November 2026). Usage charges (per GB, per request, per log
 * line, per finding) are left out: this is the floor an environment costs
 * before traffic. Instance prices cover the classes the examples use.
 */
export const HOURS_PER_MONTH = 730;

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
  ebsSnapshotGbMonth: 0.05,
} as const;

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
    {
      item: 'Traffic Mirroring session',
      count: count('AWS::EC2::TrafficMirrorSession'),
      monthly: count('AWS::EC2::TrafficMirrorSession') * PRICES.trafficMirrorSessionHour * HOURS_PER_MONTH,
    },
  ];
  return lines.filter((line) => line.count > 0);
}
