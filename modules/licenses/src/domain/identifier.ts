// 电子证照标识 — the electronic licence identifier of GB/T 36904-2018:
//   1.2.156.3005.2 . <licence type code> . <issuer's unified social credit code> . <serial> . <version> . <check>
// The check character is ISO/IEC 7064 MOD 37,36 (hybrid system, M = 36, M+1 = 37) over every
// character before it with the dots left out: the alphabet of the system is 0-9A-Z only.

/** The object-identifier arc under which GB/T 36904 places electronic licences (1.2.156 = China). */
export const LICENCE_OID_ROOT = '1.2.156.3005.2';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;

function valueOf(char: string): number {
  const v = ALPHABET.indexOf(char);
  if (v < 0 || char.length !== 1) throw new RangeError(`'${char}' is outside ISO/IEC 7064 MOD 37,36's alphabet`);
  return v;
}

/** The running value of the hybrid system after `text`: P₀ = M, Pᵢ = (2 · ((Pᵢ₋₁ + aᵢ) mod M ‖ M)) mod (M+1). */
function run(text: string): number {
  let p = M;
  for (const char of text) {
    const s = (p + valueOf(char)) % M || M;
    p = (2 * s) % (M + 1);
  }
  return p;
}

/** The check character that makes `text` valid: the a with (P + a) mod M = 1. */
export function mod3736CheckChar(text: string): string {
  return ALPHABET[(M + 1 - run(text)) % M]!;
}

/** Whether `text` (its last character the check character) passes ISO/IEC 7064 MOD 37,36. */
export function isValidMod3736(text: string): boolean {
  if (!/^[0-9A-Z]{2,}$/.test(text)) return false;
  const body = text.slice(0, -1);
  return (run(body) + valueOf(text.at(-1)!)) % M === 1;
}

export interface LicenceIdentifier {
  /** 证照类型代码: the licence type's code in the national catalogue of licence types. */
  readonly typeCode: string;
  /** 颁发机构代码: the issuing authority's unified social credit code (GB 32100, 18 characters). */
  readonly issuerCode: string;
  /** 顺序号: per licence type and issuer. */
  readonly serial: number;
  /** 版本号: 1 for the first issue; a re-issue of the same licence counts up. */
  readonly version: number;
}

const TYPE_CODE = /^[0-9A-Z]{1,20}$/;
const ISSUER_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const IDENTIFIER = new RegExp(
  `^${LICENCE_OID_ROOT.replaceAll('.', '\\.')}\\.([0-9A-Z]{1,20})\\.([0-9A-HJ-NPQRTUWXY]{18})\\.([0-9]{1,12})\\.([0-9]{3})\\.([0-9A-Z])$`,
);

function checkedBody(id: LicenceIdentifier): string {
  if (!TYPE_CODE.test(id.typeCode)) throw new RangeError(`licence type code '${id.typeCode}' is not 1–20 of 0-9A-Z`);
  if (!ISSUER_CODE.test(id.issuerCode)) throw new RangeError(`issuer code '${id.issuerCode}' is not a credit code`);
  if (!Number.isSafeInteger(id.serial) || id.serial < 1 || id.serial >= 1e12)
    throw new RangeError(`serial ${id.serial} is not 1 … 999999999999`);
  if (!Number.isInteger(id.version) || id.version < 1 || id.version > 999)
    throw new RangeError(`version ${id.version} is not 1 … 999`);
  return `${LICENCE_OID_ROOT}.${id.typeCode}.${id.issuerCode}.${id.serial}.${String(id.version).padStart(3, '0')}`;
}

/** The identifier's text, its check character computed. */
export function formatIdentifier(id: LicenceIdentifier): string {
  const body = checkedBody(id);
  return `${body}.${mod3736CheckChar(body.replaceAll('.', ''))}`;
}

export type IdentifierProblem = 'malformed' | 'check_character';

/** The parts of an identifier, or why it is not one: its shape, or its check character. */
export function parseIdentifier(text: string): LicenceIdentifier | { readonly problem: IdentifierProblem } {
  const match = IDENTIFIER.exec(text);
  if (!match) return { problem: 'malformed' };
  const [, typeCode, issuerCode, serial, version, check] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  // A serial with a leading zero would be a second spelling of the same licence.
  if (serial.startsWith('0') || version === '000') return { problem: 'malformed' };
  const body = text.slice(0, -2).replaceAll('.', '');
  if (!isValidMod3736(body + check)) return { problem: 'check_character' };
  return { typeCode, issuerCode, serial: Number(serial), version: Number(version) };
}

export function isValidIdentifier(text: string): boolean {
  return !('problem' in parseIdentifier(text));
}
