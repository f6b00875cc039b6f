// Which network addresses an outbound request may reach (the SSRF guard's pure half; the fetch in
// service/channels/outbound.ts resolves the name, asks here about EVERY address, then connects
// only to the one it vetted). Only public unicast passes: IANA's special-purpose registries
// (RFC 6890, 8190) name everything else — loopback, RFC 1918, link-local (169.254/16 holds the
// cloud metadata service), CGNAT (RFC 6598), multicast, documentation, benchmarking, reserved —
// and the IPv6 forms that smuggle an IPv4 address in (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96,
// 6to4 2002::/16) are judged by the IPv4 address inside them.

export type AddressClass =
  'public' | 'loopback' | 'private' | 'link-local' | 'cgnat' | 'unspecified' | 'multicast' | 'broadcast' | 'reserved';

/**
 * An IPv4 address in any form inet_aton(3) accepts — `127.0.0.1`, `2130706433`, `0x7f.1`,
 * `0177.0.0.1`, `127.1` — as a 32-bit number; null when the text is not one. Browsers and
 * WHATWG URL parse hosts the same way, so a check on the dotted form alone would let
 * `http://2130706433/` through.
 */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return null;
  const values: number[] = [];
  for (const p of parts) {
    let v: number;
    if (/^0x[0-9a-f]*$/i.test(p)) v = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) v = parseInt(p.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(p)) v = Number(p);
    else return null;
    if (!Number.isSafeInteger(v)) return null;
    values.push(v);
  }
  const last = values.pop() as number;
  if (values.some((v) => v > 255)) return null;
  // The last part fills the bytes the earlier ones did not: a.b.c.d, a.b.(16 bits), a.(24 bits), (32 bits).
  if (last >= 2 ** (8 * (4 - values.length))) return null;
  return values.reduce((acc, v, i) => acc + v * 2 ** (8 * (3 - i)), 0) + last;
}

/** An IPv6 address (brackets and a zone allowed) as eight 16-bit groups; null when the text is not one. */
export function parseIpv6(text: string): number[] | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return null;
  const lastColon = s.lastIndexOf(':');
  const dotted = s.slice(lastColon + 1);
  if (dotted.includes('.')) {
    // The IPv4 tail of ::ffff:1.2.3.4 is strict dotted-decimal; it stands for the last two groups.
    if (!/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(dotted)) return null;
    const v4 = parseIpv4(dotted) as number;
    s = `${s.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

type V4Range = readonly [base: string, bits: number, cls: Exclude<AddressClass, 'public'>];
const V4_RANGES: readonly V4Range[] = [
  ['0.0.0.0', 8, 'unspecified'], // "this network" (RFC 791); 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'], // RFC 6598 shared address space
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // 169.254.169.254: cloud metadata
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // TEST-NET-1
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast (RFC 7526)
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking (RFC 2544)
  ['198.51.100.0', 24, 'reserved'], // TEST-NET-2
  ['203.0.113.0', 24, 'reserved'], // TEST-NET-3
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'], // after broadcast: the first match wins
];
const inV4 = (ip: number, base: string, bits: number) => {
  const size = 2 ** (32 - bits);
  const start = parseIpv4(base) as number;
  return ip >= start && ip < start + size;
};

export function classifyIpv4(ip: number): AddressClass {
  return V4_RANGES.find(([base, bits]) => inV4(ip, base, bits))?.[2] ?? 'public';
}

export function classifyIpv6(g: readonly number[]): AddressClass {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const v4 = (hi: number, lo: number) => classifyIpv4(hi * 65536 + lo);
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && g7 === 1) return 'loopback';
  if (zeroTo(5) && g5 === 0xffff) return v4(g6, g7); // IPv4-mapped ::ffff:a.b.c.d
  if (zeroTo(5) && g5 === 0) return 'reserved'; // IPv4-compatible ::a.b.c.d (deprecated, RFC 4291)
  if (zeroTo(4) && g4 === 0xffff && g5 === 0) return v4(g6, g7); // IPv4-translated ::ffff:0:a.b.c.d (RFC 2765)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4(g6, g7); // NAT64
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'private'; // local-use NAT64 (RFC 8215)
  if (g0 === 0x2002) return v4(g1, g2); // 6to4 carries its IPv4 in bits 16..47
  if (g0 === 0x2001 && g1 === 0) return 'reserved'; // Teredo: the client address is obfuscated, so unvettable
  if (g0 === 0x2001 && g1 === 0x0db8) return 'reserved'; // documentation
  if (g0 === 0x2001 && g1 < 0x200) return 'reserved'; // IETF protocol assignments 2001::/23
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved'; // discard-only 100::/64
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  // Only 2000::/3 is global unicast; everything outside it is unassigned or special.
  return (g0 & 0xe000) === 0x2000 ? 'public' : 'reserved';
}

/** The class of an address as DNS or a URL gives it (dotted, any inet_aton form, or IPv6); null when it is no address. */
export function classifyAddress(text: string): AddressClass | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return classifyIpv4(v4);
  const v6 = parseIpv6(text);
  return v6 ? classifyIpv6(v6) : null;
}

/**
 * What the host of a URL is before any DNS: an address literal with its class, `localhost` and its
 * subdomains (RFC 6761: they always resolve to loopback), or a name to resolve.
 */
export function vetHost(
  hostname: string,
): { kind: 'address'; address: string; family: 4 | 6; class: AddressClass } | { kind: 'name'; name: string } {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const v4 = parseIpv4(host);
  if (v4 !== null) return { kind: 'address', address: formatIpv4(v4), family: 4, class: classifyIpv4(v4) };
  const v6 = parseIpv6(host);
  if (v6) return { kind: 'address', address: host.replace(/^\[|\]$/g, ''), family: 6, class: classifyIpv6(v6) };
  if (host === 'localhost' || host.endsWith('.localhost'))
    return { kind: 'address', address: '127.0.0.1', family: 4, class: 'loopback' };
  return { kind: 'name', name: host };
}

export function formatIpv4(ip: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join('.');
}
