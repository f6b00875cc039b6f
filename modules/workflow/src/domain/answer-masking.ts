// 脱敏 of form answers for an officer: the personal identifiers an applicant typed (ID numbers,
// mobiles, bank accounts, addresses, the names of people other than the applicant and the newborn)
// leave the server masked, in the formats the data hub's officer policy uses for the same items
// (modules/datahub/src/domain/masking.ts: 110101********1234, 138****5678, 浙江省杭州市西湖区****,
// 张*), so one screen never shows one person two ways. The catalog's data element says what a field
// is (its GB 11643 check, its id, its personal flag): a form cannot opt a field out of masking by
// naming it differently from its element. Pure; the clear value is revealed one field at a time,
// with a reason (service/answers.ts).
import type { DataElementView } from '@tongban/contracts';
import { maskAddress, maskBankAccount, maskIdNumber, maskMobile, maskName } from '@tongban/kernel';

export { maskAddress, maskBankAccount, maskIdNumber, maskMobile, maskName };

export const ANSWER_MASKS = ['idNumber', 'mobile', 'bankAccount', 'address', 'name'] as const;
export type AnswerMask = (typeof ANSWER_MASKS)[number];

/** The subjects of a form whose names an officer needs whole: the applicant and the newborn (出生一件事). */
const NAMED_IN_CLEAR: ReadonlySet<string> = new Set(['person', 'child']);

const lastSegment = (id: string) => id.slice(id.lastIndexOf('.') + 1);
const subjectOf = (id: string) => (id.includes('.') ? id.slice(0, id.indexOf('.')) : '');

/**
 * What makes an element one of the masked kinds, in order (first match wins). Checked by the
 * compiler: every mask has its rule, and a new mask without one does not compile.
 */
const RULES = {
  idNumber: (e) => e.check === 'gb11643',
  mobile: (e) => e.personal === true && /^mobile$|Mobile$/.test(lastSegment(e.id)),
  bankAccount: (e) => e.personal === true && /^accountNumber$|AccountNumber$/.test(lastSegment(e.id)),
  address: (e) => e.personal === true && /^address$|Address$/.test(lastSegment(e.id)),
  // a person's name (姓名): `mother.name`, `company.legalRepName` — not an employer's or a company's
  name: (e) => e.personal === true && /^name$|RepName$/.test(lastSegment(e.id)) && !NAMED_IN_CLEAR.has(subjectOf(e.id)),
} as const satisfies Record<AnswerMask, (e: DataElementView) => boolean>;

/** How an element's answers are masked for an officer; undefined: shown whole. */
export function maskOf(element: DataElementView | undefined): AnswerMask | undefined {
  if (!element || element.type !== 'string') return undefined;
  return ANSWER_MASKS.find((mask) => RULES[mask](element));
}

const MASKERS = {
  idNumber: maskIdNumber,
  mobile: maskMobile,
  bankAccount: maskBankAccount,
  address: maskAddress,
  name: maskName,
} as const satisfies Record<AnswerMask, (value: string) => string>;

export function maskAnswer(mask: AnswerMask, value: string): string {
  return MASKERS[mask](value);
}

/** What the officer is told of a masked answer: its kind, and an earlier field holding the same value. */
export interface MaskedAnswer {
  readonly mask: AnswerMask;
  /** The first field with the same clear value (the applicant named as the father): one person, looked up once. */
  readonly sameAs?: string;
}

/**
 * The answers as an officer receives them: every string answer of a masked kind replaced by its
 * mask, and which fields were masked. Empty answers and values of other types pass unchanged.
 */
export function maskAnswers(
  form: Readonly<Record<string, unknown>>,
  elementOf: (key: string) => DataElementView | undefined,
): { form: Record<string, unknown>; masked: Record<string, MaskedAnswer> } {
  const out: Record<string, unknown> = {};
  const masked: Record<string, MaskedAnswer> = {};
  const firstWith = new Map<string, string>();
  for (const [key, value] of Object.entries(form)) {
    const mask = maskOf(elementOf(key));
    if (mask === undefined || typeof value !== 'string' || value === '') {
      out[key] = value;
      continue;
    }
    out[key] = maskAnswer(mask, value);
    const same = firstWith.get(`${mask}:${value.toUpperCase()}`);
    masked[key] = same === undefined ? { mask } : { mask, sameAs: same };
    if (same === undefined) firstWith.set(`${mask}:${value.toUpperCase()}`, key);
  }
  return { form: out, masked };
}
