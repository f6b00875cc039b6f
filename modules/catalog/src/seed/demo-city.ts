// The demo city's catalog (演示城市事项库): Hangzhou, Zhejiang, with three life-event bundles
// (一件事) — a birth, starting a business and a home transfer. Pure data: loading it into the
// catalog is the seeder's job. Matter codes follow the `<region>-<department>-<serial>` scheme of
// this catalog; deadlines are in working days.

import type {
  Bundle,
  CalendarOverrides,
  DataElement,
  DataElementType,
  Department,
  FormField,
  FormSchema,
  LocalizedText,
  Material,
  Matter,
  Region,
} from '../domain/model.ts';

const t = (zh: string, en: string): LocalizedText => ({ zh, en });

// ---------------------------------------------------------------------------------------------
// Regions (行政区划), GB/T 2260 codes
// ---------------------------------------------------------------------------------------------

export const regions: readonly Region[] = [
  { code: '330000', name: t('浙江省', 'Zhejiang Province') },
  { code: '330100', name: t('杭州市', 'Hangzhou'), parentCode: '330000' },
  { code: '330102', name: t('上城区', 'Shangcheng District'), parentCode: '330100' },
  { code: '330106', name: t('西湖区', 'Xihu District'), parentCode: '330100' },
];

// ---------------------------------------------------------------------------------------------
// Departments (部门) of Hangzhou, including the state-owned utilities that take transfer
// applications through the platform
// ---------------------------------------------------------------------------------------------

const HZ = '330100';

export const departments: readonly Department[] = [
  { code: '330100-WJW', regionCode: HZ, name: t('杭州市卫生健康委员会', 'Hangzhou Municipal Health Commission') },
  {
    code: '330100-CDC',
    regionCode: HZ,
    name: t('杭州市疾病预防控制中心', 'Hangzhou Center for Disease Control and Prevention'),
    parentCode: '330100-WJW',
  },
  { code: '330100-GA', regionCode: HZ, name: t('杭州市公安局', 'Hangzhou Municipal Public Security Bureau') },
  {
    code: '330100-YB',
    regionCode: HZ,
    name: t('杭州市医疗保障局', 'Hangzhou Municipal Healthcare Security Administration'),
  },
  {
    code: '330100-RS',
    regionCode: HZ,
    name: t('杭州市人力资源和社会保障局', 'Hangzhou Municipal Human Resources and Social Security Bureau'),
  },
  {
    code: '330100-SCJG',
    regionCode: HZ,
    name: t('杭州市市场监督管理局', 'Hangzhou Municipal Administration for Market Regulation'),
  },
  {
    code: '330100-SW',
    regionCode: HZ,
    name: t('国家税务总局杭州市税务局', 'Hangzhou Municipal Tax Service, State Taxation Administration'),
  },
  {
    code: '330100-GJJ',
    regionCode: HZ,
    name: t('杭州住房公积金管理中心', 'Hangzhou Housing Provident Fund Management Center'),
  },
  {
    code: '330100-GHZY',
    regionCode: HZ,
    name: t('杭州市规划和自然资源局', 'Hangzhou Municipal Bureau of Planning and Natural Resources'),
  },
  {
    code: '330100-BDC',
    regionCode: HZ,
    name: t('杭州市不动产登记服务中心', 'Hangzhou Real Estate Registration Service Center'),
    parentCode: '330100-GHZY',
  },
  { code: '330100-MZ', regionCode: HZ, name: t('杭州市民政局', 'Hangzhou Municipal Civil Affairs Bureau') },
  {
    code: '330100-SJZY',
    regionCode: HZ,
    name: t('杭州市数据资源管理局', 'Hangzhou Municipal Data Resources Administration'),
  },
  { code: '330100-GS', regionCode: HZ, name: t('杭州市水务集团有限公司', 'Hangzhou Water Group Co., Ltd.') },
  {
    code: '330100-GD',
    regionCode: HZ,
    name: t('国网浙江省电力有限公司杭州供电公司', 'State Grid Hangzhou Power Supply Company'),
  },
  { code: '330100-RQ', regionCode: HZ, name: t('杭州市燃气集团有限公司', 'Hangzhou Gas Group Co., Ltd.') },
  // 财政局: collects non-tax revenue (非税收入) and issues its electronic receipts (票据).
  { code: '330100-CZ', regionCode: HZ, name: t('杭州市财政局', 'Hangzhou Municipal Finance Bureau') },
];

// ---------------------------------------------------------------------------------------------
// Data elements (数据元): each meaning defined once; every form field binds to one of these, so a
// bundle's merged form asks for each only once.
// ---------------------------------------------------------------------------------------------

const ID_NUMBER = '^[0-9]{17}[0-9X]$'; // GB 11643-1999 citizen ID number
const MOBILE = '^1[3-9][0-9]{9}$';
const CREDIT_CODE = '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'; // GB 32100-2015
const GENDER = [
  { code: '1', name: t('男', 'Male') },
  { code: '2', name: t('女', 'Female') },
];

