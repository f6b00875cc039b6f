// The steps of a sign-in: password, then a second factor where the account has one or must
// have one. Each attempt passes the throttles (sign-in-throttle.ts: address, login, lockout; a
// known device skips the first two) and is charged before the secret is compared, so parallel guesses cannot
// outrun them and a refused attempt never hashes; unknown and disabled accounts spend the same
// hashing time and get the same answer as a wrong password (no account enumeration).
import type { EventData, SignInFactor, SignInFailureReason } from '@tongban/contracts';
import type { ModuleContext } from '@tongban/kernel';
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { dummyHash, HashesBusy, verifyPassword } from '../domain/passwords.ts';
import { verifyTotp } from '../domain/totp.ts';
import {
  contactMobile,
  findAccountById,
  findAccountByLogin,
  openTotpSecret,
  isActive,
  saveTotpStep,
  type Account,
} from '../store/accounts.ts';
import {
  CHALLENGE_SECONDS,
  findPasskey,
  hasPasskey,
  passkeysOf,
  recordPasskeyUse,
  saveChallenge,
  takeChallenge,
} from '../store/passkeys.ts';
import { deleteSignInStep, openSignInStep, saveSignInStep } from '../store/sign-in-steps.ts';
import { ACR_MFA, ACR_PASSWORD } from './provider.ts';
import { admit, loginKeyOf, rememberSignIn, settleSuccess, undo, type Admitted } from './sign-in-throttle.ts';
import { knownDeviceOf, rememberDevice, type DeviceCookie, type RequestCookies } from './known-devices.ts';
import { findSecurityLock } from '../store/security-locks.ts';
import { checkSignInCode, sendSignInCode, type SmsSender } from './sms.ts';
import { typed, type SecondFactor } from '../store/tables.ts';

const STAFF = new Set(['officer', 'operator', 'security']);

export type StepResult =
  | { readonly outcome: 'failed' }
  /** Refused by a throttle before anything was compared (429 with Retry-After). */
  | { readonly outcome: 'throttled'; readonly retryAfterSeconds: number }
  /** Too many password hashes in progress in this process; nothing was compared (503). */
  | { readonly outcome: 'busy' }
  | { readonly outcome: 'mfa_not_enrolled' }
  | { readonly outcome: 'needs_second_factor'; readonly accountId: string; readonly factor: SecondFactor }
  | {
      readonly outcome: 'done';
      readonly accountId: string;
      readonly acr: string;
      readonly amr: string[];
      /** After every factor: the known-device cookie to set (service/known-devices.ts). */
      readonly device?: DeviceCookie;
    };

export type { SecondFactor };

/**
 * RFC 8176 amr for a passkey: "hwk", proof of possession of a key held by an authenticator. The
 * user verification we require (PIN or biometric, done by the authenticator) is not reported as
 * "pin"/"fpt"/"face" because the server cannot tell which the authenticator used.
 */
export const PASSKEY_AMR = 'hwk';

export interface Attempt {
  readonly uid: string;
  readonly ip: string;
  readonly now: Date;
  /** The relying party asked for multi-factor (acr_values), e.g. a step-up. */
  readonly wantsMfa?: boolean;
  readonly sms?: SmsSender | undefined;
  /** The request's cookies: a known device's is among them. */
  readonly cookies?: RequestCookies;
}

/**
 * identity.sign-in.succeeded, naming the session the sign-in made or continued. Not published by
 * the steps: a new session and its id exist only once the provider resumes the authorization with
 * the step's result (service/runtime.ts publishes it then, before the browser is answered).
 */
export const recordSignIn = (ctx: ModuleContext, signIn: EventData<'identity.sign-in.succeeded'>) =>
  securityEvent(ctx, 'identity.sign-in.succeeded', signIn);

/** Security operations' lock (routes in api/security.ts) stops every factor. */
const securityLocked = async (ctx: ModuleContext, accountId: string, now: Date) =>
  (await findSecurityLock(typed(ctx.db), accountId, now)) !== undefined;

/** A security event on its own: nothing else changes with it. */
async function securityEvent<K extends 'identity.sign-in.failed' | 'identity.sign-in.succeeded'>(
  ctx: ModuleContext,
  type: K,
  data: EventData<K>,
): Promise<void> {
  await ctx.transaction((_trx, events) => events.publish(type, data));
}

/** A failed attempt (a lock it started was published when admit charged it). */
async function failed(
  ctx: ModuleContext,
  accountId: string | null,
  factor: SignInFactor,
  reason: SignInFailureReason,
  ip: string,
  login: string,
): Promise<StepResult> {
  await securityEvent(ctx, 'identity.sign-in.failed', {
    accountId,
    factor,
    reason,
    ip,
    loginKey: loginKeyOf(ctx, login),
  });
  return { outcome: 'failed' };
}

