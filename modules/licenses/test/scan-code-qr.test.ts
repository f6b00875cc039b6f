// The scan code's QR symbol: one alphanumeric segment at error correction Q, small enough for a
// printed licence. (No QR decoder is installed — jsqr is not a dependency — so the symbol is
// checked through what qrcode built: its segments, level, version and drawn size.)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { issueScanCode, scanCodeQrDataUrl, scanCodeQrShape, scanCodeQrSvg } from '../src/domain/scan-code/index.ts';
import { es256, licenceClaims, sm2 } from './scan-code-fixtures.ts';

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
