// The authoritative registries the demo city's data hub holds (基础库): population, hospital
// birth records, enterprises and real estate. Pure data: loaded into the resource catalogue at
// seed, and the shape `tongban seed` and `tongban import` write rows in.
import type { LocalizedText } from '@tongban/contracts';
import type { ItemType, ResourceDefinition, ResourceItem } from './resource.ts';

const t = (zh: string, en: string): LocalizedText => ({ zh, en });
const item = (
  key: string,
  name: LocalizedText,
  element: string | null,
  type: ItemType = 'string',
  extra: Partial<ResourceItem> = {},
): ResourceItem => ({ key, name, element, type, personal: true, ...extra });
const idNumber = { check: 'gb11643', subject: true } as const;

export const REGISTRY = {
  population: 'population',
  birthRecord: 'birth-record',
  enterprise: 'enterprise',
  realEstate: 'real-estate',
} as const;

export const POPULATION: ResourceDefinition = {
  code: REGISTRY.population,
  name: t('人口基础信息', 'Population register'),
  departmentCode: '330100-GA',
  sharing: 'conditional',
  level: 3,
  updateCycle: 'daily',
  keyItem: 'idNumber',
  authoritative: true,
  items: [
    item('idNumber', t('公民身份号码', 'Citizen ID number'), 'person.idNumber', 'string', idNumber),
    item('name', t('姓名', 'Name'), 'person.name'),
    item('gender', t('性别', 'Gender'), 'person.gender', 'code'),
    item('birthDate', t('出生日期', 'Date of birth'), null, 'date'),
    item('address', t('现居住地址', 'Residential address'), 'person.address'),
    item('householdAddress', t('户籍地址', 'Household registration address'), 'household.address'),
    item('householdId', t('户号', 'Household number'), null),
    item('fatherIdNumber', t('父亲公民身份号码', "Father's ID number"), null, 'string', { check: 'gb11643' }),
    item('motherIdNumber', t('母亲公民身份号码', "Mother's ID number"), null, 'string', { check: 'gb11643' }),
    item('mobile', t('手机号码', 'Mobile number'), 'person.mobile'),
  ],
};

export const BIRTH_RECORD: ResourceDefinition = {
  code: REGISTRY.birthRecord,
  name: t('出生医学信息', 'Hospital birth records'),
  departmentCode: '330100-WJW',
  sharing: 'conditional',
  level: 3,
  updateCycle: 'realtime',
  keyItem: 'certificateNumber',
  authoritative: true,
  items: [
    item('certificateNumber', t('出生医学证明编号', 'Birth certificate number'), null, 'string', { personal: false }),
    item('childName', t('新生儿姓名', "Newborn's name"), 'child.name'),
    item('childGender', t('新生儿性别', "Newborn's gender"), 'child.gender', 'code'),
    item('birthDate', t('出生日期', 'Date of birth'), 'child.birthDate', 'date'),
    item('birthPlace', t('出生地点', 'Place of birth'), 'child.birthPlace'),
    item('birthWeight', t('出生体重（克）', 'Birth weight (grams)'), 'child.birthWeight', 'integer'),
    item('motherIdNumber', t('母亲公民身份号码', "Mother's ID number"), 'mother.idNumber', 'string', {
      ...idNumber,
      indexed: true,
    }),
    item('motherName', t('母亲姓名', "Mother's name"), 'mother.name'),
    item('fatherIdNumber', t('父亲公民身份号码', "Father's ID number"), 'father.idNumber', 'string', {
      ...idNumber,
      indexed: true,
    }),
    item('fatherName', t('父亲姓名', "Father's name"), 'father.name'),
  ],
};

export const ENTERPRISE: ResourceDefinition = {
  code: REGISTRY.enterprise,
  name: t('法人基础信息', 'Legal entity register'),
  departmentCode: '330100-SCJG',
  sharing: 'conditional',
  level: 2,
  updateCycle: 'daily',
  keyItem: 'creditCode',
  authoritative: true,
  items: [
    item('creditCode', t('统一社会信用代码', 'Unified social credit code'), 'company.creditCode', 'string', {
      personal: false,
      check: 'gb32100',
    }),
    item('name', t('企业名称', 'Company name'), 'company.name', 'string', { personal: false }),
    item('type', t('企业类型', 'Type of enterprise'), 'company.type', 'code', { personal: false }),
    item(
      'legalRepresentativeIdNumber',
      t('法定代表人公民身份号码', "Legal representative's ID number"),
      'company.legalRepIdNumber',
      'string',
      {
        ...idNumber,
        indexed: true,
      },
    ),
    item('address', t('住所', 'Registered address'), 'company.registeredAddress', 'string', { personal: false }),
    item('registeredCapital', t('注册资本（万元）', 'Registered capital (10,000 yuan)'), null, 'number', {
      personal: false,
    }),
    item('establishedOn', t('成立日期', 'Date of establishment'), null, 'date', { personal: false }),
  ],
};

export const REAL_ESTATE: ResourceDefinition = {
  code: REGISTRY.realEstate,
  name: t('不动产登记信息', 'Real estate register'),
  departmentCode: '330100-BDC',
  sharing: 'conditional',
  level: 3,
  updateCycle: 'daily',
  keyItem: 'certificateNumber',
  authoritative: true,
  items: [
    item(
      'certificateNumber',
      t('不动产权证书号', 'Real estate certificate number'),
      'property.certificateNumber',
      'string',
      {
        personal: false,
      },
    ),
    item('address', t('坐落', 'Location'), 'property.address'),
    item('area', t('建筑面积（平方米）', 'Floor area (square metres)'), 'property.area', 'number'),
    item('ownerIdNumber', t('权利人公民身份号码', "Owner's ID number"), 'seller.idNumber', 'string', {
      ...idNumber,
      indexed: true,
    }),
    item('ownerName', t('权利人姓名', "Owner's name"), 'seller.name'),
  ],
};

export const REGISTRIES: readonly ResourceDefinition[] = [POPULATION, BIRTH_RECORD, ENTERPRISE, REAL_ESTATE];
