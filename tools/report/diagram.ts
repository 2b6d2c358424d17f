import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { DiagramModel } from './diagram-model';
import { escapeHtml } from './html';

/**
 * Lays the model out with ELK (layered, nested boxes, edges across boxes) and draws it as inline SVG: plain labelled
 * rectangles, no icons. Every box carries data-kind, data-stack and data-types, which the page test reads.
 */
const CHAR_WIDTH = 6.6;
const LINE = 14;

interface Meta {
  readonly kind: 'zone' | 'vpc' | 'az' | 'subnet' | 'resource' | 'internet';
  readonly label: string;
  readonly sub?: string;
  readonly stacks: readonly string[];
  readonly types: readonly string[];
}

const groupOptions = (direction: 'RIGHT' | 'DOWN') => ({
  'elk.padding': '[top=28,left=10,bottom=10,right=10]',
  'elk.direction': direction,
  'elk.spacing.nodeNode': '12',
  'elk.layered.spacing.nodeNodeBetweenLayers': '24',
});

function leaf(id: string, meta: Meta, metas: Map<string, Meta>): ElkNode {
  metas.set(id, meta);
  const width = Math.max(90, Math.max(meta.label.length, meta.sub?.length ?? 0) * CHAR_WIDTH + 16);
  return { id, width, height: meta.sub ? 2 * LINE + 14 : LINE + 16 };
}

function group(id: string, meta: Meta, children: ElkNode[], metas: Map<string, Meta>, direction: 'RIGHT' | 'DOWN' = 'DOWN'): ElkNode {
  metas.set(id, meta);
  return { id, layoutOptions: { ...groupOptions(direction), 'elk.nodeSize.minimum': `(${meta.label.length * CHAR_WIDTH + 24},40)`, 'elk.nodeSize.constraints': 'MINIMUM_SIZE' }, children };
}

/** ELK graph of the model, with the drawing details of each box. */
export function elkGraph(model: DiagramModel): { graph: ElkNode; metas: Map<string, Meta> } {
  const metas = new Map<string, Meta>();
  const children: ElkNode[] = [leaf('internet', { kind: 'internet', label: 'Internet', sub: 'users', stacks: [], types: [] }, metas)];
  const zoneNodes = (zone: string) =>
    model.nodes
      .filter((n) => n.zone === zone)
      .map((n) => leaf(n.id, { kind: 'resource', label: n.count > 1 ? `${n.label} ×${n.count}` : n.label, stacks: n.stacks, types: n.types }, metas));
  const stacksOf = (zone: string) => [...new Set(model.nodes.filter((n) => n.zone === zone).flatMap((n) => n.stacks))];
  const typesOf = (zone: string) => [...new Set(model.nodes.filter((n) => n.zone === zone).flatMap((n) => n.types))];
  for (const zone of model.zones) {
    if (zone.id === 'vpc-controls' || zone.id === 'endpoints') continue;
    children.push(group(`zone-${zone.id.replace(':', '-')}`, { kind: 'zone', label: zone.label, stacks: stacksOf(zone.id), types: typesOf(zone.id) }, zoneNodes(zone.id), metas));
  }
  const vpc = model.vpc;
  if (vpc) {
    const azs = [...new Set(vpc.subnets.map((s) => s.zone))];
    const azNodes = azs.map((az) =>
      group(
        `az-${az}`,
        { kind: 'az', label: `Availability Zone ${az}`, stacks: [vpc.stack], types: ['AWS::EC2::Subnet'] },
        vpc.subnets
          .filter((s) => s.zone === az)
          .map((s) =>
            group(
              s.id,
              { kind: 'subnet', label: `${s.tier} subnet ${s.cidr}`, stacks: [vpc.stack], types: ['AWS::EC2::Subnet'] },
              s.nodes.map((n) => leaf(n.id, { kind: 'resource', label: n.label, stacks: [n.stack], types: [n.type] }, metas)),
              metas,
              'DOWN',
            ),
          ),
        metas,
        'RIGHT',
      ),
    );
    const inner = [...azNodes];
    for (const zone of ['vpc-controls', 'endpoints'] as const) {
      const nodes = zoneNodes(zone);
      const label = zone === 'endpoints' ? 'VPC endpoints (private reach to AWS services)' : 'VPC controls';
      if (nodes.length) inner.push(group(`zone-${zone}`, { kind: 'zone', label, stacks: stacksOf(zone), types: typesOf(zone) }, nodes, metas, 'RIGHT'));
    }
    children.push(group(vpc.id, { kind: 'vpc', label: `VPC ${vpc.cidr}`, stacks: [vpc.stack], types: ['AWS::EC2::VPC'] }, inner, metas, 'DOWN'));
  }
  const known = new Set(metas.keys());
  // Unseen edges between the subnets of a zone keep them in tier order (public → app → data), the way traffic flows.
  const order: ElkExtendedEdge[] = [];
  if (vpc) {
    for (const az of new Set(vpc.subnets.map((s) => s.zone))) {
      const inZone = vpc.subnets.filter((s) => s.zone === az);
      inZone.slice(1).forEach((s, i) => order.push({ id: `order-${s.id}`, sources: [inZone[i]!.id], targets: [s.id] }));
    }
  }
  const edges: ElkExtendedEdge[] = [...order, ...model.edges
    .filter((e) => known.has(e.from) && known.has(e.to))
    .map((e, i) => ({ id: `edge-${i}`, sources: [e.from], targets: [e.to], labels: e.label ? [{ text: e.label, width: e.label.length * 5.6, height: 11 }] : [] }))];
  return {
    graph: {
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': 'RIGHT',
        'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
        'elk.json.shapeCoords': 'ROOT',
        'elk.json.edgeCoords': 'ROOT',
        'elk.spacing.nodeNode': '24',
        'elk.layered.spacing.nodeNodeBetweenLayers': '40',
        'elk.edgeLabels.inline': 'true',
        // Keep zones and subnets in the order the model lists them (zone a before b; public, app, data).
        'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
        'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
        'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      },
      children,
      edges,
    },
    metas,
  };
}

