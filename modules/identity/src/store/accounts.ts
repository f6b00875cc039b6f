import type { FieldCipher } from '@tongban/kernel';
import { sql, type Selectable } from 'kysely';
import type { AccountKind, AccountTable, Db, IdentityTrx } from './tables.ts';

export type { AccountKind } from './tables.ts';

export interface Account {
  id: string;
  kind: AccountKind;
  login: string;
  displayName: string;
  mobile: string | null;
  passwordHash: string | null;
  /** The authenticator's secret as stored: sealed (ctx.fields); `openTotpSecret` gives the value. */
  totpSealed: string | null;
  totpLastStep: number | null;
  roles: string[];
  departments: string[];
  regions: string[];
  legalRepresentative: string | null;
  disabled: boolean;
  /** The language of the account's notices. */
  lang: 'zh' | 'en';
  /** A registration not yet confirmed by SMS code: until when it holds its ID (null: active). */
  pendingUntil: Date | null;
}

function toAccount(r: Selectable<AccountTable>): Account {
  return {
    id: r.id,
    kind: r.kind,
    login: r.login,
    displayName: r.display_name,
    mobile: r.mobile,
    passwordHash: r.password_hash,
    totpSealed: r.totp_secret,
    totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
    roles: r.roles,
    departments: r.departments,
    regions: r.regions,
    legalRepresentative: r.legal_representative,
    disabled: r.disabled_at !== null,
    lang: r.lang === 'en' ? 'en' : 'zh',
    pendingUntil: r.pending_until === null ? null : new Date(r.pending_until),
  };
}

// TOTP secrets are sealed (ctx.fields) for their column and their account: a secret copied to
// another account's row does not open there.
const totpAad = (id: string) => `identity.account.totp_secret:${id}`;
const pendingTotpAad = (id: string) => `identity.account.totp_pending_secret:${id}`;

/** The account's authenticator secret (null without one). */
export async function openTotpSecret(fields: FieldCipher, account: Account): Promise<string | null> {
  return account.totpSealed === null ? null : fields.open(account.totpSealed, totpAad(account.id));
}

/**
 * Seals TOTP secrets stored in clear (rows from before sealed fields): a value not starting with
 * `tb1.` is clear. Each row only if it still holds that clear value (replicas start together).
 */
export async function sealClearTotpSecrets(db: Db, fields: FieldCipher): Promise<number> {
  const rows = await db
    .selectFrom('identity.account')
    .select(['id', 'totp_secret', 'totp_pending_secret'])
    .where((eb) =>
      eb.or([
        eb.and([eb('totp_secret', 'is not', null), eb('totp_secret', 'not like', 'tb1.%')]),
        eb.and([eb('totp_pending_secret', 'is not', null), eb('totp_pending_secret', 'not like', 'tb1.%')]),
      ]),
    )
    .execute();
  let sealed = 0;
  for (const r of rows) {
    const clear = (v: string | null) => v !== null && !fields.isSealed(v);
    if (clear(r.totp_secret)) {
      const done = await db
        .updateTable('identity.account')
        .set({ totp_secret: await fields.seal(r.totp_secret!, totpAad(r.id)) })
        .where('id', '=', r.id)
        .where('totp_secret', '=', r.totp_secret!)
        .executeTakeFirst();
      sealed += Number(done.numUpdatedRows);
    }
    if (clear(r.totp_pending_secret)) {
      const done = await db
        .updateTable('identity.account')
        .set({ totp_pending_secret: await fields.seal(r.totp_pending_secret!, pendingTotpAad(r.id)) })
        .where('id', '=', r.id)
        .where('totp_pending_secret', '=', r.totp_pending_secret!)
        .executeTakeFirst();
      sealed += Number(done.numUpdatedRows);
    }
  }
  return sealed;
}

/** Can sign in and act: not disabled, not a registration awaiting its code. */
export function isActive(account: Account): boolean {
  return !account.disabled && account.pendingUntil === null;
}

