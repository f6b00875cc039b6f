// User-facing text of the sign-in pages: zh-CN first, English second.
export const MESSAGES = {
  title: { zh: '登录 — 通办', en: 'Sign in — Tongban' },
  heading: { zh: '登录', en: 'Sign in' },
  totpHeading: { zh: '输入动态验证码', en: 'Enter your authenticator code' },
  login: { zh: '身份证号、统一社会信用代码或工号', en: 'Resident ID number, credit code or staff user name' },
  password: { zh: '密码', en: 'Password' },
  totp: { zh: '身份验证器中的 6 位数字', en: 'The 6-digit code from your authenticator app' },
  continue: { zh: '继续', en: 'Continue' },
  errorSummary: { zh: '出现了问题', en: 'There is a problem' },
  badCredentials: { zh: '登录名或密码不正确，或账号已被暂时锁定。请稍后再试。', en: 'The sign-in name or password is wrong, or the account is locked for a while. Try again later.' },
  badCode: { zh: '验证码不正确或已使用，或账号已被暂时锁定。', en: 'The code is wrong or was already used, or the account is locked for a while.' },
  missing: { zh: '请填写此项', en: 'Enter this' },
  mfaRequired: { zh: '工作人员账号必须使用两步验证，请联系管理员开通身份验证器。', en: 'Staff accounts must use two-step verification; ask an administrator to set up an authenticator.' },
  language: { zh: 'English', en: '中文' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type MessageKey = keyof typeof MESSAGES;
