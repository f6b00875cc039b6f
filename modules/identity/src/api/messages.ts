// User-facing text of the sign-in pages: zh-CN first, English second.
export const MESSAGES = {
  title: { zh: '登录 — 通办', en: 'Sign in — Tongban' },
  brand: { zh: '通办', en: 'Tongban' },
  tagline: { zh: '一站式政务服务', en: 'Government services in one place' },
  heading: { zh: '登录', en: 'Sign in' },
  totpHeading: { zh: '输入动态验证码', en: 'Enter your authenticator code' },
  login: { zh: '身份证号、统一社会信用代码或工号', en: 'Resident ID number, credit code or staff user name' },
  password: { zh: '密码', en: 'Password' },
  smsHeading: { zh: '输入短信验证码', en: 'Enter the code we texted you' },
  smsCode: { zh: '发送到您手机的 6 位数字验证码', en: 'The 6-digit code sent to your mobile' },
  totp: { zh: '身份验证器中的 6 位数字', en: 'The 6-digit code from your authenticator app' },
  passkeyHeading: { zh: '使用通行密钥', en: 'Use your passkey' },
  passkey: { zh: '通行密钥', en: 'Passkey' },
  passkeyHint: {
    zh: '选择“使用通行密钥”，然后按设备提示用指纹、面容或屏幕锁验证。',
    en: 'Choose “Use passkey”, then follow your device: fingerprint, face or screen lock.',
  },
  passkeyButton: { zh: '使用通行密钥', en: 'Use passkey' },
  passkeyNoScript: {
    zh: '通行密钥需要启用浏览器的 JavaScript。',
    en: 'Passkeys need JavaScript turned on in your browser.',
  },
  badPasskey: {
    zh: '通行密钥验证未通过，或账号已被暂时锁定。请重试。',
    en: 'The passkey could not be checked, or the account is locked for a while. Try again.',
  },
  continue: { zh: '继续', en: 'Continue' },
  elderOn: { zh: '长辈版（大字）', en: 'Elder mode (larger text)' },
  elderOff: { zh: '标准版', en: 'Standard view' },
  readAloud: { zh: '朗读本页', en: 'Read this page aloud' },
  readAloudStop: { zh: '停止朗读', en: 'Stop reading' },
  noAccount: { zh: '还没有通办账号？', en: 'No Tongban account yet?' },
  register: { zh: '注册账号', en: 'Register' },
  errorSummary: { zh: '出现了问题', en: 'There is a problem' },
  badCredentials: {
    zh: '登录名或密码不正确，或账号已被暂时锁定。请稍后再试。',
    en: 'The sign-in name or password is wrong, or the account is locked for a while. Try again later.',
  },
  badCode: {
    zh: '验证码不正确或已使用，或账号已被暂时锁定。',
    en: 'The code is wrong or was already used, or the account is locked for a while.',
  },
  missing: { zh: '请填写此项', en: 'Enter this' },
  mfaRequired: {
    zh: '此处需要两步验证：请先开通身份验证器或绑定手机号。工作人员账号请联系管理员。',
    en: 'Two-step verification is needed here: set up an authenticator or a mobile number first. Staff: ask an administrator.',
  },
  throttled: {
    zh: '登录失败次数过多，已暂停从此处登录。请过几分钟再试，或使用平时常用的设备和网络登录。',
    en: 'Too many failed sign-ins: signing in from here is paused. Try again in a while, or from a device and network you usually use.',
  },
  busy: {
    zh: '登录人数较多，请稍候几秒再试。',
    en: 'Many people are signing in right now. Try again in a few seconds.',
  },
  language: { zh: 'English', en: '中文' },
  deadEndTitle: { zh: '无法继续登录', en: 'Sign-in cannot continue' },
  deadEndExpired: {
    zh: '这个登录页面已过期，或者浏览器没有保存登录所需的 Cookie。请从头开始登录；如果再次出现，请允许本网站使用 Cookie。',
    en: 'This sign-in page has expired, or your browser did not keep the cookie sign-in needs. Start again; if this happens again, allow cookies for this site.',
  },
  deadEndUnknownClient: {
    zh: '要求您登录的应用没有在通办平台登记，无法在这里登录。请从您要办事的网站或通办门户重新进入。',
    en: 'The application that sent you here is not registered with Tongban, so you cannot sign in to it here. Go back to the service you were using, or to the Tongban portal.',
  },
  deadEndBadRedirect: {
    zh: '要求您登录的应用给出的返回地址没有登记，为保护您的账号，登录已停止。请从您要办事的网站或通办门户重新进入。',
    en: 'The application that sent you here gave a return address it has not registered, so sign-in was stopped to protect your account. Go back to the service you were using, or to the Tongban portal.',
  },
  deadEndOther: {
    zh: '登录请求有误，无法继续。请从您要办事的网站或通办门户重新进入。',
    en: 'The sign-in request is not valid and cannot continue. Go back to the service you were using, or to the Tongban portal.',
  },
  deadEndStartAgain: { zh: '从通办门户重新开始', en: 'Start again from the Tongban portal' },
  deadEndCode: { zh: '错误代码', en: 'Error code' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type MessageKey = keyof typeof MESSAGES;
