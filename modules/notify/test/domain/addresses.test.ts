// The SSRF guard's classification: only public unicast passes; every form that reaches the local
// host, a private network or the cloud metadata service is named for what it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { classifyAddress, formatIpv4, parseIpv4, parseIpv6, vetHost } from '../../src/domain/addresses.ts';

test('IPv4 in every inet_aton form reads as the same address', () => {
  for (const text of [
    '127.0.0.1',
    '2130706433',
    '0x7f000001',
    '0x7f.1',
    '0177.0.0.1',
    '127.1',
    '0x7F.0.0.1',
    '127.0.1',
  ])
    assert.equal(parseIpv4(text), 0x7f000001, text);
  for (const text of ['256.0.0.1', '1.2.3.4.5', '1..2', '08.0.0.1', 'abc', '1.2.3.256', '4294967296', ''])
    assert.equal(parseIpv4(text), null, text);
});

test('IPv6 parses with ::, brackets, zones and a dotted tail', () => {
  assert.deepEqual(parseIpv6('::1'), [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIpv6('[::1]'), [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIpv6('fe80::1%eth0'), [0xfe80, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIpv6('::ffff:127.0.0.1'), [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
  assert.deepEqual(parseIpv6('2001:db8:0:0:0:0:2:1'), [0x2001, 0xdb8, 0, 0, 0, 0, 2, 1]);
  for (const text of ['1::2::3', '12345::', ':::', '1:2:3:4:5:6:7:8:9', '::ffff:1.2.3.256', '1.2.3.4', 'g::1'])
    assert.equal(parseIpv6(text), null, text);
});

test('the SSRF corpus is refused, each for its reason', () => {
  const corpus: Record<string, string> = {
    '127.0.0.1': 'loopback',
    '127.255.255.254': 'loopback',
    '2130706433': 'loopback',
    '0x7f.1': 'loopback',
    '0.0.0.0': 'unspecified',
    '0': 'unspecified',
    '10.1.2.3': 'private',
    '172.16.0.1': 'private',
    '172.31.255.255': 'private',
    '192.168.1.1': 'private',
    '169.254.169.254': 'link-local',
    '100.64.0.1': 'cgnat',
    '100.127.255.255': 'cgnat',
    '224.0.0.1': 'multicast',
    '255.255.255.255': 'broadcast',
    '240.0.0.1': 'reserved',
    '192.0.2.1': 'reserved',
    '198.18.0.1': 'reserved',
    '::1': 'loopback',
    '::': 'unspecified',
    '0:0:0:0:0:0:0:1': 'loopback',
    '::ffff:127.0.0.1': 'loopback',
    '::ffff:7f00:1': 'loopback',
    '::ffff:10.0.0.1': 'private',
    '::ffff:169.254.169.254': 'link-local',
    '::127.0.0.1': 'reserved',
    '64:ff9b::127.0.0.1': 'loopback',
    '64:ff9b::a9fe:a9fe': 'link-local',
    '64:ff9b:1::1': 'private',
    '2002:7f00:1::': 'loopback',
    '2002:c0a8:101::1': 'private',
    'fc00::1': 'private',
    'fd12:3456::1': 'private',
    'fe80::1': 'link-local',
    'febf::1': 'link-local',
    'fec0::1': 'private',
    'ff02::1': 'multicast',
    '2001:db8::1': 'reserved',
    '2001::1': 'reserved',
    '100::1': 'reserved',
  };
  for (const [text, cls] of Object.entries(corpus)) assert.equal(classifyAddress(text), cls, text);
});

test('public addresses pass', () => {
  for (const text of [
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '223.5.5.5',
    '2400:3200::1',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])
    assert.equal(classifyAddress(text), 'public', text);
});

test('a URL host is an address literal, localhost, or a name to resolve', () => {
  assert.deepEqual(vetHost('2130706433'), { kind: 'address', address: '127.0.0.1', family: 4, class: 'loopback' });
  assert.deepEqual(vetHost('[::1]'), { kind: 'address', address: '::1', family: 6, class: 'loopback' });
  assert.deepEqual(vetHost('LOCALHOST'), vetHost('localhost.'));
  const local = vetHost('localhost');
  assert.equal(local.kind === 'address' && local.class, 'loopback');
  assert.deepEqual(vetHost('api.localhost'), { kind: 'address', address: '127.0.0.1', family: 4, class: 'loopback' });
  assert.deepEqual(vetHost('hooks.example.gov.cn'), { kind: 'name', name: 'hooks.example.gov.cn' });
});

test('every 32-bit number round-trips through the dotted form and agrees with the mapped IPv6 form', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (ip) => {
      const dotted = formatIpv4(ip);
      assert.equal(parseIpv4(dotted), ip);
      assert.equal(parseIpv4(String(ip)), ip);
      assert.equal(classifyAddress(`::ffff:${dotted}`), classifyAddress(dotted));
      assert.equal(classifyAddress(`64:ff9b::${dotted}`), classifyAddress(dotted));
    }),
  );
});

test('IPv4 forms agree with the WHATWG URL parser, the one that reads webhook URLs', () => {
  const part = (v: number, radix: 'dec' | 'oct' | 'hex') =>
    radix === 'hex' ? `0x${v.toString(16)}` : radix === 'oct' && v > 0 ? `0${v.toString(8)}` : String(v);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom('dec', 'oct', 'hex') as fc.Arbitrary<'dec' | 'oct' | 'hex'>,
      (ip, parts, radix) => {
        const bytes = [24, 16, 8, 0].map((s) => Math.floor(ip / 2 ** s) % 256);
        const lead = bytes.slice(0, parts - 1);
        const rest = bytes.slice(parts - 1).reduce((a, b) => a * 256 + b, 0);
        const text = [...lead, rest].map((v) => part(v, radix)).join('.');
        assert.equal(parseIpv4(text), ip, text);
        assert.equal(new URL(`http://${text}/`).hostname, formatIpv4(ip), text);
      },
    ),
  );
});

test('IPv6 parsing agrees with the URL parser’s canonical form', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
      const canonical = new URL(`http://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname;
      assert.deepEqual(parseIpv6(canonical), groups, canonical);
    }),
  );
});
