/**
 * Idle monthly cost of what a template creates, from list prices (us-east-1,
 * approximate, November 2026). Usage charges (per GB, per request, per log
 * line) are left out: this is the floor an environment costs before traffic.
 */
export const HOURS_PER_MONTH = 730;

export const PRICES = {
  natGatewayHour: 0.045,
  publicIpv4Hour: 0.005,
  interfaceEndpointAzHour: 0.01,
  kmsKeyMonth: 1,
  trafficMirrorSessionHour: 0.015,
} as const;

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
  const endpointAzHours = ofType('AWS::EC2::VPCEndpoint')
    .filter((r) => r.Properties?.VpcEndpointType === 'Interface')
    .reduce((n, r) => n + ((r.Properties?.SubnetIds as unknown[] | undefined)?.length ?? 0), 0);
  const nat = ofType('AWS::EC2::NatGateway').length;
  const lines: CostLine[] = [
    { item: 'NAT gateway (with its public IPv4)', count: nat, monthly: nat * (PRICES.natGatewayHour + PRICES.publicIpv4Hour) * HOURS_PER_MONTH },
    { item: 'interface endpoint, per zone', count: endpointAzHours, monthly: endpointAzHours * PRICES.interfaceEndpointAzHour * HOURS_PER_MONTH },
    { item: 'KMS customer-managed key', count: ofType('AWS::KMS::Key').length, monthly: ofType('AWS::KMS::Key').length * PRICES.kmsKeyMonth },
    {
      item: 'Traffic Mirroring session',
      count: ofType('AWS::EC2::TrafficMirrorSession').length,
      monthly: ofType('AWS::EC2::TrafficMirrorSession').length * PRICES.trafficMirrorSessionHour * HOURS_PER_MONTH,
    },
  ];
  return lines.filter((line) => line.count > 0);
}
