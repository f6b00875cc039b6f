// The scan code as a QR code: one alphanumeric segment (the base45 text needs no other mode) at
// error correction Q, which survives a quarter of the symbol being smudged or folded — what a
// printed licence or a phone screen held at an angle needs (the EU DCC's choice too).
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'Q', margin: 4 } as const;

const segments = (text: string) => [{ data: text, mode: 'alphanumeric' as const }];

// The format information's two bits for each level (ISO/IEC 18004 Table 12).
const LEVEL_OF_BITS = ['M', 'L', 'H', 'Q'] as const;

/** The QR symbol's shape as qrcode built it: version (size), error correction, segment modes. */
export function scanCodeQrShape(text: string): { version: number; errorCorrection: string; modes: string[] } {
  const qr = QRCode.create(segments(text), OPTIONS);
  return {
    version: qr.version,
    errorCorrection: LEVEL_OF_BITS[qr.errorCorrectionLevel.bit],
    modes: qr.segments.map((s) => s.mode.id),
  };
}

/** The symbol's modules, row by row (what the SVG and the PNG draw), for a reader to check. */
export function scanCodeQrMatrix(text: string): { size: number; dark(row: number, column: number): boolean } {
  const { modules } = QRCode.create(segments(text), OPTIONS);
  return { size: modules.size, dark: (row, column) => modules.get(row, column) === 1 };
}

/** An SVG of the QR code, for pages and print. */
export function scanCodeQrSvg(text: string): Promise<string> {
  return QRCode.toString(segments(text), { ...OPTIONS, type: 'svg' });
}

/** A PNG data URL of the QR code, for an <img> without a request. */
export function scanCodeQrDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(segments(text), { ...OPTIONS, type: 'image/png', scale: 4 });
}