export const dataElements: readonly DataElement[] = [
  // The applicant (申请人): the person signed in, or the agent (经办人) acting for a company.
  { id: 'person.name', name: t('申请人姓名', "Applicant's name"), type: 'string', maxLength: 50, personal: true },
  {
    id: 'person.idNumber',
    name: t('申请人公民身份号码', "Applicant's citizen ID number"),
    type: 'string',
    pattern: ID_NUMBER,
    check: 'gb11643',
    maxLength: 18,
    personal: true,
  },
  {
    id: 'person.mobile',
    name: t('申请人手机号码', "Applicant's mobile number"),
    type: 'string',
    pattern: MOBILE,
    maxLength: 11,
    personal: true,
  },
  { id: 'person.gender', name: t('申请人性别', "Applicant's gender"), type: 'code', values: GENDER, personal: true },
  {
    id: 'person.address',
    name: t('现居住地址', 'Current residential address'),
    type: 'string',
    maxLength: 200,
    personal: true,
  },

  // The newborn (新生儿).
  { id: 'child.name', name: t('新生儿姓名', "Newborn's name"), type: 'string', maxLength: 50, personal: true },
  { id: 'child.gender', name: t('新生儿性别', "Newborn's gender"), type: 'code', values: GENDER, personal: true },
  {
    id: 'child.birthDate',
    name: t('新生儿出生日期', "Newborn's date of birth"),
    type: 'date',
    minDate: '1900-01-01',
    maxDate: 'today',
    personal: true,
  },
  {
    id: 'child.birthPlace',
    name: t('出生地点（助产机构）', 'Place of birth (hospital or midwifery facility)'),
    type: 'string',
    maxLength: 100,
    personal: true,
  },
  {
    id: 'child.birthWeight',
    name: t('出生体重（克）', 'Birth weight (grams)'),
    type: 'integer',
    minimum: 300,
    maximum: 8000,
    personal: true,
  },
  {
    id: 'child.applicantRelation',
    name: t('申请人与新生儿关系', "Applicant's relationship to the newborn"),
    type: 'code',
    values: [
      { code: '1', name: t('父亲', 'Father') },
      { code: '2', name: t('母亲', 'Mother') },
      { code: '9', name: t('其他监护人', 'Other guardian') },
    ],
    personal: true,
  },
  {
    id: 'child.registeredWith',
    name: t('随父或随母落户', 'Household registration with father or mother'),
    type: 'code',
    values: [
      { code: '1', name: t('随父落户', 'With the father') },
      { code: '2', name: t('随母落户', 'With the mother') },
    ],
    personal: true,
  },
  {
    id: 'child.vaccinationClinic',
    name: t('预防接种单位', 'Vaccination clinic'),
    type: 'string',
    maxLength: 100,
  },

  // The parents (父母).
  { id: 'mother.name', name: t('母亲姓名', "Mother's name"), type: 'string', maxLength: 50, personal: true },
  {
    id: 'mother.idNumber',
    name: t('母亲公民身份号码', "Mother's citizen ID number"),
    type: 'string',
    pattern: ID_NUMBER,
    check: 'gb11643',
    maxLength: 18,
    personal: true,
  },
  {
    id: 'mother.employerName',
    name: t('母亲所在工作单位', "Mother's employer"),
    type: 'string',
    maxLength: 100,
    personal: true,
  },
  { id: 'father.name', name: t('父亲姓名', "Father's name"), type: 'string', maxLength: 50, personal: true },
  {
    id: 'father.idNumber',
    name: t('父亲公民身份号码', "Father's citizen ID number"),
    type: 'string',
    pattern: ID_NUMBER,
    check: 'gb11643',
    maxLength: 18,
    personal: true,
  },
  {
    id: 'birth.deliveryMethod',
    name: t('分娩方式', 'Delivery method'),
    type: 'code',
    values: [
      { code: '1', name: t('顺产', 'Vaginal delivery') },
      { code: '2', name: t('剖宫产', 'Caesarean section') },
    ],
    personal: true,
  },
  {
    id: 'household.address',
    name: t('户籍地址', 'Household registration address'),
    type: 'string',
    maxLength: 200,
    personal: true,
  },
  {
    id: 'idcard.pickup',
    name: t('领证方式', 'How to collect the card'),
    type: 'code',
    values: [
      { code: '1', name: t('窗口领取', 'Collect at the counter') },
      { code: '2', name: t('邮寄送达', 'Deliver by post') },
    ],
  },

  // The company (企业).
  { id: 'company.name', name: t('企业名称', 'Company name'), type: 'string', maxLength: 100 },
  {
    id: 'company.creditCode',
    name: t('统一社会信用代码', 'Unified social credit code'),
    type: 'string',
    pattern: CREDIT_CODE,
    check: 'gb32100',
    maxLength: 18,
  },
  {
    id: 'company.type',
    name: t('企业类型', 'Type of enterprise'),
    type: 'code',
    values: [
      { code: '1', name: t('有限责任公司', 'Limited liability company') },
      { code: '2', name: t('股份有限公司', 'Company limited by shares') },
      { code: '3', name: t('个人独资企业', 'Sole proprietorship enterprise') },
      { code: '4', name: t('合伙企业', 'Partnership enterprise') },
    ],
  },
  { id: 'company.registeredCapital', name: t('注册资本（元）', 'Registered capital (yuan)'), type: 'number' },
  { id: 'company.businessScope', name: t('经营范围', 'Business scope'), type: 'string', maxLength: 2000 },
  { id: 'company.registeredAddress', name: t('住所', 'Registered address'), type: 'string', maxLength: 200 },
  {
    id: 'company.legalRepName',
    name: t('法定代表人姓名', "Legal representative's name"),
    type: 'string',
    maxLength: 50,
    personal: true,
  },
  {
    id: 'company.legalRepIdNumber',
    name: t('法定代表人公民身份号码', "Legal representative's citizen ID number"),
    type: 'string',
    pattern: ID_NUMBER,
    check: 'gb11643',
    maxLength: 18,
    personal: true,
  },
  { id: 'company.employeeCount', name: t('从业人数', 'Number of employees'), type: 'integer' },
  { id: 'seal.engraver', name: t('印章刻制单位', 'Seal-engraving company'), type: 'string', maxLength: 100 },
  {
    id: 'tax.taxpayerType',
    name: t('增值税纳税人类型', 'VAT taxpayer category'),
    type: 'code',
    values: [
      { code: '1', name: t('小规模纳税人', 'Small-scale taxpayer') },
      { code: '2', name: t('一般纳税人', 'General taxpayer') },
    ],
  },
  {
    id: 'hpf.contributionRate',
    name: t('住房公积金缴存比例（%）', 'Housing provident fund contribution rate (%)'),
    type: 'integer',
  },

  // The property (不动产) and the parties to its sale.
  {
    id: 'property.certificateNumber',
    name: t('不动产权证书号', 'Real estate title certificate number'),
    type: 'string',
    maxLength: 60,
  },
  { id: 'property.address', name: t('不动产坐落', 'Property location'), type: 'string', maxLength: 200 },
  { id: 'property.area', name: t('建筑面积（平方米）', 'Floor area (m²)'), type: 'number' },
  { id: 'property.price', name: t('成交价格（元）', 'Transaction price (yuan)'), type: 'number' },
  {
    id: 'property.coOwnership',
    name: t('共有方式', 'Form of ownership'),
    type: 'code',
    values: [
      { code: '1', name: t('单独所有', 'Sole ownership') },
      { code: '2', name: t('共同共有', 'Joint co-ownership') },
      { code: '3', name: t('按份共有', 'Co-ownership by shares') },
    ],
  },
  { id: 'seller.name', name: t('出卖人姓名', "Seller's name"), type: 'string', maxLength: 50, personal: true },
  {
    id: 'seller.idNumber',
    name: t('出卖人公民身份号码', "Seller's citizen ID number"),
    type: 'string',
    pattern: ID_NUMBER,
    check: 'gb11643',
    maxLength: 18,
    personal: true,
  },
  { id: 'buyer.name', name: t('买受人姓名', "Buyer's name"), type: 'string', maxLength: 50, personal: true },
  {
    id: 'buyer.idNumber',
    name: t('买受人公民身份号码', "Buyer's citizen ID number"),
    type: 'string',
    pattern: ID_NUMBER,
    check: 'gb11643',
    maxLength: 18,
    personal: true,
  },
  {
    id: 'buyer.firstHome',
    name: t('购房家庭首套住房', "First home of the buyer's household"),
    type: 'boolean',
    personal: true,
  },
  { id: 'utility.waterAccount', name: t('供水户号', 'Water account number'), type: 'string', maxLength: 30 },
  {
    id: 'utility.electricityAccount',
    name: t('用电户号', 'Electricity account number'),
    type: 'string',
    maxLength: 30,
  },
  { id: 'utility.gasAccount', name: t('燃气户号', 'Gas account number'), type: 'string', maxLength: 30 },

  // Banking (银行).
  { id: 'bank.branch', name: t('银行网点', 'Bank branch'), type: 'string', maxLength: 100 },
  {
    id: 'bank.accountNumber',
    name: t('银行账号', 'Bank account number'),
    type: 'string',
    pattern: '^[0-9]{10,30}$',
    maxLength: 30,
    personal: true,
  },
  { id: 'bank.appointmentDate', name: t('预约日期', 'Appointment date'), type: 'date' },
];

