/**
 * EC2 instance families the app fleet may use: current Nitro families only.
 * The launch template sets EBS optimization and encrypted gp3 root volumes
 * and relies on Nitro (NVMe, ENA); the AMI follows the architecture.
 */
export type Architecture = 'arm64' | 'x86_64';

const family = (arch: Architecture, names: string) => names.split(/\s+/).filter(Boolean).map((name) => [name, arch] as const);

export const NITRO_FAMILIES: Readonly<Record<string, Architecture>> = Object.fromEntries([
  // Graviton.
  ...family('arm64', `
    t4g
    m6g m6gd m7g m7gd m8g m8gd
    c6g c6gd c6gn c7g c7gd c7gn c8g c8gd c8gn
    r6g r6gd r7g r7gd r8g r8gd
    x2gd x8g i4g im4gn is4gen g5g`),
  // Intel and AMD.
  ...family('x86_64', `
    t3 t3a
    m5 m5a m5ad m5d m5dn m5n m5zn m6a m6i m6id m6idn m6in m7a m7i m7i-flex m8a m8i m8i-flex
    c5 c5a c5ad c5d c5n c6a c6i c6id c6in c7a c7i c7i-flex c8i c8i-flex
    r5 r5a r5ad r5b r5d r5dn r5n r6a r6i r6id r6idn r6in r7a r7i r7iz r8i r8i-flex
    x2idn x2iedn x2iezn z1d i3en i4i i7i i7ie d3 d3en
    g4dn g4ad g5 g6 g6e inf2 trn1`),
]);

/** Families on the Xen hypervisor (or otherwise not Nitro), refused with the reason. */
export const NON_NITRO_FAMILIES = ['t1', 't2', 'm1', 'm2', 'm3', 'm4', 'c1', 'c3', 'c4', 'r3', 'r4', 'x1', 'x1e', 'i2', 'i3', 'd2', 'g2', 'g3', 'g3s', 'p2', 'p3', 'h1', 'f1'];

const SIZE = /^(nano|micro|small|medium|large|\d{0,2}xlarge|metal(-\d+xl)?)$/;

/** The architecture of a usable instance type, or the reason it is refused. */
export function checkInstanceType(type: string): { architecture: Architecture } | { problem: string } {
  const match = /^([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/.exec(type);
  if (!match) return { problem: 'must be an EC2 instance type like t4g.small' };
  const [, fam, size] = match as unknown as [string, string, string];
  if (NON_NITRO_FAMILIES.includes(fam)) {
    return { problem: `${fam} is not a Nitro family; the launch template sets EBS optimization and NVMe root volumes, so use a current family such as ${fam.startsWith('t') ? 't3 or t4g' : 'm7g, m7i, c7g or r7g'}` };
  }
  const architecture = Object.hasOwn(NITRO_FAMILIES, fam) ? NITRO_FAMILIES[fam] : undefined;
  if (!architecture) return { problem: `unknown instance family "${fam}"; known Nitro families: ${Object.keys(NITRO_FAMILIES).slice(0, 12).join(', ')}, ...` };
  if (!SIZE.test(size)) return { problem: `unknown size "${size}"; sizes are nano, micro, small, medium, large, xlarge, 2xlarge ... 48xlarge, metal` };
  return { architecture };
}

/**
 * Aurora instance classes (without "db."), by family: the memory-optimized and
 * burstable classes Aurora PostgreSQL and MySQL both offer.
 */
export const AURORA_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  t3: ['medium', 'large'],
  t4g: ['medium', 'large'],
  r5: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'],
  r6g: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
  r6gd: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
  r6i: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'],
  r6id: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'],
  r7g: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
  r7i: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge'],
  r8g: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge'],
  x2g: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
};

export function auroraClassProblem(instanceClass: string): string | undefined {
  if (instanceClass.startsWith('db.')) return 'give the class without the "db." prefix, like r7g.large';
  const [fam = '', size = ''] = instanceClass.split('.');
  const sizes = Object.hasOwn(AURORA_FAMILIES, fam) ? AURORA_FAMILIES[fam] : undefined;
  if (!sizes) return `Aurora has no db.${fam} class; families: ${Object.keys(AURORA_FAMILIES).join(', ')}`;
  if (!sizes.includes(size)) return `db.${fam} comes in ${sizes.join(', ')}`;
  return undefined;
}
