import { defineErrors, moduleErrors } from '@tongban/kernel';

export const DatahubErrors = defineErrors({
  DATAHUB_RESOURCE_NOT_FOUND: { status: 404, zh: '数据资源 {code} 不存在', en: 'Data resource {code} does not exist' },
});

export const DatahubError = moduleErrors(DatahubErrors);