// ---------------------------------------------------------------------------------------------
// Form building: a field takes its JSON Schema type from its data element, so the two cannot
// disagree; an unknown element id fails at load rather than in a citizen's form.
// ---------------------------------------------------------------------------------------------

const elementTypes: ReadonlyMap<string, DataElementType> = new Map(dataElements.map((e) => [e.id, e.type]));

function field(element: string): FormField {
  const type = elementTypes.get(element);
  switch (type) {
    case undefined:
      throw new Error(`demo-city: unknown data element ${element}`);
    case 'date':
      return { 'x-data-element': element, type: 'string', format: 'date' };
    case 'code':
      return { 'x-data-element': element, type: 'string' };
    default:
      return { 'x-data-element': element, type };
  }
}

/** A form from `{ key: element }`; every key is required unless listed in `optional`. */
function form(fields: Readonly<Record<string, string>>, optional: readonly string[] = []): FormSchema {
  const entries = Object.entries(fields);
  return {
    type: 'object',
    properties: Object.fromEntries(entries.map(([key, element]) => [key, field(element)])),
    required: entries.map(([key]) => key).filter((key) => !optional.includes(key)),
  };
}

const material = (code: string, zh: string, en: string, required: boolean, licenceType?: string): Material =>
  licenceType === undefined ? { code, name: t(zh, en), required } : { code, name: t(zh, en), required, licenceType };

// Electronic licence types (电子证照类型) issued or accepted by these matters (免证办).
const L = {
  residentIdCard: 'resident-id-card',
  householdRegister: 'household-register',
  marriageCertificate: 'marriage-certificate',
  birthCertificate: 'birth-medical-certificate',
  vaccinationCertificate: 'vaccination-certificate',
  socialSecurityCard: 'social-security-card',
  businessLicence: 'business-licence',
  taxPaymentCertificate: 'tax-payment-certificate',
  realEstateCertificate: 'real-estate-certificate',
} as const;

// Matter codes (事项编码), named once so the bundles below cannot mistype them.
const M = {
  birthCertificate: '330100-WJW-001',
  vaccinationCertificate: '330100-CDC-001',
  birthRegistration: '330100-GA-001',
  residentMedicalInsurance: '330100-YB-001',
  socialSecurityCard: '330100-RS-001',
  maternityBenefits: '330100-YB-002',
  companyRegistration: '330100-SCJG-001',
  sealFiling: '330100-GA-002',
  idCardRenewal: '330100-GA-003',
  taxSetup: '330100-SW-001',
  employerSocialInsurance: '330100-RS-002',
  employerProvidentFund: '330100-GJJ-001',
  bankAppointment: '330100-SJZY-001',
  deedTax: '330100-SW-002',
  transferRegistration: '330100-BDC-001',
  waterTransfer: '330100-GS-001',
  electricityTransfer: '330100-GD-001',
  gasTransfer: '330100-RQ-001',
} as const;

