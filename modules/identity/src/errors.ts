import { defineErrors, moduleErrors } from '@tongban/kernel';

export const IdentityErrors = defineErrors({
  IDENTITY_INVALID_RESIDENT_ID: { status: 422, zh: '身份证号码校验不通过', en: 'The resident ID number is not valid' },
  IDENTITY_INVALID_CREDIT_CODE: {
    status: 422,
    zh: '统一社会信用代码校验不通过',
    en: 'The unified social credit code is not valid',
  },
  IDENTITY_WEAK_PASSWORD: { status: 422, zh: '密码不符合要求', en: 'The password does not meet the requirements' },
  IDENTITY_ACCOUNT_EXISTS: {
    status: 409,
    zh: '该账号已注册',
    en: 'An account is already registered for this identifier',
  },
  IDENTITY_WRONG_CODE: { status: 422, zh: '验证码不正确', en: 'The code is not correct' },
  IDENTITY_PASSKEY_REJECTED: {
    status: 422,
    zh: '通行密钥验证未通过，请重新开始',
    en: 'The passkey could not be verified; start again',
  },
  IDENTITY_SESSION_NOT_FOUND: { status: 404, zh: '会话不存在或已结束', en: 'The session does not exist or has ended' },
  IDENTITY_REGISTRATION_PENDING: {
    status: 409,
    zh: '该身份证号已有一个等待短信确认的注册，30 分钟内未确认即失效，届时可重新注册；如非本人所为，可携带身份证到政务服务窗口找回账号',
    en: 'A registration for this ID number is waiting for its SMS code; unconfirmed, it lapses within 30 minutes and you can register then. If it was not you, bring your ID card to a service counter to recover the account',
  },
  IDENTITY_SMS_UNAVAILABLE: {
    status: 503,
    zh: '短信服务暂不可用，无法发送验证码，请到政务服务窗口办理',
    en: 'Text messages cannot be sent at the moment, so no code can be sent; please go to a service counter',
  },
  IDENTITY_TOO_MANY_CODES: {
    status: 429,
    zh: '此手机号在一小时内收到的验证码已达上限，请稍后再试',
    en: 'This mobile has received as many codes as allowed in an hour; try again later',
  },
  IDENTITY_TOO_MANY_REGISTRATIONS: {
    status: 429,
    zh: '此身份证号 24 小时内的注册次数已达上限。如是本人的身份证号，请携带身份证到政务服务窗口办理（账号找回）',
    en: 'This ID number has been registered as often as allowed in 24 hours. If it is yours, bring your ID card to a service counter (account recovery)',
  },
  IDENTITY_BUSY: {
    status: 503,
    zh: '当前办理人数较多，请稍候几秒再试',
    en: 'Many requests are being handled; try again in a few seconds',
  },
  IDENTITY_NOT_AN_ACCOUNT: {
    status: 403,
    zh: '此操作针对本人账号，当前凭证不属于任何账号（如运营令牌或系统客户端）',
    en: 'This acts on your own account, and this credential belongs to no account (e.g. the operator token or a system client)',
  },
  IDENTITY_SIGN_IN_EXPIRED: {
    status: 400,
    zh: '登录页面已过期或缺少登录所需的 Cookie，请重新开始登录',
    en: 'The sign-in page has expired or the cookie sign-in needs is missing; start signing in again',
  },
  IDENTITY_CLIENT_RESERVED: {
    status: 409,
    zh: '客户端标识 {clientId} 为平台内置客户端保留',
    en: 'The client id {clientId} is reserved for the platform’s own clients',
  },
  IDENTITY_LOCK_UNTIL_OUT_OF_RANGE: {
    status: 422,
    zh: '锁定截止时间须晚于当前时间，且不超过 {days} 天',
    en: 'A lock must end after now and within {days} days',
  },
});

/** Raise identity's errors through this: a code outside IdentityErrors and the kernel's does not compile. */
export const IdentityError = moduleErrors(IdentityErrors);
