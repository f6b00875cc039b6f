// The scan code's QR symbol: one alphanumeric segment at error correction Q, small enough for a
// printed licence, that reads back as the code. No QR decoder is installed (jsqr is not a
// dependency), so ./qr-reader.ts reads the clean symbol the way ISO/IEC 18004 lays it out.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  issueScanCode,
  scanCodeQrDataUrl,
  scanCodeQrMatrix,
  scanCodeQrShape,
  scanCodeQrSvg,
  verifyScanCode,
} from '../src/domain/scan-code/index.ts';
import { readQr } from './qr-reader.ts';
import { DURING, es256, licenceClaims, sm2, trustOf } from './scan-code-fixtures.ts';

test('the QR symbol reads back as the scan code’s text, and the text verifies', () => {
  for (const signer of [es256(), sm2()]) {
    const text = issueScanCode(licenceClaims(), signer);
    const read = readQr(scanCodeQrMatrix(text));
    assert.equal(read.level, 'Q');
    assert.deepEqual(read.modes, ['Alphanumeric']);
    assert.equal(read.version, scanCodeQrShape(text).version);
    assert.equal(read.text, text);
    assert.ok(verifyScanCode(read.text, { trust: trustOf(signer), now: DURING }).ok);
  }
});

test('any alphanumeric text up to 700 characters (version 20) at Q reads back as itself (the reader is not tuned to one version)', (t) => {
  const versions = new Set<number>();
  const alphabet = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'];
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 700, size: 'max' }),
      (text) => {
        const read = readQr(scanCodeQrMatrix(text));
        versions.add(read.version);
        assert.equal(read.text, text);
      },
    ),
    { numRuns: 30, endOnFailure: true },
  );
  t.diagnostic(`versions read: ${[...versions].sort((a, b) => a - b).join(' ')}`);
  assert.ok(versions.size >= 5, 'the texts spread over the versions');
});

test('the reader can fail: a symbol with one module flipped no longer reads as the code', () => {
  const text = issueScanCode(licenceClaims(), es256());
  const matrix = scanCodeQrMatrix(text);
  // Bottom-right corner: the first data module, part of the mode indicator.
  const flipped = {
    size: matrix.size,
    dark: (r: number, c: number) => matrix.dark(r, c) !== (r === matrix.size - 1 && c === matrix.size - 1),
  };
  assert.throws(() => readQr(flipped), /not alphanumeric/);
});

test('a typical licence’s code is one alphanumeric segment at ECC Q, at most version 19', (t) => {
  for (const signer of [es256(), sm2()]) {
    const text = issueScanCode(licenceClaims(), signer);
    const shape = scanCodeQrShape(text);
    t.diagnostic(`${signer.algorithm}: ${text.length} characters → QR version ${shape.version}`);
    assert.deepEqual(shape.modes, ['Alphanumeric']);
    assert.equal(shape.errorCorrection, 'Q');
    assert.ok(shape.version <= 19, `version ${shape.version}`);
  }
});

test('the version grows with the text: the symbol holds the whole code, not a prefix of it', () => {
  const text = issueScanCode(licenceClaims(), es256());
  // Random text, which deflate cannot shrink.
  const noise = () => randomBytes(64).toString('hex');
  const longer = issueScanCode(licenceClaims({ typeCode: noise(), identifier: noise() }), es256());
  assert.ok(scanCodeQrShape(longer).version > scanCodeQrShape(text).version);
});

test('the SVG and the PNG data URL draw that symbol: 4·version + 17 modules and a 4-module quiet zone', async () => {
  const text = issueScanCode(licenceClaims(), sm2());
  const { version } = scanCodeQrShape(text);
  const side = 4 * version + 17 + 2 * 4;
  const svg = await scanCodeQrSvg(text);
  assert.match(svg, new RegExp(`^<svg [^>]*viewBox="0 0 ${side} ${side}"`));
  const png = await scanCodeQrDataUrl(text);
  assert.match(png, /^data:image\/png;base64,/);
  const bytes = Buffer.from(png.slice('data:image/png;base64,'.length), 'base64');
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  assert.equal(bytes.readUInt32BE(16), side * 4, 'width at scale 4');
});
