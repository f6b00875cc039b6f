// SMS one-time codes as a second factor, through a notifier. Until a real gateway adapter exists
// the development driver writes each message to identity.dev_sms, which operators can read in
// non-production shapes; in production the factor is simply not offered.
import type { ModuleContext } from '@tongban/kernel';
import {
  checkCode,
  DEFAULT_CODE_TTL_SECONDS,
  issueCode,
  type CodeOutcome,
  type CodeRecord,
} from '../domain/one-time-codes.ts';
import { maskMobile } from '../domain/identifiers.ts';
import { contactMobile, findAccountById } from '../store/accounts.ts';
import { writeDevSms } from '../store/dev-sms.ts';
import { findCodeRecord, lockCodeRecord, saveCodeRecord, updateCodeRecord } from '../store/one-time-codes.ts';
import { typed } from '../store/tables.ts';

export interface SmsSender {
  send(mobile: string, text: string): Promise<void>;
}

export function devSmsSender(ctx: ModuleContext): SmsSender | undefined {
  if (ctx.config.env === 'production') return undefined;
  return {
    async send(mobile, text) {
      await writeDevSms(typed(ctx.db), mobile, text);
      ctx.log.info({ mobile: maskMobile(mobile) }, 'development SMS written to identity.dev_sms');
    },
  };
}

/** What needs a text message to work, and so is unavailable while no gateway adapter exists (production). */
export const NEEDS_SMS = [
  'self-registration (POST /api/identity/register)',
  'counter recovery (POST /api/identity/recoveries)',
  'the SMS step-up, the only way an account without a second factor reaches mfa to enrol one',
] as const;

/**
 * Says once, at start, what this start cannot offer: in production there is no SMS gateway
 * adapter yet (devSmsSender is development-only), so the routes above answer 503
 * IDENTITY_SMS_UNAVAILABLE and staff without a factor cannot enrol one. True when it warned.
 */
export function warnIfNoSmsGateway(ctx: Pick<ModuleContext, 'config' | 'log'>): boolean {
  if (devSmsSender(ctx as ModuleContext)) return false;
  ctx.log.warn(
    { unavailable: NEEDS_SMS },
    `no SMS gateway adapter: unavailable until one exists: ${NEEDS_SMS.join('; ')}`,
  );
  return true;
}

/** What a code is for; each has its own code per account, so one cannot be used for another. */
export type CodePurpose = 'sign-in' | 'registration' | 'recovery';
/** At most one new code a minute per account and purpose, so the channel cannot be used to flood a phone. */
const RESEND_SECONDS = 60;

/** The messages that carry a code (catalog; both languages in one message, the account may have none yet). */
const CODE_TEXTS: Record<CodePurpose, (code: string, minutes: number) => string> = {
  'sign-in': (code, minutes) =>
    `【通办】您的登录验证码是 ${code}，${minutes} 分钟内有效，请勿告诉他人。Your Tongban sign-in code is ${code}; it expires in ${minutes} minutes.`,
  registration: (code, minutes) =>
    `【通办】您正在注册通办账号，验证码 ${code}，${minutes} 分钟内有效。如非本人操作请忽略。Your Tongban registration code is ${code}; it expires in ${minutes} minutes. If you did not register, ignore this.`,
  recovery: (code, minutes) =>
    `【通办】窗口工作人员已核验您的身份，请用验证码 ${code} 设置新密码，${minutes} 分钟内有效。Your identity was checked at the counter: set a new Tongban password with code ${code}; it expires in ${minutes} minutes.`,
};

/** The notice to the mobile an account was taken from at the counter (catalog, zh-CN first). */
export const RECOVERY_NOTICE = {
  zh: '【通办】经政务服务窗口核验本人身份，此手机号原注册的通办账号已交还身份证持有人，本号码已解除绑定。如有疑问请拨打 12345。',
  en: 'Tongban: after an in-person identity check at a service counter, the account registered with this mobile was returned to the holder of its ID card, and this number is no longer linked to it. Questions: call 12345.',
} as const;

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as CodeRecord & { issuedAt?: string };