const FILL: Record<Meta['kind'], string> = { zone: '#f4f6f8', vpc: '#eef6ee', az: '#ffffff', subnet: '#f7fbff', resource: '#ffffff', internet: '#fff7e6' };

/** Lays out and renders the model as one `<svg>` element. */
export async function renderDiagram(model: DiagramModel): Promise<string> {
  const { graph, metas } = elkGraph(model);
  const laid = await new ELK().layout(graph);
  const parts: string[] = [];
  const draw = (node: ElkNode) => {
    const meta = metas.get(node.id);
    if (meta) {
      const { x = 0, y = 0, width = 0, height = 0 } = node;
      const isBox = meta.kind === 'resource' || meta.kind === 'internet';
      parts.push(
        `<g class="box ${meta.kind}" data-kind="${meta.kind}" data-id="${escapeHtml(node.id)}" data-stack="${escapeHtml(meta.stacks.join(' '))}" data-types="${escapeHtml(meta.types.join(' '))}">`,
        `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="${isBox ? 5 : 8}" fill="${FILL[meta.kind]}" stroke="${isBox ? '#4a5a6a' : '#9aa8b5'}"${meta.kind === 'az' ? ' stroke-dasharray="5 3"' : ''}/>`,
        isBox
          ? `<text x="${x + width / 2}" y="${y + 19}" text-anchor="middle">${escapeHtml(meta.label)}</text>${meta.sub ? `<text class="sub" x="${x + width / 2}" y="${y + 33}" text-anchor="middle">${escapeHtml(meta.sub)}</text>` : ''}`
          : `<text class="group-label" x="${x + 8}" y="${y + 17}">${escapeHtml(meta.label)}</text>`,
        '</g>',
      );
    }
    for (const child of node.children ?? []) draw(child);
  };
  draw(laid);
  for (const edge of laid.edges ?? []) {
    if (edge.id.startsWith('order-')) continue;
    for (const section of edge.sections ?? []) {
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => `${p.x},${p.y}`).join(' ');
      parts.push(`<polyline class="flow" points="${points}" fill="none" stroke="#c0392b" stroke-width="1.4" marker-end="url(#arrow)"/>`);
    }
    for (const label of edge.labels ?? []) {
      if (label.x !== undefined && label.y !== undefined) parts.push(`<text class="edge-label" x="${label.x}" y="${label.y + 9}">${escapeHtml(label.text ?? '')}</text>`);
    }
  }
  const width = Math.ceil(laid.width ?? 0);
  const height = Math.ceil(laid.height ?? 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="architecture-diagram" role="img" aria-label="Architecture of the account" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/></marker></defs>',
    ...parts,
    '</svg>',
  ].join('\n');
}