// Fields shared by several forms: the same element under the same key everywhere.
const applicant = {
  applicantName: 'person.name',
  applicantIdNumber: 'person.idNumber',
  applicantMobile: 'person.mobile',
};
const newborn = { childName: 'child.name', childGender: 'child.gender', childBirthDate: 'child.birthDate' };
const companyAgent = { ...applicant, companyName: 'company.name', creditCode: 'company.creditCode' };
const saleParties = {
  certificateNumber: 'property.certificateNumber',
  propertyAddress: 'property.address',
  floorArea: 'property.area',
  price: 'property.price',
  sellerName: 'seller.name',
  sellerIdNumber: 'seller.idNumber',
  buyerName: 'buyer.name',
  buyerIdNumber: 'buyer.idNumber',
  applicantMobile: 'person.mobile',
};
const newOwner = {
  propertyAddress: 'property.address',
  buyerName: 'buyer.name',
  buyerIdNumber: 'buyer.idNumber',
  applicantMobile: 'person.mobile',
};

const businessLicence = material('business-licence', '营业执照', 'Business licence', true, L.businessLicence);
const agentIdCard = material(
  'agent-id-card',
  '经办人居民身份证',
  "Agent's resident identity card",
  true,
  L.residentIdCard,
);

// ---------------------------------------------------------------------------------------------
// Matters (事项)
// ---------------------------------------------------------------------------------------------

// Birth (出生一件事)
const birthMatters: readonly Matter[] = [
  {
    code: M.birthCertificate,
    name: t('出生医学证明签发', 'Issue of the Medical Certificate of Birth'),
    description: t(
      '助产机构为在本机构出生的新生儿签发《出生医学证明》，作为申报户口的依据。',
      'The hospital where the baby was born issues the Medical Certificate of Birth, the basis for household registration.',
    ),
    departmentCode: '330100-WJW',
    legalDays: 5,
    promisedDays: 1,
    fees: [],
    materials: [
      material('mother-id-card', '母亲居民身份证', "Mother's resident identity card", true, L.residentIdCard),
      material('father-id-card', '父亲居民身份证', "Father's resident identity card", false, L.residentIdCard),
    ],
    form: form(
      {
        ...newborn,
        birthPlace: 'child.birthPlace',
        birthWeight: 'child.birthWeight',
        motherName: 'mother.name',
        motherIdNumber: 'mother.idNumber',
        fatherName: 'father.name',
        fatherIdNumber: 'father.idNumber',
        ...applicant,
        relation: 'child.applicantRelation',
      },
      ['fatherName', 'fatherIdNumber'],
    ),
    producesLicence: { type: L.birthCertificate, name: t('出生医学证明', 'Medical Certificate of Birth') },
    lifeEvents: ['birth'],
    // 秒批 over verified data (issue 11): the hospital's birth record (出生医学信息), prefilled from
    // the data hub and locked, names this mother and this birth date. Without the record (no
    // prefill, or no consent) `verified` has no birth date and an officer decides.
    autoApprove: [
      {
        id: 'hospital-record-matches',
        name: t('助产机构出生记录与申请一致', "The hospital's birth record matches the application"),
        when:
          '"child.birthDate" in verified && "mother.idNumber" in verified' +
          ' && verified["mother.idNumber"] == form.motherIdNumber && verified["child.birthDate"] == form.childBirthDate',
      },
    ],
  },
  {
    code: M.vaccinationCertificate,
    name: t('预防接种证办理', 'Issue of the vaccination certificate'),
    description: t(
      '为新生儿建立预防接种档案并发放预防接种证，确定其居住地的接种单位。',
      "Opens the newborn's immunisation record, issues the vaccination certificate and assigns a clinic near home.",
    ),
    departmentCode: '330100-CDC',
    legalDays: 5,
    promisedDays: 1,
    fees: [],
    materials: [
      material('birth-certificate', '出生医学证明', 'Medical Certificate of Birth', true, L.birthCertificate),
      material('guardian-id-card', '监护人居民身份证', "Guardian's resident identity card", true, L.residentIdCard),
    ],
    form: form({
      ...newborn,
      motherName: 'mother.name',
      ...applicant,
      relation: 'child.applicantRelation',
      residentialAddress: 'person.address',
      clinic: 'child.vaccinationClinic',
    }),
    producesLicence: { type: L.vaccinationCertificate, name: t('预防接种证', 'Vaccination certificate') },
    lifeEvents: ['birth'],
    process: 'immediate', // 即办件: issued at the clinic's counter on acceptance
  },
  {
    code: M.birthRegistration,
    name: t('出生登记（新生儿落户）', 'Birth registration (household registration of a newborn)'),
    description: t(
      '凭《出生医学证明》为新生儿申报常住户口，随父或随母登记在其户籍地址。',
      "Registers the newborn's permanent residence (hukou) with the father or mother, on the Medical Certificate of Birth.",
    ),
    departmentCode: '330100-GA',
    legalDays: 20,
    promisedDays: 1,
    fees: [],
    materials: [
      material('birth-certificate', '出生医学证明', 'Medical Certificate of Birth', true, L.birthCertificate),
      material(
        'parent-household-register',
        '父亲或母亲的居民户口簿',
        "Father's or mother's household register",
        true,
        L.householdRegister,
      ),
      material('parent-id-cards', '父母居民身份证', "Parents' resident identity cards", true, L.residentIdCard),
      material('marriage-certificate', '父母结婚证', "Parents' marriage certificate", false, L.marriageCertificate),
    ],
    form: form(
      {
        ...newborn,
        registeredWith: 'child.registeredWith',
        householdAddress: 'household.address',
        motherName: 'mother.name',
        motherIdNumber: 'mother.idNumber',
        fatherName: 'father.name',
        fatherIdNumber: 'father.idNumber',
        ...applicant,
        relation: 'child.applicantRelation',
      },
      ['fatherName', 'fatherIdNumber'],
    ),
    producesLicence: { type: L.householdRegister, name: t('居民户口簿', 'Household register (hukou booklet)') },
    lifeEvents: ['birth'],
  },
  {
    code: M.residentMedicalInsurance,
    name: t('城乡居民基本医疗保险参保登记', 'Enrolment in basic medical insurance for urban and rural residents'),
    description: t(
      '为已落户的新生儿办理城乡居民基本医疗保险参保登记，出生当年即可享受待遇。',
      'Enrols the registered newborn in basic medical insurance for residents, covered from the year of birth.',
    ),
    departmentCode: '330100-YB',
    legalDays: 15,
    promisedDays: 1,
    fees: [],
    materials: [
      material('household-register', '新生儿居民户口簿', "Newborn's household register", true, L.householdRegister),
    ],
    form: form({
      ...newborn,
      householdAddress: 'household.address',
      ...applicant,
      relation: 'child.applicantRelation',
    }),
    lifeEvents: ['birth'],
    // 秒批: once the newborn is registered (落户 granted), a parent's enrolment needs no officer.
    autoApprove: [
      {
        id: 'registered-newborn-by-parent',
        name: t('新生儿已落户且由父母申请', 'The newborn is registered and a parent applies'),
        when: `prerequisites["${M.birthRegistration}"] == "approved" && form.relation in ["1", "2"]`,
      },
    ],
  },
  {
    code: M.socialSecurityCard,
    name: t('社会保障卡申领', 'Application for a social security card'),
    description: t(
      '为已参保的新生儿申领社会保障卡，电子社保卡即时签发，实体卡在选定的银行网点领取或邮寄。',
      'Issues the insured newborn a social security card: the electronic card at once, the physical card at a chosen bank branch or by post.',
    ),
    departmentCode: '330100-RS',
    legalDays: 20,
    promisedDays: 2,
    fees: [],
    materials: [
      material('household-register', '新生儿居民户口簿', "Newborn's household register", true, L.householdRegister),
      material('photo', '新生儿免冠照片（电子版）', 'Digital photograph of the newborn', false),
    ],
    form: form({
      ...newborn,
      ...applicant,
      relation: 'child.applicantRelation',
      mailingAddress: 'person.address',
      bankBranch: 'bank.branch',
    }),
    producesLicence: { type: L.socialSecurityCard, name: t('社会保障卡', 'Social security card') },
    lifeEvents: ['birth'],
  },
  {
    code: M.maternityBenefits,
    name: t('生育津贴及生育医疗费用申领', 'Claim for maternity allowance and maternity medical expenses'),
    description: t(
      '参加职工基本医疗保险（生育保险）的女职工生育后申领生育津贴，并报销未直接结算的生育医疗费用。',
      'An insured employee who has given birth claims the maternity allowance and any maternity medical expenses not settled at the hospital.',
    ),
    departmentCode: '330100-YB',
    legalDays: 20,
    promisedDays: 3,
    fees: [],
    materials: [
      material('birth-certificate', '出生医学证明', 'Medical Certificate of Birth', true, L.birthCertificate),
      material('mother-id-card', '生育女职工居民身份证', "Mother's resident identity card", true, L.residentIdCard),
      material(
        'medical-receipts',
        '生育医疗费用票据（未直接结算的）',
        'Receipts for maternity medical expenses not settled directly',
        false,
      ),
    ],
    form: form(
      {
        motherName: 'mother.name',
        motherIdNumber: 'mother.idNumber',
        employer: 'mother.employerName',
        childBirthDate: 'child.birthDate',
        deliveryMethod: 'birth.deliveryMethod',
        bankAccount: 'bank.accountNumber',
        applicantMobile: 'person.mobile',
      },
      ['employer'],
    ),
    lifeEvents: ['birth'],
  },
];

