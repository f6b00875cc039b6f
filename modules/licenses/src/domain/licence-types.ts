// 证照类型 — what the licence authority (电子证照库) knows of each licence type. The catalog says
// which matter produces which type (a matter version's `producesLicence.type`, already there); the
// type's own particulars — its code in the national catalogue of licence types, the issuer's
// credit code, validity, and which answers of the form the licence carries — are the licence
// authority's, kept here in one table the compiler checks. This is the smallest shape that fits:
// no catalog migration, and a matter that names a type this table lacks issues nothing (logged).
import { creditCodeCheckChar } from '@tongban/kernel';
import type { LocalizedText } from '@tongban/contracts';

export type Validity = { readonly years: number } | { readonly days: number } | 'none';

export interface LicenceType {
  readonly code: string;
  readonly name: LocalizedText;
  /** 证照类型代码 in the identifier (0-9A-Z). Demo values: the national catalogue's are not public here. */
  readonly gbTypeCode: string;
  /** 颁发部门: the catalog department whose officers suspend, reinstate and revoke it. */
  readonly departmentCode: string;
  /** The department's unified social credit code (GB 32100), the identifier's issuer part. */
  readonly issuerCode: string;
  readonly validity: Validity;
  /** Licence field → the form key whose answer it carries. */
  readonly fields: Readonly<Record<string, string>>;
  /** The form key of the holder's name as the licence shows it (masked in every view). */
  readonly holderNameField?: string;
}

/** A government organ's credit code (登记管理部门 1, 机关 1, region, organisation code) with its GB 32100 check character. */
function organCode(region: string, organisation: string): string {
  const first17 = `11${region}${organisation}`;
  return first17 + creditCodeCheckChar(first17);
}

const WJW = { departmentCode: '330100-WJW', issuerCode: organCode('330100', '002489571') };
const GA = { departmentCode: '330100-GA', issuerCode: organCode('330100', '002489520') };
const CDC = { departmentCode: '330100-CDC', issuerCode: organCode('330100', '470115238') };
const RS = { departmentCode: '330100-RS', issuerCode: organCode('330100', '002489635') };
const SCJG = { departmentCode: '330100-SCJG', issuerCode: organCode('330100', '002489693') };
const SW = { departmentCode: '330100-SW', issuerCode: organCode('330100', 'MB1646082') };
const BDC = { departmentCode: '330100-BDC', issuerCode: organCode('330100', 'MB0P03178') };
// 财政局: non-tax revenue (非税收入) is collected into the treasury and its receipts issued by finance.
const CZ = { departmentCode: '330100-CZ', issuerCode: organCode('330100', '002489510') };

export const LICENCE_TYPES = {
  'birth-medical-certificate': {
    code: 'birth-medical-certificate',
    name: { zh: '出生医学证明', en: 'Medical Certificate of Birth' },
    gbTypeCode: '1001',
    ...WJW,
    validity: 'none',
    fields: {
      childName: 'childName',
      childGender: 'childGender',
      childBirthDate: 'childBirthDate',
      birthPlace: 'birthPlace',
      motherName: 'motherName',
      fatherName: 'fatherName',
    },
    holderNameField: 'childName',
  },
  'household-register': {
    code: 'household-register',
    name: { zh: '户口登记证明', en: 'Household registration certificate' },
    gbTypeCode: '1002',
    ...GA,
    validity: 'none',
    fields: {
      childName: 'childName',
      childGender: 'childGender',
      childBirthDate: 'childBirthDate',
      householdAddress: 'householdAddress',
      registeredWith: 'registeredWith',
    },
    holderNameField: 'childName',
  },
  'vaccination-certificate': {
    code: 'vaccination-certificate',
    name: { zh: '预防接种证', en: 'Vaccination certificate' },
    gbTypeCode: '1003',
    ...CDC,
    validity: 'none',
    fields: { childName: 'childName', childBirthDate: 'childBirthDate', clinic: 'clinic' },
    holderNameField: 'childName',
  },
  'social-security-card': {
    code: 'social-security-card',
    name: { zh: '社会保障卡', en: 'Social security card' },
    gbTypeCode: '1004',
    ...RS,
    validity: { years: 10 },
    fields: {},
  },
  'business-licence': {
    code: 'business-licence',
    name: { zh: '营业执照', en: 'Business licence' },
    gbTypeCode: '2001',
    ...SCJG,
    // 营业期限 is the company's own term; the licence stands until cancelled or revoked.
    validity: 'none',
    fields: {
      companyName: 'companyName',
      companyType: 'companyType',
      registeredCapital: 'registeredCapital',
      businessScope: 'businessScope',
      registeredAddress: 'registeredAddress',
      legalRepName: 'legalRepName',
    },
    holderNameField: 'companyName',
  },
  'tax-payment-certificate': {
    code: 'tax-payment-certificate',
    name: { zh: '税收完税证明', en: 'Tax payment certificate' },
    gbTypeCode: '2002',
    ...SW,
    validity: 'none',
    fields: { propertyAddress: 'propertyAddress', buyerName: 'buyerName' },
    holderNameField: 'buyerName',
  },
  'real-estate-certificate': {
    code: 'real-estate-certificate',
    name: { zh: '不动产权证书', en: 'Real estate title certificate' },
    gbTypeCode: '3001',
    ...BDC,
    validity: 'none',
    fields: { propertyAddress: 'propertyAddress', buyerName: 'buyerName', coOwnership: 'coOwnership' },
    holderNameField: 'buyerName',
  },
  // 非税收入票据: issued for a paid order (service/receipts.ts), its fields from the payment, not a form.
  'non-tax-receipt': {
    code: 'non-tax-receipt',
    name: { zh: '非税收入票据', en: 'Non-tax revenue receipt' },
    gbTypeCode: '4001',
    ...CZ,
    validity: 'none',
    fields: {},
  },
} as const satisfies Record<string, LicenceType>;

export function findLicenceType(code: string): LicenceType | undefined {
  return (LICENCE_TYPES as Record<string, LicenceType>)[code];
}

/** The end of validity from `from`, or null for a licence valid until revoked. */
export function validUntil(validity: Validity, from: Date): Date | null {
  if (validity === 'none') return null;
  const end = new Date(from);
  if ('years' in validity) end.setUTCFullYear(end.getUTCFullYear() + validity.years);
  else end.setUTCDate(end.getUTCDate() + validity.days);
  return end;
}

/** The licence's fields: each named answer, those the form left empty omitted. */
export function licenceFields(type: LicenceType, answers: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(type.fields)) if (answers[key] !== undefined) out[field] = answers[key];
  return out;
}