/** Compares under the hash gate; undefined when the gate is full (the attempt is given back). */
async function compare(
  ctx: ModuleContext,
  admitted: Admitted,
  passwordHash: string | null,
  password: string,
): Promise<boolean | undefined> {
  try {
    return await verifyPassword(passwordHash ?? (await dummyHash()), password);
  } catch (error) {
    if (!(error instanceof HashesBusy)) throw error;
    await undo(ctx, admitted);
    return undefined;
  }
}

export async function passwordStep(
  ctx: ModuleContext,
  attempt: Attempt,
  login: string,
  password: string,
): Promise<StepResult> {
  const name = normaliseLogin(login);
  // Throttles first, by the login as typed: the same for accounts that exist and ones that do not.
  // Looked up first (an indexed read either way) so that a lock this attempt starts names the account in its own transaction.
  const account = await findAccountByLogin(typed(ctx.db), name);
  // A known device of this account: its attempts are not held back by strangers' failures.
  const device = account ? await knownDeviceOf(ctx, account.id, attempt.cookies, attempt.now) : undefined;
  const admitted = await admit(ctx, name, attempt.ip, 'password', attempt.now, account?.id ?? null, device);
  if (admitted.outcome === 'throttled') return admitted;
  if (admitted.outcome === 'locked') return failed(ctx, account?.id ?? null, 'password', 'locked', attempt.ip, name);
  // A security lock answers like a disabled account: the same hashing time and the same words.
  const lockedBySecurity = account ? await securityLocked(ctx, account.id, attempt.now) : false;
  const usable = account && isActive(account) && account.passwordHash && !lockedBySecurity ? account : undefined;
  // Unknown, disabled and pending accounts spend the same hashing time as a wrong password.
  const matched = await compare(ctx, admitted, usable?.passwordHash ?? null, password);
  if (matched === undefined) return { outcome: 'busy' };
  if (!account) return failed(ctx, null, 'password', 'unknown_account', attempt.ip, name);
  if (!usable)
    return failed(
      ctx,
      account.id,
      'password',
      lockedBySecurity
        ? 'security_locked'
        : account.pendingUntil !== null
          ? 'pending'
          : account.passwordHash
            ? 'disabled'
            : 'no_password',
      attempt.ip,
      name,
    );
  if (!matched) return failed(ctx, account.id, 'password', 'wrong_password', attempt.ip, name);
  await settleSuccess(ctx, admitted, attempt.now, { finished: false });
  // A passkey is preferred over an authenticator app: it cannot be phished or typed into a fake page.
  // The SMS code is the step-up of an account with no second factor yet, so that it can enrol one.
  const mobile = await contactMobile(typed(ctx.db), account);
  const second: SecondFactor | undefined = (await hasPasskey(typed(ctx.db), account.id))
    ? 'passkey'
    : account.totpSealed
      ? 'totp'
      : (attempt.wantsMfa || STAFF.has(account.kind)) && mobile && attempt.sms
        ? 'sms'
        : undefined;
  if (second) {
    if (second === 'sms') await sendSignInCode(ctx, attempt.sms!, account.id, mobile!, attempt.now);
    await saveSignInStep(typed(ctx.db), {
      uid: attempt.uid,
      accountId: account.id,
      factors: ['pwd'],
      secondFactor: second,
    });
    return { outcome: 'needs_second_factor', accountId: account.id, factor: second };
  }
  if (STAFF.has(account.kind) || attempt.wantsMfa) return { outcome: 'mfa_not_enrolled' };
  await rememberSignIn(ctx, name, attempt.ip, attempt.now);
  return { outcome: 'done', accountId: account.id, acr: ACR_PASSWORD, amr: ['pwd'] };
}

/** The second step: a TOTP code, or the SMS code sent after the password. */
export async function secondFactorStep(ctx: ModuleContext, attempt: Attempt, code: string): Promise<StepResult> {
  const step = await openSignInStep(typed(ctx.db), attempt.uid);
  const account: Account | undefined = step ? await findAccountById(typed(ctx.db), step.accountId) : undefined;
  if (!step || !account) return { outcome: 'failed' };
  const factor = step.secondFactor;
  if (factor === 'passkey') return { outcome: 'failed' };
  // Locked between the password and the code: nothing is compared.
  if (await securityLocked(ctx, account.id, attempt.now))
    return failed(ctx, account.id, factor, 'security_locked', attempt.ip, account.login);
  const admitted = await admit(ctx, account.login, attempt.ip, 'code', attempt.now, account.id);
  if (admitted.outcome === 'throttled') return admitted;
  if (admitted.outcome === 'locked') return failed(ctx, account.id, factor, 'locked', attempt.ip, account.login);
  let ok = false;
  const totpSecret = factor === 'totp' ? await openTotpSecret(ctx.fields, account) : null;
  if (factor === 'totp' && totpSecret) {
    const result = await verifyTotp(totpSecret, code.trim(), {
      now: attempt.now,
      lastUsedStep: account.totpLastStep ?? undefined,
    });
    if (result.ok) await saveTotpStep(typed(ctx.db), account.id, result.step);
    ok = result.ok;
  } else if (factor === 'sms') {
    ok = await checkSignInCode(ctx, account.id, code, attempt.now);
  }
  if (!ok) return failed(ctx, account.id, factor, 'wrong_code', attempt.ip, account.login);
  await settleSuccess(ctx, admitted, attempt.now, { finished: true });
  await deleteSignInStep(typed(ctx.db), attempt.uid);
  return {
    outcome: 'done',
    accountId: account.id,
    acr: ACR_MFA,
    amr: ['pwd', factor === 'totp' ? 'otp' : 'sms'],
    device: await rememberDevice(ctx, account.id, attempt.cookies, attempt.now),
  };
}

