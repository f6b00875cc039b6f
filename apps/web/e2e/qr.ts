// Reading a QR symbol the way a phone's camera would: from the pixels the browser rendered (an
// element's screenshot), with jsQR — a decoder written apart from the encoder the platform uses —
// so a test proves the symbol on the page carries the code, not that the page holds the text.
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import type { Locator } from 'playwright-core';

// A CommonJS module whose types say `export default`: under Node's ES modules its default import is
// `module.exports`, which is the decoding function itself.
const jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

/** The text of the QR symbol `element` shows; throws when none can be read from its pixels. */
export async function readQr(element: Locator): Promise<string> {
  const png = PNG.sync.read(await element.screenshot({ animations: 'disabled' }));
  const found = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  if (!found) throw new Error(`no QR symbol could be read from the element's ${png.width}×${png.height} pixels`);
  return found.data;
}
