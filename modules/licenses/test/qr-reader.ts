// A plain reader for a clean QR symbol (ISO/IEC 18004), enough to read back what our scan codes
// put in one: format information (level and mask, BCH-checked), the data modules in their zigzag
// order unmasked, codewords de-interleaved from the blocks, then alphanumeric segments. No error
// correction (the symbol is read straight from the encoder, not from a photo). Written
// independently of qrcode's encoder, so that a QR holding something else than the text fails.

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const LEVELS = ['M', 'L', 'H', 'Q'] as const;

// ISO/IEC 18004 Table 9 at level Q, versions 1–20: [error correction blocks, error correction codewords in all].
const Q_BLOCKS: Readonly<Record<number, readonly [number, number]>> = {
  1: [1, 13],
  2: [1, 22],
  3: [2, 36],
  4: [2, 52],
  5: [4, 72],
  6: [4, 96],
  7: [6, 108],
  8: [6, 132],
  9: [8, 160],
  10: [8, 192],
  11: [8, 224],
  12: [10, 260],
  13: [12, 288],
  14: [16, 320],
  15: [12, 360],
  16: [17, 408],
  17: [16, 448],
  18: [18, 504],
  19: [21, 546],
  20: [20, 600],
};

/** Annex E: the alignment patterns' row/column centres, version 2 onwards. */
function alignmentCentres(version: number): number[] {
  if (version === 1) return [];
  const size = 4 * version + 17;
  const count = Math.floor(version / 7) + 2;
  const step = version === 32 ? 26 : Math.ceil((size - 13) / (2 * count - 2)) * 2;
  const centres = [6];
  for (let i = count - 1; i > 0; i -= 1) centres.splice(1, 0, size - 7 - (count - 1 - i) * step);
  return centres.sort((a, b) => a - b);
}

const MASKS: readonly ((i: number, j: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

/** BCH(15,5) format word for 5 data bits, masked (ISO/IEC 18004 §7.9). */
function formatWord(data: number): number {
  let rem = data << 10;
  for (let bit = 14; bit >= 10; bit -= 1) if ((rem >> bit) & 1) rem ^= 0x537 << (bit - 10);
  return ((data << 10) | rem) ^ 0x5412;
}

export interface Matrix {
  readonly size: number;
  dark(row: number, column: number): boolean;
}

export function readQr(m: Matrix): { version: number; level: string; text: string; modes: string[] } {
  const size = m.size;
  const version = (size - 17) / 4;
  const blocks = Q_BLOCKS[version];
  // Format information, the copy beside the top-left finder: bit i at (i | i+1 | size-15+i, 8).
  let word = 0;
  for (let i = 0; i < 15; i += 1) {
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    if (m.dark(row, 8)) word |= 1 << i;
  }
  const data = [...Array(32).keys()].find((d) => formatWord(d) === word);
  if (data === undefined) throw new Error('format information does not check');
  const level = LEVELS[data >> 3]!;
  const mask = MASKS[data & 7]!;
  if (level !== 'Q' || !blocks) throw new Error(`this reader knows level Q up to version 20, not ${level} ${version}`);

  const centres = alignmentCentres(version);
  const last = centres.length - 1;
  const isFunction = (r: number, c: number): boolean => {
    if ((r < 9 && c < 9) || (r < 9 && c >= size - 8) || (r >= size - 8 && c < 9)) return true;
    if (r === 6 || c === 6) return true;
    if (version >= 7 && ((r < 6 && c >= size - 11 && c < size - 8) || (c < 6 && r >= size - 11 && r < size - 8)))
      return true;
    return centres.some((ar, a) =>
      centres.some(
        (ac, b) =>
          !((a === 0 && b === 0) || (a === 0 && b === last) || (a === last && b === 0)) &&
          Math.abs(r - ar) <= 2 &&
          Math.abs(c - ac) <= 2,
      ),
    );
  };

  // The data modules, two columns at a time from the right, up then down, skipping the timing column.
  const bits: number[] = [];
  let upward = true;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let v = 0; v < size; v += 1) {
      const r = upward ? size - 1 - v : v;
      for (const c of [right, right - 1]) {
        if (isFunction(r, c)) continue;
        bits.push((m.dark(r, c) ? 1 : 0) ^ (mask(r, c) ? 1 : 0));
      }
    }
    upward = !upward;
  }
  const total = Math.floor(bits.length / 8);
  const codewords = Array.from({ length: total }, (_, k) =>
    bits.slice(k * 8, k * 8 + 8).reduce((byte, bit) => (byte << 1) | bit, 0),
  );

  // De-interleave the data codewords: short blocks first, long ones have one codeword more.
  const [blockCount, ecTotal] = blocks;
  const ecPerBlock = ecTotal / blockCount;
  const shortBlocks = blockCount - (total % blockCount);
  const shortData = Math.floor(total / blockCount) - ecPerBlock;
  const dataOf = (b: number) => shortData + (b < shortBlocks ? 0 : 1);
  const perBlock: number[][] = Array.from({ length: blockCount }, () => []);
  let at = 0;
  for (let i = 0; i <= shortData; i += 1)
    for (let b = 0; b < blockCount; b += 1) if (i < dataOf(b)) perBlock[b]!.push(codewords[at++]!);
  const stream = perBlock.flat().flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((s) => (byte >> s) & 1));

  let pos = 0;
  const take = (n: number) => {
    let value = 0;
    for (let i = 0; i < n; i += 1) value = (value << 1) | (stream[pos++] ?? 0);
    return value;
  };
  let text = '';
  const modes: string[] = [];
  while (pos + 4 <= stream.length) {
    const mode = take(4);
    if (mode === 0) break; // terminator
    if (mode !== 0b0010) throw new Error(`mode ${mode.toString(2)} is not alphanumeric`);
    modes.push('Alphanumeric');
    let count = take(version <= 9 ? 9 : version <= 26 ? 11 : 13);
    for (; count >= 2; count -= 2) {
      const pair = take(11);
      text += ALPHANUMERIC[Math.floor(pair / 45)]! + ALPHANUMERIC[pair % 45]!;
    }
    if (count === 1) text += ALPHANUMERIC[take(6)]!;
  }
  return { version, level, text, modes };
}