export async function findAccountByLogin(db: Db, login: string): Promise<Account | undefined> {
  const row = await db.selectFrom('identity.account').selectAll().where('login', '=', login).executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

export async function findAccountById(db: Db, id: string): Promise<Account | undefined> {
  const row = await db.selectFrom('identity.account').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

export async function saveTotpStep(db: Db, id: string, step: number): Promise<void> {
  await db.updateTable('identity.account').set({ totp_last_step: step }).where('id', '=', id).execute();
}

export interface NewAccount {
  id: string;
  kind: AccountKind;
  login: string;
  displayName: string;
  mobile?: string;
  passwordHash?: string;
  totpSecret?: string;
  roles?: string[];
  departments?: string[];
  regions?: string[];
  legalRepresentative?: string;
  lang?: 'zh' | 'en';
  pendingUntil?: Date;
}

/** `fields` seals the authenticator secret: needed when `a.totpSecret` is given. */
export async function insertAccount(db: Db, a: NewAccount, fields?: FieldCipher): Promise<void> {
  if (a.totpSecret && !fields) throw new Error('an authenticator secret is stored sealed: pass ctx.fields');
  const totpSecret = a.totpSecret && fields ? await fields.seal(a.totpSecret, totpAad(a.id)) : null;
  await db
    .insertInto('identity.account')
    .values({
      id: a.id,
      kind: a.kind,
      login: a.login,
      display_name: a.displayName,
      mobile: a.mobile ?? null,
      password_hash: a.passwordHash ?? null,
      totp_secret: totpSecret,
      roles: a.roles ?? [],
      departments: a.departments ?? [],
      regions: a.regions ?? [],
      legal_representative: a.legalRepresentative ?? null,
      lang: a.lang ?? 'zh',
      pending_until: a.pendingUntil ? a.pendingUntil.toISOString() : null,
    })
    .execute();
}

/**
 * The mobile that reaches the person behind an account: its own, or for a business (which has
 * none) its legal representative's — so a business can get an SMS step-up code and notices too.
 */
export async function contactMobile(db: Db, account: Account): Promise<string | null> {
  if (account.mobile || account.kind !== 'business' || !account.legalRepresentative) return account.mobile;
  return (await findAccountById(db, account.legalRepresentative))?.mobile ?? null;
}

/** A staff account's roles, departments and jurisdiction. */
export async function setStaffAccess(
  db: Db,
  id: string,
  access: { roles: string[]; departments: string[]; regions: string[] },
): Promise<void> {
  const { roles, departments, regions } = access;
  await db.updateTable('identity.account').set({ roles, departments, regions }).where('id', '=', id).execute();
}

/** An authenticator app being enrolled: its secret until a code from it confirms it. */
export async function setPendingTotp(db: Db, fields: FieldCipher, id: string, secret: string): Promise<void> {
  const sealed = await fields.seal(secret, pendingTotpAad(id));
  await db.updateTable('identity.account').set({ totp_pending_secret: sealed }).where('id', '=', id).execute();
}

export async function pendingTotpSecret(db: Db, fields: FieldCipher, id: string): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('identity.account')
    .select(['totp_pending_secret'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row?.totp_pending_secret) return row?.totp_pending_secret;
  return fields.open(row.totp_pending_secret, pendingTotpAad(id));
}

/** The confirmed authenticator becomes the account's, the code that confirmed it used. */
export async function enrolTotp(db: Db, fields: FieldCipher, id: string, secret: string, step: number): Promise<void> {
  const sealed = await fields.seal(secret, totpAad(id));
  await db
    .updateTable('identity.account')
    .set({ totp_secret: sealed, totp_pending_secret: null, totp_last_step: step })
    .where('id', '=', id)
    .execute();
}

/** False when the account had no authenticator. */
export async function removeTotp(db: Db, id: string): Promise<boolean> {
  const removed = await db
    .updateTable('identity.account')
    .set({ totp_secret: null, totp_pending_secret: null, totp_last_step: null })
    .where('id', '=', id)
    .where('totp_secret', 'is not', null)
    .executeTakeFirst();
  return Number(removed.numUpdatedRows) === 1;
}

export async function setPasswordHash(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('identity.account').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

/** Deletes a registration that is still pending; false when it is not (or no longer). */
export async function deletePendingAccount(db: Db, id: string): Promise<boolean> {
  const gone = await db
    .deleteFrom('identity.account')
    .where('id', '=', id)
    .where('pending_until', 'is not', null)
    .executeTakeFirst();
  return Number(gone.numDeletedRows) === 1;
}

/** Deletes a registration whose pending time is over at `now`; false when it is not (or no longer). */
export async function deleteLapsedAccount(db: Db, id: string, now: Date): Promise<boolean> {
  const gone = await db
    .deleteFrom('identity.account')
    .where('id', '=', id)
    .where(sql<boolean>`pending_until <= ${now.toISOString()}::timestamptz`)
    .executeTakeFirst();
  return Number(gone.numDeletedRows) === 1;
}

/** Activates a registration still pending at `now`; false when it lapsed (or was replaced) meanwhile. */
export async function activatePendingAccount(db: Db, id: string, now: Date): Promise<boolean> {
  const activated = await db
    .updateTable('identity.account')
    .set({ pending_until: null })
    .where('id', '=', id)
    .where(sql<boolean>`pending_until > ${now.toISOString()}::timestamptz`)
    .executeTakeFirst();
  return Number(activated.numUpdatedRows) === 1;
}

/** Locks a citizen's account row by its resident ID until the transaction ends; false when there is none. */
export async function lockCitizenByLogin(trx: IdentityTrx, login: string): Promise<boolean> {
  const locked = await trx
    .selectFrom('identity.account')
    .select('id')
    .where('login', '=', login)
    .where('kind', '=', 'citizen')
    .forUpdate()
    .executeTakeFirst();
  return Boolean(locked);
}

/** A counter recovery: the holder's name and mobile, and no password, authenticator or pending state left. */
export async function rebindForRecovery(
  db: Db,
  id: string,
  holder: { displayName: string; mobile: string },
): Promise<void> {
  await db
    .updateTable('identity.account')
    .set({
      display_name: holder.displayName,
      mobile: holder.mobile,
      password_hash: null,
      totp_secret: null,
      totp_pending_secret: null,
      totp_last_step: null,
      pending_until: null,
    })
    .where('id', '=', id)
    .execute();
}

/** Disables the active businesses that name the account as legal representative; their ids. */
export async function suspendBusinessesOf(db: Db, legalRepresentative: string, now: Date): Promise<string[]> {
  const suspended = await db
    .updateTable('identity.account')
    .set({ disabled_at: now.toISOString() })
    .where('kind', '=', 'business')
    .where('legal_representative', '=', legalRepresentative)
    .where('disabled_at', 'is', null)
    .returning('id')
    .execute();
  return suspended.map((b) => b.id);
}
