import { defineErrors } from '@tongban/kernel';

export const IdentityErrors = defineErrors({
  IDENTITY_INVALID_RESIDENT_ID: { status: 422, zh: '身份证号码校验不通过', en: 'The resident ID number is not valid' },
  IDENTITY_INVALID_CREDIT_CODE: { status: 422, zh: '统一社会信用代码校验不通过', en: 'The unified social credit code is not valid' },
  IDENTITY_SESSION_NOT_FOUND: { status: 404, zh: '会话不存在或已结束', en: 'The session does not exist or has ended' },
});