export async function sendCode(
  ctx: ModuleContext,
  sender: SmsSender,
  accountId: string,
  mobile: string,
  now: Date,
  purpose: CodePurpose,
  ttlSeconds: number = DEFAULT_CODE_TTL_SECONDS,
): Promise<'sent' | 'too_soon'> {
  const existing = await findCodeRecord(typed(ctx.db), accountId, purpose);
  const issuedAt = existing !== undefined ? parse(existing).issuedAt : undefined;
  if (issuedAt && now.getTime() - new Date(issuedAt).getTime() < RESEND_SECONDS * 1000) return 'too_soon';
  const { code, record } = issueCode(now, ctx.secret('identity-otp-pepper'), ttlSeconds);
  const stored = JSON.stringify({ ...record, issuedAt: now.toISOString() });
  await saveCodeRecord(typed(ctx.db), accountId, purpose, stored);
  await sender.send(mobile, CODE_TEXTS[purpose](code, Math.round(ttlSeconds / 60)));
  return 'sent';
}

export async function sendSignInCode(
  ctx: ModuleContext,
  sender: SmsSender,
  accountId: string,
  mobile: string,
  now: Date,
): Promise<'sent' | 'too_soon'> {
  return sendCode(ctx, sender, accountId, mobile, now, 'sign-in');
}

/** Checks a submitted code; the attempt is written before the answer is known to the caller. 'none' when no code was sent. */
export async function checkPurposeCode(
  ctx: ModuleContext,
  accountId: string,
  purpose: CodePurpose,
  submitted: string,
  now: Date,
): Promise<CodeOutcome | 'none'> {
  return typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const stored = await lockCodeRecord(trx, accountId, purpose);
      if (stored === undefined) return 'none';
      const record = parse(stored);
      const result = checkCode(record, submitted.trim(), now, ctx.secret('identity-otp-pepper'));
      await updateCodeRecord(trx, accountId, purpose, JSON.stringify({ ...result.record, issuedAt: record.issuedAt }));
      return result.outcome;
    });
}

export async function checkSignInCode(
  ctx: ModuleContext,
  accountId: string,
  submitted: string,
  now: Date,
): Promise<boolean> {
  return (await checkPurposeCode(ctx, accountId, 'sign-in', submitted, now)) === 'ok';
}

export type FactorChange = { readonly factor: 'totp' | 'passkey'; readonly change: 'enrolled' | 'removed' };

/** Notices of a change to how an account signs in (message catalog, zh-CN first). */
export const FACTOR_NOTICES = {
  'totp.enrolled': {
    zh: '【通办】您的账号刚刚添加了动态口令（身份验证器）。如非本人操作，请立即修改密码并联系政务服务热线 12345。',
    en: 'Tongban: an authenticator app was just added to your account. If this was not you, change your password now and call 12345.',
  },
  'totp.removed': {
    zh: '【通办】您的账号刚刚移除了动态口令（身份验证器）。如非本人操作，请立即修改密码并联系政务服务热线 12345。',
    en: 'Tongban: the authenticator app was just removed from your account. If this was not you, change your password now and call 12345.',
  },
  'passkey.enrolled': {
    zh: '【通办】您的账号刚刚添加了通行密钥。如非本人操作，请立即修改密码并联系政务服务热线 12345。',
    en: 'Tongban: a passkey was just added to your account. If this was not you, change your password now and call 12345.',
  },
  'passkey.removed': {
    zh: '【通办】您的账号刚刚移除了通行密钥。如非本人操作，请立即修改密码并联系政务服务热线 12345。',
    en: 'Tongban: a passkey was just removed from your account. If this was not you, change your password now and call 12345.',
  },
} as const satisfies Record<`${FactorChange['factor']}.${FactorChange['change']}`, { zh: string; en: string }>;

/**
 * Tells the owner, on the mobile they registered, that a sign-in factor changed: whoever holds
 * the session may not be the owner. Sent after the change has committed (the identity.mfa.changed
 * event, written with it, is the durable record); a notice that cannot be sent is logged, not
 * turned into a failure of a change that has already happened.
 */
export async function sendFactorNotice(ctx: ModuleContext, accountId: string, change: FactorChange): Promise<void> {
  const account = await findAccountById(typed(ctx.db), accountId);
  const mobile = account ? await contactMobile(typed(ctx.db), account) : null;
  const sender = devSmsSender(ctx);
  if (!account || !mobile || !sender) {
    ctx.log.warn({ accountId, ...change }, 'no channel to tell the account of a factor change');
    return;
  }
  try {
    await sender.send(mobile, FACTOR_NOTICES[`${change.factor}.${change.change}`][account.lang]);
  } catch (error) {
    ctx.log.error({ err: error, accountId, ...change }, 'could not send the notice of a factor change');
  }
}
