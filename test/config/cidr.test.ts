import { allocate, blockSize, type Cidr, formatCidr, isCidr, overlaps, parseCidr } from '../../src/config/cidr';

/** Parses a CIDR the test knows to be valid. */
const c = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`test setup: ${text} is not a CIDR`);
  return parsed;
};

describe('parseCidr', () => {
  test.each([
    ['0.0.0.0/0', 0, 0],
    ['10.0.0.0/8', 10 * 2 ** 24, 8],
    ['10.20.0.0/16', 10 * 2 ** 24 + 20 * 2 ** 16, 16],
    ['192.168.1.128/25', 192 * 2 ** 24 + 168 * 2 ** 16 + 1 * 2 ** 8 + 128, 25],
    ['255.255.255.255/32', 2 ** 32 - 1, 32],
  ])('%s is base %i, prefix %i', (text, base, prefix) => {
    expect(parseCidr(text)).toEqual({ base, prefix });
  });

  test.each([
    '10.0.0.0/16',
    '10.20.0.0/16',
    '172.16.0.0/12',
    '192.168.0.0/24',
    '10.20.4.0/22',
    '10.20.10.64/26',
    '203.0.113.7/32',
    '0.0.0.0/0',
    '255.255.255.0/24',
  ])('formatCidr(parseCidr(%s)) round-trips', (text) => {
    expect(formatCidr(c(text))).toBe(text);
  });

  test.each([
    ['host bits set on a /16', '10.0.0.1/16'],
    ['host bits set on a /24', '192.168.1.1/24'],
    ['third octet off a /22 boundary', '10.20.1.0/22'],
    ['second octet off a /12 boundary', '172.17.0.0/12'],
    ['anything but 0.0.0.0 for /0', '1.0.0.0/0'],
  ])('rejects a CIDR not on its network boundary: %s (%s)', (_why, text) => {
    expect(parseCidr(text)).toBeUndefined();
    expect(isCidr(text)).toBe(false);
  });

  test.each([
    ['an octet above 255', '10.256.0.0/16'],
    ['a prefix above 32', '10.0.0.0/33'],
    ['no prefix', '10.0.0.0'],
    ['three octets', '10.0.0/16'],
    ['five octets', '10.0.0.0.0/16'],
    ['a negative number', '-10.0.0.0/8'],
    ['surrounding spaces', ' 10.0.0.0/16 '],
    ['an IPv6 CIDR', '2001:db8::/32'],
    ['an empty string', ''],
    ['a three-digit prefix', '10.0.0.0/016'],
    ['a leading zero in an octet', '010.0.0.0/8'],
    ['a leading zero in the prefix', '10.0.0.0/08'],
  ])('rejects a malformed CIDR: %s (%j)', (_why, text) => {
    expect(parseCidr(text)).toBeUndefined();
    expect(isCidr(text)).toBe(false);
  });

  test('isCidr accepts a valid CIDR', () => {
    expect(isCidr('10.20.0.0/16')).toBe(true);
  });
});

describe('blockSize', () => {
  test.each([
    [0, 2 ** 32],
    [16, 65536],
    [24, 256],
    [28, 16],
    [32, 1],
  ])('/%i holds %i addresses', (prefix, size) => {
    expect(blockSize(prefix)).toBe(size);
  });
});

describe('overlaps', () => {
  test.each([
    ['adjacent /24s', '10.0.0.0/24', '10.0.1.0/24', false],
    ['adjacent /16s', '10.20.0.0/16', '10.21.0.0/16', false],
    ['a block and the one just below it', '10.20.0.0/16', '10.19.0.0/16', false],
    ['far apart', '10.0.0.0/8', '192.168.0.0/16', false],
    ['identical', '10.20.0.0/16', '10.20.0.0/16', true],
    ['nested at the start', '10.20.0.0/16', '10.20.0.0/24', true],
    ['nested in the middle', '10.20.0.0/16', '10.20.128.0/17', true],
    ['nested at the last address', '10.20.0.0/16', '10.20.255.255/32', true],
    ['a /14 containing a /16', '10.0.0.0/14', '10.3.0.0/16', true],
    ['a /14 next to a /16', '10.0.0.0/14', '10.4.0.0/16', false],
    ['everything and anything', '0.0.0.0/0', '203.0.113.0/24', true],
  ])('%s: %s and %s -> %s', (_why, a, b, expected) => {
    expect(overlaps(c(a), c(b))).toBe(expected);
    expect(overlaps(c(b), c(a))).toBe(expected);
  });
});

describe('allocate', () => {
  const texts = (blocks: Cidr[] | undefined) => blocks?.map(formatCidr);

  test('carves blocks in order from the start of the parent', () => {
    expect(texts(allocate(c('10.0.0.0/24'), [26, 26, 26, 26]))).toEqual(['10.0.0.0/26', '10.0.0.64/26', '10.0.0.128/26', '10.0.0.192/26']);
  });

  test('aligns each block on its own size, skipping the gap', () => {
    expect(texts(allocate(c('10.0.0.0/24'), [28, 26]))).toEqual(['10.0.0.0/28', '10.0.0.64/26']);
    expect(texts(allocate(c('10.0.0.0/24'), [28, 27, 28]))).toEqual(['10.0.0.0/28', '10.0.0.32/27', '10.0.0.64/28']);
  });

  test('every allocated block is a valid CIDR on its boundary, inside the parent', () => {
    const parent = c('10.20.0.0/20');
    const blocks = allocate(parent, [27, 22, 24, 28, 23]);
    expect(blocks).toBeDefined();
    for (const block of blocks!) {
      expect(isCidr(formatCidr(block))).toBe(true);
      expect(block.base % blockSize(block.prefix)).toBe(0);
      expect(block.base).toBeGreaterThanOrEqual(parent.base);
      expect(block.base + blockSize(block.prefix)).toBeLessThanOrEqual(parent.base + blockSize(parent.prefix));
    }
  });

  test('an exact fit fills the parent to its last address', () => {
    expect(texts(allocate(c('255.255.255.0/24'), [25, 25]))).toEqual(['255.255.255.0/25', '255.255.255.128/25']);
  });

  test('returns undefined when the blocks do not fit', () => {
    expect(allocate(c('10.0.0.0/24'), [25, 25, 25])).toBeUndefined();
    expect(allocate(c('255.255.255.0/24'), [25, 25, 32])).toBeUndefined();
    // Fits by size (16 + 128 + 64 = 208 of 256) but not once aligned.
    expect(allocate(c('10.0.0.0/24'), [28, 25, 26, 28])).toBeUndefined();
  });

  test('returns undefined for a block larger than the parent', () => {
    expect(allocate(c('10.0.0.0/24'), [23])).toBeUndefined();
  });

  test('returns an empty list when nothing is asked for', () => {
    expect(allocate(c('10.0.0.0/24'), [])).toEqual([]);
  });
});
