/** IPv4 CIDR arithmetic for validating and planning the VPC address space. */

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

const OCTET = '(0|[1-9]\\d{0,2})';
/** Dotted quad and prefix, no leading zeros (`010` is octal to some tools and decimal to others). */
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}\\/(0|[1-9]\\d?)$`);

/** Parses `a.b.c.d/n`; returns undefined for anything malformed or not on its network boundary. */
export function parseCidr(text: string): Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % blockSize(prefix) !== 0) return undefined;
  return { base, prefix };
}

export function isCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

export function formatCidr(cidr: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join('.')}/${cidr.prefix}`;
}

export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);
}

/**
 * Carves subnets of the given prefixes out of `parent`, in order, each aligned
 * on its own size. Returns undefined when they do not fit.
 */
export function allocate(parent: Cidr, prefixes: readonly number[]): Cidr[] | undefined {
  const end = parent.base + blockSize(parent.prefix);
  let next = parent.base;
  const result: Cidr[] = [];
  for (const prefix of prefixes) {
    if (prefix < parent.prefix) return undefined;
    const size = blockSize(prefix);
    const base = Math.ceil(next / size) * size;
    if (base + size > end) return undefined;
    result.push({ base, prefix });
    next = base + size;
  }
  return result;
}