// Starting a business (企业开办一件事)
const businessMatters: readonly Matter[] = [
  {
    code: M.companyRegistration,
    name: t('企业设立登记', 'Company establishment registration'),
    description: t(
      '申请设立企业并领取营业执照（含电子营业执照），材料齐全、符合法定形式的可智能审批、当场登记。',
      'Registers a new enterprise and issues its business licence (paper and electronic); complete applications may be approved automatically on the spot.',
    ),
    departmentCode: '330100-SCJG',
    legalDays: 3, // 市场主体登记管理条例 art. 19: 3 working days when not registered on the spot
    promisedDays: 0, // same day: automatic approval (秒批) lets the rest of the bundle start at once
    fees: [],
    materials: [
      material('articles', '公司章程或合伙协议', 'Articles of association or partnership agreement', true),
      material(
        'investor-id',
        '股东（投资人）身份证明',
        'Proof of identity of the shareholders (investors)',
        true,
        L.residentIdCard,
      ),
      material(
        'appointments',
        '法定代表人、董事、监事和经理的任职文件',
        'Appointment documents of the legal representative, directors, supervisors and manager',
        true,
      ),
      material(
        'domicile-proof',
        '住所使用证明',
        'Proof of the right to use the registered address',
        true,
        L.realEstateCertificate,
      ),
    ],
    form: form({
      companyName: 'company.name',
      companyType: 'company.type',
      registeredCapital: 'company.registeredCapital',
      businessScope: 'company.businessScope',
      registeredAddress: 'company.registeredAddress',
      legalRepName: 'company.legalRepName',
      legalRepIdNumber: 'company.legalRepIdNumber',
      ...applicant,
    }),
    producesLicence: { type: L.businessLicence, name: t('营业执照', 'Business licence') },
    lifeEvents: ['business'],
  },
  {
    code: M.sealFiling,
    name: t('印章刻制备案', 'Filing of official seal engraving'),
    description: t(
      '新开办企业在公安机关备案的刻章单位刻制公章等印章，印章信息同步备案。',
      'A new company has its official seals engraved by a registered engraver, and the seals are filed with the police.',
    ),
    departmentCode: '330100-GA',
    legalDays: 3,
    promisedDays: 1,
    fees: [],
    materials: [
      businessLicence,
      material(
        'legal-rep-id-card',
        '法定代表人居民身份证',
        "Legal representative's resident identity card",
        true,
        L.residentIdCard,
      ),
    ],
    form: form(
      {
        ...companyAgent,
        legalRepName: 'company.legalRepName',
        legalRepIdNumber: 'company.legalRepIdNumber',
        engraver: 'seal.engraver',
      },
      ['creditCode'],
    ),
    lifeEvents: ['business'],
  },
  {
    code: M.taxSetup,
    name: t(
      '新办纳税人涉税事项（信息确认及发票领用）',
      'New taxpayer set-up (tax information confirmation and invoice issuance)',
    ),
    description: t(
      '新办企业确认税务登记信息、认定纳税人类型并开通数电发票领用。',
      'A new company confirms its tax registration details and taxpayer category and is enabled to issue digital invoices.',
    ),
    departmentCode: '330100-SW',
    legalDays: 5,
    promisedDays: 1,
    fees: [],
    materials: [businessLicence, agentIdCard],
    form: form(
      {
        ...companyAgent,
        registeredAddress: 'company.registeredAddress',
        legalRepName: 'company.legalRepName',
        legalRepIdNumber: 'company.legalRepIdNumber',
        taxpayerType: 'tax.taxpayerType',
      },
      ['creditCode'],
    ),
    lifeEvents: ['business'],
  },
  {
    code: M.employerSocialInsurance,
    name: t('单位社会保险登记（员工参保）', 'Employer social insurance registration (enrolling employees)'),
    description: t(
      '新设立的用人单位办理社会保险登记并为职工申报参保。',
      'A new employer registers for social insurance and enrols its employees.',
    ),
    departmentCode: '330100-RS',
    legalDays: 15, // 社会保险法 art. 57: reviewed within 15 days of the application
    promisedDays: 1,
    fees: [],
    materials: [businessLicence, agentIdCard],
    form: form(
      {
        ...companyAgent,
        registeredAddress: 'company.registeredAddress',
        legalRepName: 'company.legalRepName',
        employeeCount: 'company.employeeCount',
      },
      ['creditCode'],
    ),
    lifeEvents: ['business'],
  },
  {
    code: M.employerProvidentFund,
    name: t('住房公积金单位缴存登记', 'Employer registration for housing provident fund contributions'),
    description: t(
      '新设立的单位办理住房公积金缴存登记，并为职工设立住房公积金账户。',
      'A new employer registers for housing provident fund contributions and opens accounts for its employees.',
    ),
    departmentCode: '330100-GJJ',
    legalDays: 5,
    promisedDays: 1,
    fees: [],
    materials: [businessLicence, agentIdCard],
    form: form(
      {
        ...companyAgent,
        registeredAddress: 'company.registeredAddress',
        legalRepName: 'company.legalRepName',
        employeeCount: 'company.employeeCount',
        contributionRate: 'hpf.contributionRate',
      },
      ['creditCode'],
    ),
    lifeEvents: ['business'],
  },
  {
    code: M.bankAppointment,
    name: t('企业银行开户预约', 'Appointment to open a company bank account'),
    description: t(
      '平台将企业开户预约推送至所选银行网点，银行按约定日期办理基本存款账户开户。',
      "The platform passes the company's appointment to the chosen bank branch, which opens the basic deposit account on the agreed date.",
    ),
    departmentCode: '330100-SJZY',
    legalDays: 1,
    promisedDays: 1,
    fees: [],
    materials: [businessLicence],
    form: form(
      {
        companyName: 'company.name',
        creditCode: 'company.creditCode',
        legalRepName: 'company.legalRepName',
        legalRepIdNumber: 'company.legalRepIdNumber',
        bankBranch: 'bank.branch',
        appointmentDate: 'bank.appointmentDate',
        applicantMobile: 'person.mobile',
      },
      ['creditCode'],
    ),
    lifeEvents: ['business'],
  },
];

