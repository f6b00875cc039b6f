// Password policy and storage. The policy follows NIST SP 800-63B §3.1.1.2: a minimum length, a
// generous maximum, a check against commonly used passwords and no composition rules.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'same_as_identifier';

/**
 * What each refusal tells the person: what is wrong and what would be accepted (message catalog,
 * zh-CN first). A bare code such as `common` explains nothing to someone choosing a password.
 */
export const PASSWORD_PROBLEM_TEXT = {
  too_short: {
    zh: `密码太短：至少需要 ${PASSWORD_MIN_LENGTH} 个字符，汉字、字母、数字和符号都可以。几个词组成的短语既好记又安全。`,
    en: `The password is too short: use at least ${PASSWORD_MIN_LENGTH} characters — any letters, digits, symbols or Chinese characters. A phrase of a few words is easy to remember and strong.`,
  },
  too_long: {
    zh: `密码太长：最多 ${PASSWORD_MAX_LENGTH} 个字符。`,
    en: `The password is too long: use at most ${PASSWORD_MAX_LENGTH} characters.`,
  },
  common: {
    zh: '这是常用密码，很容易被猜中。请换一个别人猜不到的，例如几个不相关的词组成的短语；不要求包含特殊字符。',
    en: 'This is a commonly used password and easy to guess. Choose one nobody could guess, such as a phrase of a few unrelated words; no special characters are required.',
  },
  same_as_identifier: {
    zh: '密码不能与身份证号、统一社会信用代码、登录名或手机号相同。',
    en: 'The password must not be your ID number, credit code, user name or mobile number.',
  },
} as const satisfies Record<PasswordProblem, { zh: string; en: string }>;

export interface PasswordOwner {
  /** The sign-in identifier: resident ID number, credit code or staff login. */
  readonly identifier?: string | null;
  readonly mobile?: string | null;
}

// Argon2id with OWASP's first recommended configuration: m = 19 MiB, t = 2, p = 1
// (OWASP Password Storage Cheat Sheet, "Argon2id").
// https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id
// Algorithm is an ambient const enum, which isolatedModules may not read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;
const ARGON2_OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

let commonPasswords: ReadonlySet<string> | undefined;

/** ~49k entries; built on first use so importing this module stays cheap. */
function isCommon(password: string): boolean {
  commonPasswords ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return commonPasswords.has(password.toLowerCase());
}

/**
 * What is wrong with a proposed password; empty when it is acceptable. Lengths count code points,
 * so a password of Chinese characters or emoji is measured as the person typed it.
 */
export function passwordProblems(password: string, owner: PasswordOwner = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  if (isCommon(password)) problems.push('common');
  const lowered = password.toLowerCase();
  if ([owner.identifier, owner.mobile].some((v) => v && v.trim().toLowerCase() === lowered))
    problems.push('same_as_identifier');
  return problems;
}

/** Thrown instead of hashing when the process already has as many hashes queued as it allows. */
export class HashesBusy extends Error {
  override name = 'HashesBusy';
}

export interface HashGate {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Hashes started and refused since the process started (a test counts hashing through these). */
  readonly stats: {
    readonly started: number;
    readonly refused: number;
    readonly inFlight: number;
    readonly waiting: number;
  };
}

/**
 * At most `maxInFlight` argon2 computations at once (each takes ~19 MiB and a core for tens of
 * milliseconds), at most `maxWaiting` more queued, the rest refused at once: a flood of sign-ins
 * must leave a core for /healthz and every other request instead of starving them.
 */
export function createHashGate(maxInFlight: number, maxWaiting: number): HashGate {
  // A finishing hash hands its slot straight to the next in the queue, so nobody can slip in between.
  const queue: (() => void)[] = [];
  let inFlight = 0;
  let started = 0;
  let refused = 0;
  return {
    stats: {
      get started() {
        return started;
      },
      get refused() {
        return refused;
      },
      get inFlight() {
        return inFlight;
      },
      get waiting() {
        return queue.length;
      },
    },
    async run(work) {
      if (inFlight < maxInFlight) inFlight++;
      else if (queue.length >= maxWaiting) {
        refused++;
        throw new HashesBusy('too many password hashes queued');
      } else await new Promise<void>((resolve) => queue.push(resolve));
      started++;
      try {
        return await work();
      } finally {
        const next = queue.shift();
        if (next) next();
        else inFlight--;
      }
    },
  };
}

// One core is left to everything else. The queue holds about half a second of hashing (a hash
// costs ~10 ms of CPU here): room for a burst of real sign-ins, none for a flood (which the
// throttles stop before it gets here anyway).
const HASH_SLOTS = Math.max(1, availableParallelism() - 1);
export const hashGate: HashGate = createHashGate(HASH_SLOTS, HASH_SLOTS * 50);

/** A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt. Throws HashesBusy when the gate is full. */
export function hashPassword(password: string): Promise<string> {
  return hashGate.run(() => hash(password, ARGON2_OPTIONS));
}

/**
 * False for a wrong password and for anything that is not a readable argon2 hash. Throws
 * HashesBusy (only) when the gate is full: the caller answers "busy", not "wrong password".
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return hashGate.run(async () => {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  });
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random value nobody knows, computed once on first use. A sign-in for an unknown or
 * locked account verifies against it so it takes as long as a real one: response time does not
 * tell which accounts exist.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64url')).catch((error: unknown) => {
    dummy = undefined; // let the next sign-in try again rather than fail for ever
    throw error;
  });
  return dummy;
}
