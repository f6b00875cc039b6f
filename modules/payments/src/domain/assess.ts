// 费用核定: what a task's fees come to, from the catalog's fee model and the application's
// verified (registry) values — never the applicant's own answers. Pure. The semantics are the
// catalog's (payflow's fee shape, /work/briefs/out/payflow-fee-shape.md), evaluated here without
// CEL since this module may not depend on the workflow's CEL library:
//   1. the amount is `amountFen`;
//   2. tiered (`tiers` with `basis`): when the basis is verified as a number, the first tier whose
//      inclusive `upTo` holds it (or that has none) applies; not verified, `amountFen` stays;
//   3. exemptions in order: the first whose declarative condition holds brings the fee to 0
//      (recorded only when there was something to waive); a missing, null or '' value never holds.
import type { AssessedFeeView } from '@tongban/contracts';

type Text = { zh: string; en: string };

/** A declarative exemption rule (payflow's catalog shape): every bound given must hold. */
export interface ExemptionRule {
  element: string;
  equals?: string | number | boolean;
  atLeast?: number;
  atMost?: number;
  /** Full years on the assessment day (UTC+8), from a verified date of birth (YYYY-MM-DD) or a GB 11643 ID number. */
  ageAtLeast?: number;
}

export interface CatalogFee {
  code: string;
  name: Text;
  amountFen: number;
  basis?: string;
  tiers?: readonly { upTo?: number; amountFen: number }[];
  exemptions?: readonly { code: string; name: Text; when: unknown }[];
}

export interface Assessment {
  items: AssessedFeeView[];
  amountFen: number;
}

/** The assessment of a matter's fees for one application; `today` is the date ages are counted at (China Standard Time). */
export function assess(
  fees: readonly CatalogFee[],
  verified: Readonly<Record<string, unknown>>,
  today: string,
): Assessment {
  const items = fees.map((fee) => assessFee(fee, verified, today));
  const amountFen = items.reduce((sum, item) => sum + item.amountFen, 0);
  if (!Number.isSafeInteger(amountFen)) throw new RangeError('the assessed total is not a safe integer');
  return { items, amountFen };
}

function assessFee(fee: CatalogFee, verified: Readonly<Record<string, unknown>>, today: string): AssessedFeeView {
  let amountFen = fee.amountFen;
  let tier: number | undefined;
  if (fee.tiers && fee.tiers.length > 0) {
    const value = fee.basis === undefined ? undefined : asNumber(verified[fee.basis]);
    tier = value === undefined ? undefined : chooseTier(fee.tiers, value);
    if (tier !== undefined) amountFen = fee.tiers[tier]!.amountFen;
  }
  assertFen(amountFen, fee.code);
  const exemption = amountFen > 0 ? fee.exemptions?.find((e) => holds(e.when, verified, today)) : undefined;
  return {
    code: fee.code,
    name: { zh: fee.name.zh, en: fee.name.en },
    amountFen: exemption ? 0 : amountFen,
    ...(exemption
      ? { exemption: { code: exemption.code, name: { zh: exemption.name.zh, en: exemption.name.en } } }
      : {}),
    ...(tier === undefined ? {} : { tier }),
  };
}

function chooseTier(tiers: readonly { upTo?: number }[], value: number): number | undefined {
  const i = tiers.findIndex((t) => t.upTo === undefined || value <= t.upTo);
  return i === -1 ? undefined : i;
}

function assertFen(n: number, code: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`fee ${code}: amount ${n} is not whole fen`);
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** Whether a declarative rule holds over the verified values; an unknown shape never holds (no exemption by accident). */
export function holds(when: unknown, verified: Readonly<Record<string, unknown>>, today: string): boolean {
  if (typeof when !== 'object' || when === null || Array.isArray(when)) return false;
  const rule = when as ExemptionRule;
  if (typeof rule.element !== 'string' || !(rule.element in verified)) return false;
  const value = verified[rule.element];
  if (value === undefined || value === null || value === '') return false;
  let checked = false;
  if (rule.equals !== undefined) {
    checked = true;
    if (String(value) !== String(rule.equals)) return false;
  }
  if (rule.atLeast !== undefined || rule.atMost !== undefined) {
    checked = true;
    const n = asNumber(value);
    if (n === undefined) return false;
    if (rule.atLeast !== undefined && n < rule.atLeast) return false;
    if (rule.atMost !== undefined && n > rule.atMost) return false;
  }
  if (rule.ageAtLeast !== undefined) {
    checked = true;
    const born = typeof value === 'string' ? birthDateOf(value) : undefined;
    const age = born === undefined ? undefined : ageOn(born, today);
    if (age === undefined || age < rule.ageAtLeast) return false;
  }
  return checked;
}

/** A date of birth from a date (YYYY-MM-DD…) or an 18-character GB 11643 ID number (characters 7–14). */
export function birthDateOf(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** Whole years from a date of birth (YYYY-MM-DD) to `today` (YYYY-MM-DD): a birthday counts on its day. */
export function ageOn(birthDate: string, today: string): number | undefined {
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  const t = /^(\d{4})-(\d{2})-(\d{2})/.exec(today);
  if (!b || !t) return undefined;
  const [by, bm, bd] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const [ty, tm, td] = [Number(t[1]), Number(t[2]), Number(t[3])];
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age -= 1;
  return age < 0 ? undefined : age;
}

/** The date in China Standard Time (UTC+8, no daylight saving) of an instant: statements and ages are counted in it. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