// Home transfer (不动产转移登记一件事)
const propertyMatters: readonly Matter[] = [
  {
    code: M.deedTax,
    name: t('存量房交易契税申报', 'Deed tax declaration for a second-hand home'),
    description: t(
      '买受人申报缴纳存量房交易契税，税额按计税价格和适用税率核定，缴纳后出具完税证明。',
      'The buyer declares and pays deed tax on a second-hand home, assessed on the taxable price at the applicable rate; a tax payment certificate follows.',
    ),
    departmentCode: '330100-SW',
    legalDays: 5,
    promisedDays: 1,
    // The tax itself depends on the price, area and the household's homes; it is assessed, not fixed.
    fees: [
      {
        code: 'deed-tax',
        name: t('契税（按计税价格的1%至3%核定征收）', 'Deed tax (1% to 3% of the taxable price, as assessed)'),
        amountFen: 0,
      },
    ],
    materials: [
      material('sale-contract', '存量房买卖合同（网签）', 'Second-hand home sale contract (signed online)', true),
      material(
        'party-id-cards',
        '买卖双方居民身份证',
        "Buyer's and seller's resident identity cards",
        true,
        L.residentIdCard,
      ),
      material(
        'title-certificate',
        '原不动产权证书',
        "Seller's real estate title certificate",
        true,
        L.realEstateCertificate,
      ),
      material('housing-record', '家庭住房情况查询结果', "Record of the buyer household's homes", false),
    ],
    form: form({ ...saleParties, firstHome: 'buyer.firstHome' }),
    producesLicence: { type: L.taxPaymentCertificate, name: t('税收完税证明', 'Tax payment certificate') },
    lifeEvents: ['property'],
  },
  {
    code: M.transferRegistration,
    name: t(
      '国有建设用地使用权及房屋所有权转移登记（存量房）',
      'Transfer registration of a second-hand home (land use right and building ownership)',
    ),
    description: t(
      '存量房买卖完税后，将国有建设用地使用权及房屋所有权登记至买受人名下并核发不动产权证书。',
      "After the deed tax is paid, registers the land use right and ownership of the home in the buyer's name and issues the title certificate.",
    ),
    departmentCode: '330100-BDC',
    legalDays: 30, // 不动产登记暂行条例 art. 20
    promisedDays: 3,
    fees: [
      {
        code: 'registration-fee',
        name: t('不动产登记费（住宅）', 'Real estate registration fee (residential)'),
        amountFen: 8000,
      },
    ],
    materials: [
      material(
        'party-id-cards',
        '买卖双方居民身份证',
        "Buyer's and seller's resident identity cards",
        true,
        L.residentIdCard,
      ),
      material(
        'title-certificate',
        '原不动产权证书',
        "Seller's real estate title certificate",
        true,
        L.realEstateCertificate,
      ),
      material('sale-contract', '存量房买卖合同（网签）', 'Second-hand home sale contract (signed online)', true),
      material('deed-tax-receipt', '契税完税证明', 'Deed tax payment certificate', true, L.taxPaymentCertificate),
      material(
        'marriage-certificate',
        '婚姻关系证明（共有时）',
        'Proof of marriage (for co-ownership)',
        false,
        L.marriageCertificate,
      ),
    ],
    form: form({ ...saleParties, coOwnership: 'property.coOwnership' }),
    producesLicence: { type: L.realEstateCertificate, name: t('不动产权证书', 'Real estate title certificate') },
    lifeEvents: ['property'],
  },
  {
    code: M.waterTransfer,
    name: t('供水过户', 'Transfer of the water account'),
    description: t(
      '凭新的不动产权证书将供水户名变更至新业主名下。',
      "Moves the home's water account to the new owner, on the new title certificate.",
    ),
    departmentCode: '330100-GS',
    legalDays: 5,
    promisedDays: 1,
    fees: [],
    materials: [
      material('title-certificate', '不动产权证书', 'Real estate title certificate', true, L.realEstateCertificate),
      material('owner-id-card', '新业主居民身份证', "New owner's resident identity card", true, L.residentIdCard),
    ],
    form: form({ ...newOwner, waterAccount: 'utility.waterAccount' }, ['waterAccount']),
    lifeEvents: ['property'],
  },
  {
    code: M.electricityTransfer,
    name: t('用电过户', 'Transfer of the electricity account'),
    description: t(
      '凭新的不动产权证书将用电户名变更至新业主名下。',
      "Moves the home's electricity account to the new owner, on the new title certificate.",
    ),
    departmentCode: '330100-GD',
    legalDays: 5,
    promisedDays: 1,
    fees: [],
    materials: [
      material('title-certificate', '不动产权证书', 'Real estate title certificate', true, L.realEstateCertificate),
      material('owner-id-card', '新业主居民身份证', "New owner's resident identity card", true, L.residentIdCard),
    ],
    form: form({ ...newOwner, electricityAccount: 'utility.electricityAccount' }, ['electricityAccount']),
    lifeEvents: ['property'],
  },
  {
    code: M.gasTransfer,
    name: t('管道燃气过户', 'Transfer of the piped gas account'),
    description: t(
      '凭新的不动产权证书将管道燃气户名变更至新业主名下。',
      "Moves the home's piped gas account to the new owner, on the new title certificate.",
    ),
    departmentCode: '330100-RQ',
    legalDays: 5,
    promisedDays: 1,
    fees: [],
    materials: [
      material('title-certificate', '不动产权证书', 'Real estate title certificate', true, L.realEstateCertificate),
      material('owner-id-card', '新业主居民身份证', "New owner's resident identity card", true, L.residentIdCard),
    ],
    form: form({ ...newOwner, gasAccount: 'utility.gasAccount' }, ['gasAccount']),
    lifeEvents: ['property'],
  },
];

