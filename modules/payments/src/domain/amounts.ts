// Amounts are integers in fen (分) everywhere inside; the channel's protocol speaks yuan with two
// decimals ("20.00", as Alipay's total_amount). Conversions are string arithmetic, never floats.

/** 2000 → "20.00". */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not an amount in fen: ${fen}`);
  const s = String(fen).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** "20.00" / "20.5" / "20" → 2000; anything else (a sign, three decimals, an exponent, a float's noise) → undefined. */
export function yuanToFen(yuan: string): number | undefined {
  const m = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Whether a value is a valid amount in fen: a non-negative safe integer. */
export const isFen = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
