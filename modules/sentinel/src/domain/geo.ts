// Addresses to regions for impossible travel: a small table of CIDR ranges (IPv4 and IPv6), each
// naming a GB/T 2260 administrative division code. The longest matching prefix wins; an address
// in no range has no region and never counts as travel (a mobile carrier's pool, a VPN, a typo in
// the table must not raise alerts).

export interface GeoRange {
  readonly cidr: string;
  /** GB/T 2260 code, e.g. 110000 北京市, 440300 深圳市. */
  readonly region: string;
  readonly name: string;
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

export interface GeoTable {
  /** Longest prefix first, so the first match is the most specific. */
  readonly ranges: readonly GeoRange[];
}

interface Address {
  readonly family: 4 | 6;
  readonly value: bigint;
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // A trailing dotted quad (::ffff:192.0.2.1) is the last 32 bits.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tailV4 = parseIPv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] | undefined => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => /^[0-9a-f]{1,4}$/i.test(x)) ? g : undefined;
  };
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right];
  let value = 0n;
  for (const g of all) value = (value << 16n) | BigInt(parseInt(g, 16));
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

const MAPPED_V4 = 0xffffn << 32n;

/** An IPv4 or IPv6 address; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is its IPv4 address. */
export function parseAddress(text: string): Address | undefined {
  const bare = text.trim().replace(/%.*$/, '');
  if (!bare.includes(':')) {
    const v4 = parseIPv4(bare);
    return v4 === undefined ? undefined : { family: 4, value: v4 };
  }
  const v6 = parseIPv6(bare);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 - MAPPED_V4 };
  return { family: 6, value: v6 };
}

/** `203.0.113.0/24` → its family, network and prefix; undefined when not a CIDR (host bits set count as not one). */
export function parseCidr(cidr: string): { family: 4 | 6; network: bigint; prefix: number } | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const prefixText = cidr.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const address = parseAddress(cidr.slice(0, slash));
  const prefix = Number(prefixText);
  // A mapped address in a range would be read as IPv4 but written as IPv6: refuse the ambiguity.
  if (!address || (address.family === 4 && cidr.includes(':'))) return undefined;
  const bits = address.family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((address.value & hostMask) !== 0n) return undefined;
  return { family: address.family, network: address.value, prefix };
}

export function buildGeoTable(ranges: readonly Omit<GeoRange, 'family' | 'network' | 'prefix'>[]): GeoTable {
  const parsed = ranges.map((r) => {
    const c = parseCidr(r.cidr);
    if (!c) throw new Error(`not a CIDR: ${r.cidr}`);
    return { ...r, ...c };
  });
  parsed.sort((a, b) => b.prefix - a.prefix);
  return { ranges: parsed };
}

/** The range an address falls in, most specific first; undefined for an unknown or unparsable address. */
export function findRegion(table: GeoTable, ip: string | undefined): GeoRange | undefined {
  if (!ip) return undefined;
  const address = parseAddress(ip);
  if (!address) return undefined;
  const bits = address.family === 4 ? 32 : 128;
  return table.ranges.find(
    (r) =>
      r.family === address.family && address.value >> BigInt(bits - r.prefix) === r.network >> BigInt(bits - r.prefix),
  );
}