// Standalone matters (单办事项), outside any bundle.
const standaloneMatters: readonly Matter[] = [
  {
    code: M.idCardRenewal,
    name: t('居民身份证换领（有效期满）', 'Renewal of the resident identity card (on expiry)'),
    description: t(
      '居民身份证有效期满前三个月内可申请换领，网上核验身份并缴纳工本费后即予受理，新证制作完成后窗口领取或邮寄送达。',
      'Apply within three months before your identity card expires: once your identity is checked online and the fee is paid, the renewal is granted; collect the new card at the counter or have it posted.',
    ),
    departmentCode: '330100-GA',
    legalDays: 60, // 居民身份证法 art. 10: issued within 60 days
    promisedDays: 1,
    fees: [
      {
        code: 'id-card-fee',
        // 发改价格〔2003〕2322号: 工本费 20 元/证 for issue and renewal on expiry (40 元 to replace a lost one).
        name: t('居民身份证工本费', 'Resident identity card fee'),
        amountFen: 2000,
        exemptions: [
          {
            // The demo city's own relief (演示城市惠民政策), not national law: checked against the
            // verified ID number, whose digits carry the date of birth.
            code: 'senior-60',
            name: t(
              '年满60周岁的老年人免收工本费（演示城市惠民政策）',
              'No fee for residents aged 60 or over (demo city relief)',
            ),
            when: { element: 'person.idNumber', ageAtLeast: 60 },
          },
        ],
      },
    ],
    materials: [
      material(
        'old-id-card',
        '原居民身份证（领证时交回）',
        'The expiring identity card (handed in on collection)',
        false,
      ),
      material('photo-receipt', '数字相片采集回执', 'Receipt of the digital photo', false),
    ],
    form: form({ ...applicant, householdAddress: 'household.address', pickup: 'idcard.pickup' }),
    lifeEvents: [],
    process: 'immediate', // 即办件: granted on acceptance, once paid
    // 秒批 over verified data: the population register confirms who applies, by name and ID number.
    autoApprove: [
      {
        id: 'population-record-matches',
        name: t('人口基础信息与申请人一致', 'The population register matches the applicant'),
        when:
          '"person.idNumber" in verified && "person.name" in verified' +
          ' && verified["person.idNumber"] == form.applicantIdNumber && verified["person.name"] == form.applicantName',
      },
    ],
  },
];

