// Amounts are whole fen (分) everywhere in the platform (packages/contracts/src/payments.ts): shown
// as yuan by integer arithmetic — the yuan and the two-digit fen split with % and an exact
// division — never by dividing floats (0.1 + 0.2). Pure: tested by node --test.

/** Yuan and fen of a whole number of fen: 2000 → { sign: '', yuan: 20, fen: '00' }. */
export function splitFen(fen: number): { sign: '' | '-'; yuan: number; fen: string } {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${String(fen)}`);
  const abs = Math.abs(fen);
  const rest = abs % 100;
  return { sign: fen < 0 ? '-' : '', yuan: (abs - rest) / 100, fen: String(rest).padStart(2, '0') };
}

/** 2000 → "20.00", 5 → "0.05", 123456 → "1234.56" (no grouping, no symbol: for a value attribute or a test). */
export function fenToYuanString(fen: number): string {
  const s = splitFen(fen);
  return `${s.sign}${String(s.yuan)}.${s.fen}`;
}

const formats = new Map<string, Intl.NumberFormat>();

/**
 * An amount in fen as the locale writes yuan: `¥20.00`, `¥1,234.56`. Intl formats the whole yuan
 * (grouping, symbol, the locale's decimal sign) and the fraction it prints is replaced by our own
 * two digits, so no float ever carries the fen.
 */
export function formatFen(locale: string, fen: number): string {
  const s = splitFen(fen);
  let f = formats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: 'CNY',
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    formats.set(locale, f);
  }
  const parts = f.formatToParts(s.yuan).map((p) => (p.type === 'fraction' ? s.fen : p.value));
  return `${s.sign}${parts.join('')}`;
}
