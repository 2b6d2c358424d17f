import type { ReportStack } from '../../../tools/report/assembly';
import { diagramModel, placeResource } from '../../../tools/report/diagram-model';
import { renderDiagram } from '../../../tools/report/diagram';
import { synthesizeExample } from '../../helpers/app';

const stacks = (json: Record<string, { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }>): ReportStack[] =>
  Object.entries(json).map(([id, template]) => ({ stage: 'dev', id, stackName: `sra-app-dev-${id.toLowerCase()}`, region: 'eu-west-1', templatePath: '', template, bytes: 0, minifiedBytes: 0 }));

describe('architecture diagram model', () => {
  const model = diagramModel(stacks(synthesizeExample('dev').json));

  test('the VPC holds each zone with its public, app and data subnets, from the subnet tags', () => {
    expect(model.vpc!.cidr).toBe('10.20.0.0/16');
    const byZone = new Map<string, string[]>();
    for (const s of model.vpc!.subnets) byZone.set(s.zone, [...(byZone.get(s.zone) ?? []), s.tier]);
    expect([...byZone.keys()].sort()).toEqual(['eu-west-1a', 'eu-west-1b']);
    for (const tiers of byZone.values()) expect(tiers.sort()).toEqual(['App', 'Data', 'Public']);
  });

  test('the fleet sits in every app subnet, the NAT gateway in the public subnet that has it', () => {
    const app = model.vpc!.subnets.filter((s) => s.tier === 'App');
    for (const s of app) expect(s.nodes.map((n) => n.type)).toContain('AWS::AutoScaling::AutoScalingGroup');
    expect(model.vpc!.subnets.flatMap((s) => s.nodes).filter((n) => n.type === 'AWS::EC2::NatGateway')).toHaveLength(1);
  });

  test('the main flows: internet → WAF → load balancer → fleet → Aurora, fleet → endpoints, flow logs → log archive', () => {
    const id = (type: string) => model.nodes.find((n) => n.types.includes(type))!.id;
    const edges = model.edges.map((e) => `${e.from} > ${e.to}`);
    expect(edges).toContain(`internet > ${id('AWS::WAFv2::WebACL')}`);
    expect(edges).toContain(`${id('AWS::WAFv2::WebACL')} > ${id('AWS::ElasticLoadBalancingV2::LoadBalancer')}`);
    expect(edges.filter((e) => e.startsWith(`${id('AWS::ElasticLoadBalancingV2::LoadBalancer')} > `))).toHaveLength(2);
    expect(edges.filter((e) => e.endsWith(` > ${id('AWS::RDS::DBCluster')}`))).toHaveLength(2);
    expect(edges.some((e) => e.endsWith('> zone-endpoints'))).toBe(true);
    expect(edges).toContain(`${id('AWS::EC2::FlowLog')} > zone-logging`);
  });

  test('services land in their SRA zones', () => {
    const zoneOf = (type: string) => model.nodes.find((n) => n.types.includes(type))?.zone;
    expect(zoneOf('AWS::GuardDuty::Detector')).toBe('services');
    expect(zoneOf('AWS::SecurityHub::Hub')).toBe('services');
    expect(zoneOf('AWS::RDS::DBCluster')).toBe('data');
    expect(zoneOf('AWS::StepFunctions::StateMachine')).toBeDefined();
    expect(model.nodes.filter((n) => n.zone === 'endpoints').map((n) => n.label)).toEqual(expect.arrayContaining(['kms (interface)', 'ssm (interface)', 's3 (gateway)']));
  });

  test('a stack or resource type the catalogue has never seen still gets a box, in a zone named after its stack', async () => {
    const extra = stacks({ Analytics: { Resources: { Db: { Type: 'AWS::Glue::Database' }, Thing: { Type: 'AWS::NewService::Widget' }, Role: { Type: 'AWS::IAM::Role' } } } });
    const m = diagramModel([...stacks(synthesizeExample('dev').json), ...extra]);
    expect(m.nodes.find((n) => n.types.includes('AWS::NewService::Widget'))).toMatchObject({ zone: 'stack:Analytics', label: 'NewService Widget' });
    expect(m.nodes.find((n) => n.types.includes('AWS::Glue::Database'))!.zone).toBe('data');
    expect(m.nodes.some((n) => n.types.includes('AWS::IAM::Role'))).toBe(false);
    expect(m.zones.map((z) => z.label)).toContain('Analytics stack');
    const svg = await renderDiagram(m);
    expect(svg).toMatch(/data-stack="Analytics"[^>]*data-types="AWS::NewService::Widget"/);
  });

  test('plumbing has no box; the catalogue and stacks decide the zone', () => {
    expect(placeResource('AWS::IAM::Policy', 'Data')).toBeUndefined();
    expect(placeResource('AWS::EC2::NetworkAclEntry', 'Network')).toBeUndefined();
    expect(placeResource('AWS::S3::Bucket', 'Security')!.zone).toBe('logging');
    expect(placeResource('AWS::S3::Bucket', 'Response')!.zone).toBe('response');
    expect(placeResource('AWS::Macie::Session', 'Image')!.zone).toBe('services');
  });
});