export const matters: readonly Matter[] = [
  ...birthMatters,
  ...businessMatters,
  ...propertyMatters,
  ...standaloneMatters,
];

// ---------------------------------------------------------------------------------------------
// Bundles (一件事): items run as soon as the matters they depend on have produced their result.
// ---------------------------------------------------------------------------------------------

export const bundles: readonly Bundle[] = [
  {
    code: 'BIRTH',
    name: t('出生一件事', 'Birth: one application'),
    description: t(
      '一次申请，办理新生儿出生医学证明、预防接种证、落户、医保参保、社保卡和生育津贴。',
      "One application for a newborn's birth certificate, vaccination certificate, household registration, medical insurance, social security card and maternity benefits.",
    ),
    lifeEvent: 'birth',
    items: [
      { matterCode: M.birthCertificate, dependsOn: [] },
      { matterCode: M.vaccinationCertificate, dependsOn: [M.birthCertificate] },
      { matterCode: M.birthRegistration, dependsOn: [M.birthCertificate] },
      { matterCode: M.residentMedicalInsurance, dependsOn: [M.birthRegistration] },
      { matterCode: M.socialSecurityCard, dependsOn: [M.residentMedicalInsurance] },
      { matterCode: M.maternityBenefits, dependsOn: [M.birthCertificate] },
    ],
    promisedDays: 5,
  },
  {
    code: 'BUSINESS-STARTUP',
    name: t('企业开办一件事', 'Starting a business'),
    description: t(
      '一次申请，办理营业执照、公章刻制、税务信息确认及发票领用、员工参保、住房公积金缴存登记和银行开户预约。',
      'One application for the business licence, company seals, tax set-up and invoices, employee social insurance, housing provident fund registration and a bank account appointment.',
    ),
    lifeEvent: 'business',
    items: [
      { matterCode: M.companyRegistration, dependsOn: [] },
      { matterCode: M.sealFiling, dependsOn: [M.companyRegistration] },
      { matterCode: M.taxSetup, dependsOn: [M.companyRegistration] },
      { matterCode: M.employerSocialInsurance, dependsOn: [M.companyRegistration] },
      { matterCode: M.employerProvidentFund, dependsOn: [M.companyRegistration] },
      { matterCode: M.bankAppointment, dependsOn: [M.companyRegistration] },
    ],
    promisedDays: 1,
  },
  {
    code: 'PROPERTY-TRANSFER',
    name: t('不动产转移登记一件事', 'Home transfer'),
    description: t(
      '一次申请，办理存量房契税缴纳、转移登记以及水、电、燃气过户。',
      'One application for the deed tax, the transfer registration of a second-hand home and the water, electricity and gas accounts.',
    ),
    lifeEvent: 'property',
    items: [
      { matterCode: M.deedTax, dependsOn: [] },
      { matterCode: M.transferRegistration, dependsOn: [M.deedTax] },
      { matterCode: M.waterTransfer, dependsOn: [M.transferRegistration] },
      { matterCode: M.electricityTransfer, dependsOn: [M.transferRegistration] },
      { matterCode: M.gasTransfer, dependsOn: [M.transferRegistration] },
    ],
    promisedDays: 5,
  },
];

// ---------------------------------------------------------------------------------------------
// Working-day calendar (工作日历). 2026 follows the State Council's notice on the 2026 holidays
// (国务院办公厅关于2026年部分节假日安排的通知, 4 November 2025). 2027 holds only the fixed-date
// statutory holidays until its notice is published. Operators replace this every year with the
// official notice through the catalog API; do not treat it as authoritative.
// ---------------------------------------------------------------------------------------------

const holidays: string[] = [
  // 2026 元旦 New Year's Day: 1–3 January
  '2026-01-01',
  '2026-01-02',
  '2026-01-03',
  // 2026 春节 Spring Festival: 15–23 February
  '2026-02-15',
  '2026-02-16',
  '2026-02-17',
  '2026-02-18',
  '2026-02-19',
  '2026-02-20',
  '2026-02-21',
  '2026-02-22',
  '2026-02-23',
  // 2026 清明节 Qingming Festival: 4–6 April
  '2026-04-04',
  '2026-04-05',
  '2026-04-06',
  // 2026 劳动节 Labour Day: 1–5 May
  '2026-05-01',
  '2026-05-02',
  '2026-05-03',
  '2026-05-04',
  '2026-05-05',
  // 2026 端午节 Dragon Boat Festival: 19–21 June
  '2026-06-19',
  '2026-06-20',
  '2026-06-21',
  // 2026 中秋节 Mid-Autumn Festival: 25–27 September
  '2026-09-25',
  '2026-09-26',
  '2026-09-27',
  // 2026 国庆节 National Day: 1–7 October
  '2026-10-01',
  '2026-10-02',
  '2026-10-03',
  '2026-10-04',
  '2026-10-05',
  '2026-10-06',
  '2026-10-07',
  // 2027, fixed-date statutory days only: New Year's Day, Labour Day (1–2 May), National Day (1–3 October)
  '2027-01-01',
  '2027-05-01',
  '2027-05-02',
  '2027-10-01',
  '2027-10-02',
  '2027-10-03',
];

const workdays: string[] = [
  '2026-01-04', // Sunday, for New Year's Day
  '2026-02-14',
  '2026-02-28', // Saturdays, for the Spring Festival
  '2026-05-09', // Saturday, for Labour Day
  '2026-09-20',
  '2026-10-10', // Sunday and Saturday, for National Day
];

export const calendars: readonly CalendarOverrides[] = [
  { regionCode: '330000', holidays, workdays },
  { regionCode: '330100', holidays, workdays },
];