/** The options for navigator.credentials.get on the passkey page; undefined without a passkey step. */
export async function passkeySignInOptions(
  ctx: ModuleContext,
  uid: string,
  rpID: string,
): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
  const step = await openSignInStep(typed(ctx.db), uid);
  if (!step || step.secondFactor !== 'passkey') return undefined;
  const passkeys = await passkeysOf(typed(ctx.db), step.accountId);
  const options = await generateAuthenticationOptions({
    rpID,
    userVerification: 'required',
    timeout: CHALLENGE_SECONDS * 1000,
    allowCredentials: passkeys.map((p) => ({ id: p.id, transports: p.transports })),
  });
  await saveChallenge(typed(ctx.db), uid, 'sign-in', options.challenge, CHALLENGE_SECONDS);
  return options;
}

/**
 * The second step with a passkey: the assertion must answer this interaction's challenge (taken
 * out whatever the outcome, so it cannot be replayed), come from the issuer's origin, be signed by
 * one of the account's passkeys with user verification, and move its signature counter forward.
 */
export async function passkeyStep(
  ctx: ModuleContext,
  attempt: Attempt,
  rp: { rpID: string; origin: string },
  credentialJson: string,
): Promise<StepResult> {
  const step = await openSignInStep(typed(ctx.db), attempt.uid);
  const account: Account | undefined =
    step?.secondFactor === 'passkey' ? await findAccountById(typed(ctx.db), step.accountId) : undefined;
  if (!account) return { outcome: 'failed' };
  const challenge = await takeChallenge(typed(ctx.db), attempt.uid, 'sign-in');
  const fail = (reason: SignInFailureReason) => failed(ctx, account.id, 'passkey', reason, attempt.ip, account.login);
  if (await securityLocked(ctx, account.id, attempt.now)) return fail('security_locked');
  const admitted = await admit(ctx, account.login, attempt.ip, 'code', attempt.now, account.id);
  if (admitted.outcome === 'throttled') return admitted;
  if (admitted.outcome === 'locked') return fail('locked');
  if (!challenge) return fail('no_challenge');
  let response: AuthenticationResponseJSON;
  try {
    response = JSON.parse(credentialJson) as AuthenticationResponseJSON;
  } catch {
    return fail('malformed');
  }
  const passkey =
    typeof response?.id === 'string' ? await findPasskey(typed(ctx.db), account.id, response.id) : undefined;
  if (!passkey) return fail('unknown_passkey');
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    requireUserVerification: true,
    credential: {
      id: passkey.id,
      publicKey: passkey.publicKey,
      counter: passkey.counter,
      transports: passkey.transports,
    },
  }).catch((e: unknown) => {
    ctx.log.info({ err: e, accountId: account.id }, 'passkey assertion refused');
    return undefined;
  });
  if (!result?.verified || !result.authenticationInfo.userVerified) return fail('bad_assertion');
  const counter = result.authenticationInfo.newCounter;
  // An authenticator that counts must count up; a counter that did not move means a cloned key.
  if ((counter !== 0 || passkey.counter !== 0) && counter <= passkey.counter) return fail('counter');
  if (!(await recordPasskeyUse(typed(ctx.db), passkey.id, passkey.counter, counter))) return fail('counter');
  await settleSuccess(ctx, admitted, attempt.now, { finished: true });
  await deleteSignInStep(typed(ctx.db), attempt.uid);
  return {
    outcome: 'done',
    accountId: account.id,
    acr: ACR_MFA,
    amr: ['pwd', PASSKEY_AMR],
    device: await rememberDevice(ctx, account.id, attempt.cookies, attempt.now),
  };
}

/** Resident ID numbers end in X, typed in either case. */
export function normaliseLogin(login: string): string {
  const trimmed = login.trim();
  return /^\d{17}[xX]$/.test(trimmed) ? trimmed.toUpperCase() : trimmed;
}
