// Bodies no well-behaved client sends: JSON that is not quite JSON (duplicate keys, numbers out of
// range, nesting past any sane depth, a byte-order mark, truncation, invalid UTF-8), other media
// types' syntax, and the content types that should have come with them.
import fc from 'fast-check';
import { nastyString } from './nasty.ts';

export const oddContentType: fc.Arbitrary<string> = fc.constantFrom(
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'text/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=----x',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset="utf-8"; charset=ascii',
  'APPLICATION/JSON',
  'application/json;',
  'application/jsonx',
  'application/merge-patch+json',
  'application/problem+json',
  'application/vnd.api+json',
  'application/octet-stream',
  'application/cbor',
  'image/png',
  '*/*',
  'application/*',
  'json',
  ';',
  ' ',
  'application/json, text/plain',
  `application/json; x=${'a'.repeat(3000)}`,
);

const RAW: readonly string[] = [
  '',
  ' ',
  'null',
  'true',
  '0',
  '"string"',
  '[]',
  '{}',
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":1e400}',
  '{"a":-1e400}',
  '{"a":1e-400}',
  '{"a":123456789012345678901234567890}',
  '{"a":0x10}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}',
  '\ufeff{}',
  '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
  'a=1&a=2&__proto__[x]=1',
  '------x\r\nContent-Disposition: form-data; name="file"; filename="../../x"\r\n\r\ngarbage\r\n------x--\r\n',
  '------x\r\nContent-Disposition: form-data',
  '['.repeat(100_000),
  `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
];

/** Invalid UTF-8: a lone continuation byte, an overlong slash, a truncated sequence. */
const INVALID_UTF8 = [
  Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d]),
  Uint8Array.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
  Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe4, 0xb8, 0x22, 0x7d]),
  Uint8Array.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
];

/** The first key of a JSON object written twice, the second time with another value. */
function duplicateFirstKey(json: string, value: string): string {
  const m = /^\{("(?:[^"\\]|\\.)*"):/.exec(json);
  if (!m) return `{"a":1,"a":${JSON.stringify(value)}}`;
  return `{${m[1]}:${JSON.stringify(value)},${json.slice(1)}`;
}

export function malformedBody(value: fc.Arbitrary<unknown>): fc.Arbitrary<string | Uint8Array> {
  const json = value.map((v) => JSON.stringify(v) ?? 'null');
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...RAW) },
    { weight: 1, arbitrary: fc.constantFrom(...INVALID_UTF8) },
    { weight: 2, arbitrary: fc.tuple(json, nastyString).map(([j, s]) => duplicateFirstKey(j, s)) },
    { weight: 2, arbitrary: fc.tuple(json, fc.nat()).map(([j, n]) => j.slice(0, n % Math.max(1, j.length))) },
    { weight: 1, arbitrary: json.map((j) => `\ufeff${j}`) },
    { weight: 1, arbitrary: json.map((j) => `[${j},${j}]`) },
    { weight: 1, arbitrary: json.map((j) => j.replace(/:(-?\d+)/, ':$1e400')) },
    // Past the 1 MiB body limit.
    { weight: 1, arbitrary: fc.constant(`{"a":"${'x'.repeat(1_100_000)}"}`) },
  );
}
