import { defineErrors, moduleErrors } from '@tongban/kernel';

export const CatalogErrors = defineErrors({
  CATALOG_REGION_NOT_FOUND: { status: 404, zh: '行政区划 {code} 不存在', en: 'Region {code} does not exist' },
  CATALOG_DEPARTMENT_NOT_FOUND: { status: 404, zh: '部门 {code} 不存在', en: 'Department {code} does not exist' },
  CATALOG_DATA_ELEMENT_NOT_FOUND: { status: 404, zh: '数据元 {id} 不存在', en: 'Data element {id} does not exist' },
  CATALOG_MATTER_NOT_FOUND: {
    status: 404,
    zh: '事项 {code} 不存在或尚未发布',
    en: 'Matter {code} does not exist or is not published',
  },
  CATALOG_BUNDLE_NOT_FOUND: {
    status: 404,
    zh: '一件事 {code} 不存在或尚未发布',
    en: 'Bundle {code} does not exist or is not published',
  },
  CATALOG_VERSION_NOT_FOUND: { status: 404, zh: '{code} 没有第 {version} 版', en: '{code} has no version {version}' },
  CATALOG_CALENDAR_NOT_FOUND: {
    status: 404,
    zh: '行政区划 {code} 没有工作日历',
    en: 'Region {code} has no working-day calendar',
  },
  CATALOG_INVALID_REFERENCE: {
    status: 422,
    zh: '引用的对象不存在或不合法',
    en: 'A referenced item does not exist or is not valid',
  },
  CATALOG_INVALID_DATA_ELEMENT: { status: 422, zh: '数据元定义不合法', en: 'The data element definition is not valid' },
  CATALOG_INVALID_CALENDAR: { status: 422, zh: '工作日历不合法', en: 'The working-day calendar is not valid' },
  CATALOG_PUBLISH_INVALID: {
    status: 422,
    zh: '无法发布：{count} 处问题需要修正',
    en: 'Cannot publish: {count} problem(s) to fix',
  },
  CATALOG_DATE_OUT_OF_RANGE: {
    status: 422,
    zh: '日期超出可计算的范围',
    en: 'The date is outside the range that can be computed',
  },
});

/** Raise catalog's errors through this: a code outside CatalogErrors and the kernel's does not compile. */
export const CatalogError = moduleErrors(CatalogErrors);
