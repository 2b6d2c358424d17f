/**
 * Evaluates the network ACLs of a synthesized template as EC2 does: per ACL and
 * direction, entries in ascending rule number, the first entry whose protocol,
 * port range and CIDR match decides, and a packet no entry matches is denied
 * (the implicit `*` rule). Subnets are tied to their ACL through the
 * SubnetNetworkAclAssociation resources, so the answer follows the template,
 * not what the construct meant to write.
 */
import { parseCidr } from '../../src/config/cidr';

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

export interface AclEntry {
  readonly acl: string;
  readonly egress: boolean;
  readonly number: number;
  /** IANA protocol number as CloudFormation writes it; -1 is all. */
  readonly protocol: number;
  readonly cidr: string;
  readonly from: number;
  readonly to: number;
  readonly allow: boolean;
}

export interface Packet {
  readonly src: string;
  readonly dst: string;
  /** Destination port. */
  readonly port: number;
  /** @default 'tcp' */
  readonly protocol?: 'tcp' | 'udp';
}

const PROTOCOLS = { tcp: 6, udp: 17 } as const;

const parsedIps = new Map<string, number>();
function ipToInt(ip: string): number {
  const known = parsedIps.get(ip);
  if (known !== undefined) return known;
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  const n = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
  parsedIps.set(ip, n);
  return n;
}

const parsedCidrs = new Map<string, { base: number; mask: number }>();
function cidrParts(cidr: string): { base: number; mask: number } {
  let known = parsedCidrs.get(cidr);
  if (!known) {
    const [base, bits] = cidr.split('/');
    const prefix = Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    known = { base: (ipToInt(base!) & mask) >>> 0, mask };
    parsedCidrs.set(cidr, known);
  }
  return known;
}

/** Whether `ip` lies in `cidr`. */
export function inCidr(ip: string, cidr: string): boolean {
  const { base, mask } = cidrParts(cidr);
  return ((ipToInt(ip) & mask) >>> 0) === base;
}

/** An address inside `cidr` (its fifth, past the AWS-reserved first four). */
export function hostIn(cidr: string): string {
  const parsed = parseCidr(cidr);
  if (!parsed) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const n = (ipToInt(cidr.split('/')[0]!) + 4) >>> 0;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class NetworkAcls {
  readonly entries: readonly AclEntry[];
  /** Subnet CIDR → logical id of its ACL. */
  readonly subnetAcl: ReadonlyMap<string, string>;
  private readonly sorted: ReadonlyMap<string, readonly AclEntry[]>;

  constructor(template: Template) {
    const resources = Object.entries(template.Resources);
    const ref = (v: unknown) => (v as { Ref?: string }).Ref ?? '';
    this.entries = resources
      .filter(([, r]) => r.Type === 'AWS::EC2::NetworkAclEntry')
      .map(([, { Properties: p }]) => {
        const protocol = Number(p!.Protocol);
        const range = p!.PortRange as { From: number; To: number } | undefined;
        if (p!.Ipv6CidrBlock !== undefined) throw new Error('IPv6 entries are not evaluated');
        if (protocol !== -1 && protocol !== 6 && protocol !== 17) throw new Error(`protocol ${protocol} is not evaluated`);
        return {
          acl: ref(p!.NetworkAclId),
          egress: p!.Egress === true,
          number: Number(p!.RuleNumber),
          protocol,
          cidr: String(p!.CidrBlock),
          from: protocol === -1 ? 0 : range!.From,
          to: protocol === -1 ? 65535 : range!.To,
          allow: String(p!.RuleAction).toLowerCase() === 'allow',
        };
      });
    const subnetCidr = new Map(resources.filter(([, r]) => r.Type === 'AWS::EC2::Subnet').map(([id, r]) => [id, String(r.Properties!.CidrBlock)]));
    this.subnetAcl = new Map(
      resources
        .filter(([, r]) => r.Type === 'AWS::EC2::SubnetNetworkAclAssociation')
        .map(([, r]) => [subnetCidr.get(ref(r.Properties!.SubnetId))!, ref(r.Properties!.NetworkAclId)]),
    );
    const sorted = new Map<string, AclEntry[]>();
    for (const e of [...this.entries].sort((a, b) => a.number - b.number)) {
      const key = `${e.acl}/${e.egress}`;
      sorted.set(key, [...(sorted.get(key) ?? []), e]);
    }
    this.sorted = sorted;
  }

  /** The ACL of the subnet holding `ip`, if the template associates one. */
  aclOf(ip: string): string | undefined {
    if (!this.aclOfIp.has(ip)) this.aclOfIp.set(ip, [...this.subnetAcl].find(([cidr]) => inCidr(ip, cidr))?.[1]);
    return this.aclOfIp.get(ip);
  }
  private readonly aclOfIp = new Map<string, string | undefined>();

  /** The decision of one ACL in one direction; `peer` is the source (inbound) or destination (outbound). */
  decide(acl: string, egress: boolean, peer: string, port: number, protocol: 'tcp' | 'udp' = 'tcp'): boolean {
    const number = PROTOCOLS[protocol];
    for (const e of this.sorted.get(`${acl}/${egress}`) ?? []) {
      if ((e.protocol === -1 || e.protocol === number) && e.from <= port && port <= e.to && inCidr(peer, e.cidr)) return e.allow;
    }
    return false;
  }

  /**
   * Whether the ACLs let a packet through: out of the source's subnet ACL (if
   * it is in the VPC) and into the destination's (if it is). Traffic inside one
   * subnet never meets an ACL.
   */
  admits(packet: Packet): boolean {
    const from = this.aclOf(packet.src);
    const to = this.aclOf(packet.dst);
    if (from !== undefined && to !== undefined && this.subnetOf(packet.src) === this.subnetOf(packet.dst)) return true;
    if (from !== undefined && !this.decide(from, true, packet.dst, packet.port, packet.protocol)) return false;
    if (to !== undefined && !this.decide(to, false, packet.src, packet.port, packet.protocol)) return false;
    return true;
  }

  private subnetOf(ip: string): string | undefined {
    return [...this.subnetAcl.keys()].find((cidr) => inCidr(ip, cidr));
  }
}
