import type { AnyKysely, AnyTransaction } from '@tongban/kernel';

export type AccountKind = 'citizen' | 'business' | 'officer' | 'operator' | 'security';

export interface Account {
  id: string;
  kind: AccountKind;
  login: string;
  displayName: string;
  mobile: string | null;
  passwordHash: string | null;
  totpSecret: string | null;
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

type Db = AnyKysely | AnyTransaction;

interface AccountRow {
  id: string;
  kind: AccountKind;
  login: string;
  display_name: string;
  mobile: string | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  roles: string[];
  departments: string[];
  regions: string[];
  legal_representative: string | null;
  disabled_at: Date | null;
  lang: string;
  pending_until: Date | string | null;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    kind: r.kind,
    login: r.login,
    displayName: r.display_name,
    mobile: r.mobile,
    passwordHash: r.password_hash,
    totpSecret: r.totp_secret,
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

/** Can sign in and act: not disabled, not a registration awaiting its code. */
export function isActive(account: Account): boolean {
  return !account.disabled && account.pendingUntil === null;
}

export async function findAccountByLogin(db: Db, login: string): Promise<Account | undefined> {
  const row = await db.selectFrom('identity.account').selectAll().where('login', '=', login).executeTakeFirst();
  return row ? toAccount(row as AccountRow) : undefined;
}

export async function findAccountById(db: Db, id: string): Promise<Account | undefined> {
  const row = await db.selectFrom('identity.account').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAccount(row as AccountRow) : undefined;
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

export async function insertAccount(db: Db, a: NewAccount): Promise<void> {
  await db
    .insertInto('identity.account')
    .values({
      id: a.id,
      kind: a.kind,
      login: a.login,
      display_name: a.displayName,
      mobile: a.mobile ?? null,
      password_hash: a.passwordHash ?? null,
      totp_secret: a.totpSecret ?? null,
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
