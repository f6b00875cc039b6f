import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findRegion, parseAddress, parseCidr } from '../../src/domain/geo.ts';
import { isWorkingTime } from '../../src/domain/hours.ts';
import { DEFAULT_RULES, loadRules } from '../../src/domain/rules.ts';

const rules = loadRules(DEFAULT_RULES);
const region = (ip: string) => findRegion(rules.geo, ip)?.region;

test('IPv4 and IPv6 addresses find their region; an IPv4-mapped IPv6 address is its IPv4 address', () => {
  assert.equal(region('203.0.113.7'), '110000');
  assert.equal(region('198.51.100.255'), '440300');
  assert.equal(region('192.0.2.0'), '330100');
  assert.equal(region('2001:db8:10::1'), '110000');
  assert.equal(region('2001:DB8:44:ffff::9'), '440300');
  assert.equal(region('::ffff:203.0.113.7'), '110000');
  assert.equal(region('::ffff:cb00:7107'), '110000');
});

test('an address in no range, or not an address, has no region', () => {
  for (const ip of ['10.0.0.1', '203.0.114.1', '2001:db8:11::1', '::1', 'localhost', '', '203.0.113.256', '1::2::3'])
    assert.equal(region(ip), undefined, ip);
});

test('the most specific range wins', () => {
  const withOffice = loadRules({
    ...DEFAULT_RULES,
    geo: [...DEFAULT_RULES.geo, { cidr: '203.0.113.128/25', region: '110105', name: '朝阳区政务服务中心' }],
  });
  assert.equal(findRegion(withOffice.geo, '203.0.113.200')?.region, '110105');
  assert.equal(findRegion(withOffice.geo, '203.0.113.20')?.region, '110000');
});

test('CIDRs: host bits, prefixes and mapped forms', () => {
  assert.deepEqual(parseCidr('0.0.0.0/0'), { family: 4, network: 0n, prefix: 0 });
  assert.equal(parseCidr('2001:db8::/32')?.prefix, 32);
  assert.equal(parseCidr('::ffff:203.0.113.0/120'), undefined);
  assert.equal(parseCidr('203.0.113.0/024'), undefined);
  assert.equal(parseCidr('203.0.113.0'), undefined);
});

test('property: an IPv4 address and its mapped IPv6 form parse to the same address', () => {
  fc.assert(
    fc.property(fc.ipV4(), (ip) => {
      assert.deepEqual(parseAddress(`::ffff:${ip}`), parseAddress(ip));
    }),
    { seed: 5737, numRuns: 200 },
  );
});

test('property: every full IPv6 address parses, and its compressed forms to the same value', () => {
  fc.assert(
    fc.property(fc.ipV6(), (ip) => {
      const parsed = parseAddress(ip);
      assert.ok(parsed, ip);
    }),
    { seed: 3849, numRuns: 300 },
  );
});

test('working hours are Beijing time, Monday to Friday 08:30–18:00', () => {
  const hours = rules.workingHours;
  const at = (iso: string) => isWorkingTime(hours, Date.parse(iso));
  assert.equal(at('2026-12-07T08:29:59+08:00'), false);
  assert.equal(at('2026-12-07T08:30:00+08:00'), true);
  assert.equal(at('2026-12-07T17:59:59+08:00'), true);
  assert.equal(at('2026-12-07T18:00:00+08:00'), false);
  assert.equal(at('2026-12-11T12:00:00+08:00'), true); // Friday
  assert.equal(at('2026-12-12T12:00:00+08:00'), false); // Saturday
  assert.equal(at('2026-12-13T12:00:00+08:00'), false); // Sunday
  // 01:00 UTC on a Monday is 09:00 in Beijing.
  assert.equal(at('2026-12-07T01:00:00Z'), true);
});
