// The values a careless or hostile client sends: unicode that breaks naive code, injection strings
// for every interpreter behind an API, sizes around the limits, and values of the wrong type.
import fc from 'fast-check';

/** Strings that have broken real systems (RTL overrides, zero-width, NUL, lone surrogates, …). */
export const UNICODE = [
  '',
  ' ',
  '\u202eevil\u202c',
  'مرحبا بالعالم',
  'שלום',
  'a\u200bb\u200c\u200d\ufeff',
  'nul\u0000byte',
  '\u0000',
  'lone \ud800 high',
  'lone \udfff low',
  '\ud83d',
  '😀👨‍👩‍👧‍👦🇨🇳',
  '张三',
  '浙江省杭州市西湖区文三路一号',
  '\u3000全角空格\u3000',
  'Ａ１２３',
  'e\u0301\u0301\u0301',
  'tab\tnew\nline\rreturn',
  '\u0007\u001b[31mred',
  '\u2028\u2029',
  '\uffff\ufffe',
  'İıß',
];

export const INJECTION = [
  "' OR '1'='1",
  "'; drop table identity.account; --",
  '" OR ""="',
  '1; select pg_sleep(10)',
  "' union select null, current_user --",
  '$1',
  '\\',
  "\\'",
  '%',
  '_',
  '{"$gt": ""}',
  '{"$where": "sleep(1000)"}',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  'file:///etc/passwd',
  '{{7*7}}',
  '${7*7}',
  '${process.exit(1)}',
  '#{7*7}',
  '<%= 7*7 %>',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'a\r\nSet-Cookie: x=1',
  '\r\n\r\nHTTP/1.1 200 OK',
  '%0d%0aX-Injected: 1',
  '${jndi:ldap://x/a}',
  'http://169.254.169.254/latest/meta-data/',
  'http://127.0.0.1:22/',
  '*',
  '?',
  '.',
  '..',
  'null',
  'undefined',
  'NaN',
  'true',
  '-1',
  '0',
  '1e400',
  '9999999999999999999999',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...UNICODE, ...INJECTION) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', '张', '😀', '\u0000', "'", '\u202e'), fc.constantFrom(256, 5_001, 70_000))
      .map(([c, n]) => c.repeat(n)),
  },
);

export const nastyNumber: fc.Arbitrary<number | string> = fc.constantFrom(
  0,
  -0,
  -1,
  1,
  0.5,
  -0.000001,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
  -1e21,
);

/** A nested value `depth` levels deep: arrays or objects, as parsers and validators recurse. */
export function nested(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** A value of any type, for a place that expects one type: the wrong-type half of fuzzing. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(nested(200, 'array'), nested(200, 'object'), nested(3000, 'array')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      JSON.parse('{"__proto__": {"polluted": true, "isAdmin": true}}') as unknown,
      { constructor: { prototype: { polluted: true } } },
      { toString: 'x', valueOf: 1, hasOwnProperty: 'x' },
    ),
  },
);
