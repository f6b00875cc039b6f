import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalize } from '../src/domain/canonical.ts';

test('RFC 8785 §3.2.2 example: members sorted, numbers and strings in their canonical forms', () => {
  const input = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
  );
  assert.equal(
    canonicalize(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

test('RFC 8785 §3.2.3: names sort by UTF-16 code units, not by code points or locale', () => {
  const input = {
    '\u20ac': 'Euro Sign',
    '\r': 'Carriage Return',
    '\ufb33': 'Hebrew Letter Dalet With Dagesh',
    '1': 'One',
    '\ud83d\ude00': 'Emoji: Grinning Face',
    '\u0080': 'Control',
    '\u00f6': 'Latin Small Letter O With Diaeresis',
  };
  // Read the names in the order written (Object.keys would move the integer-like '1' first).
  const keys = [...canonicalize(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  assert.deepEqual(keys, ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
});

test('the same value always gives the same bytes; values JSON cannot carry are refused', () => {
  assert.equal(canonicalize({ b: [1, { d: 2, c: -0 }], a: 'x', u: undefined }), '{"a":"x","b":[1,{"c":0,"d":2}]}');
  for (const bad of [NaN, Infinity, 10n, () => 1, new Date(0)]) assert.throws(() => canonicalize(bad));
});

test('RFC 8785 §3.2.2.2: a string or a name with a lone surrogate is refused; a pair is kept', () => {
  for (const bad of [{ a: '\ud800' }, { '\udc00': 1 }, ['x\ud83d']])
    assert.throws(() => canonicalize(bad), /lone surrogate/);
  assert.equal(canonicalize({ a: '\ud83d\ude00' }), '{"a":"😀"}');
});
