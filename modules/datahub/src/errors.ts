import { defineErrors, moduleErrors } from '@tongban/kernel';

export const DatahubErrors = defineErrors({
  DATAHUB_RESOURCE_NOT_FOUND: { status: 404, zh: '数据资源 {code} 不存在', en: 'Data resource {code} does not exist' },
  DATAHUB_RESOURCE_INVALID: {
    status: 422,
    zh: '数据资源定义有 {count} 处问题',
    en: 'The resource definition has {count} problem(s)',
  },
  DATAHUB_GRANT_INVALID: { status: 422, zh: '共享授权不合法', en: 'The grant is not valid' },
  DATAHUB_GRANT_NOT_FOUND: {
    status: 404,
    zh: '共享授权 {id} 不存在或已撤销',
    en: 'Grant {id} does not exist or was revoked',
  },
  DATAHUB_GRANT_EXISTS: {
    status: 409,
    zh: '该使用方对此资源和用途已有有效授权，请先撤销',
    en: 'The consumer already has an active grant for this resource and purpose; revoke it first',
  },
  DATAHUB_NOT_STEWARD: {
    status: 403,
    zh: '您不是部门 {department} 的数据管理员，不能管理其数据资源 {code}',
    en: 'You are not a data steward of {department}, which owns resource {code}',
  },
  DATAHUB_NO_GRANT: {
    status: 403,
    zh: '使用方 {consumer} 没有数据资源 {resource} 的共享授权',
    en: 'Consumer {consumer} has no grant on resource {resource}',
  },
  DATAHUB_WRONG_PURPOSE: {
    status: 403,
    zh: '使用方 {consumer} 对数据资源 {resource} 的授权不包括用途 {purpose}',
    en: "Consumer {consumer}'s grant on resource {resource} is not for purpose {purpose}",
  },
  DATAHUB_ITEMS_OUTSIDE_GRANT: {
    status: 403,
    zh: '请求的信息项超出授权范围：{items}',
    en: 'Items outside the grant were asked for: {items}',
  },
  DATAHUB_CONSENT_INVALID: { status: 422, zh: '授权同意的内容不合法', en: 'The consent is not valid' },
  DATAHUB_CONSENT_NOT_FOUND: { status: 404, zh: '授权同意 {id} 不存在', en: 'Consent {id} does not exist' },
  DATAHUB_QUERY_INVALID: { status: 422, zh: '查询条件不合法', en: 'The query is not valid' },
  DATAHUB_APPLICANT_UNKNOWN: {
    status: 422,
    zh: '没有这样的申请人账户（或账户未启用）',
    en: 'There is no such applicant account (or it is not active)',
  },
  DATAHUB_PERSON_NOT_FOUND: { status: 404, zh: '人口库中没有此人', en: 'The population register has no such person' },
  DATAHUB_RECORD_NOT_FOUND: { status: 404, zh: '没有符合条件的记录', en: 'No record matches' },
  DATAHUB_REVEAL_LIMIT: {
    status: 429,
    zh: '查看明文次数已达上限（每小时 {limit} 次）',
    en: 'Reveal limit reached ({limit} per hour)',
  },
});

export const DatahubError = moduleErrors(DatahubErrors);
