// The identity schema's tables (store/migrations/*.sql) as the compiler sees them: the one place
// they are declared. Every query of the module goes through `typed(...)`, so it can name these
// tables and columns only — another module's table, an unknown column or a value of the wrong
// type does not compile (apps/server/test/typed-db.test.ts). The kernel's bus tables in the schema
// (outbox, inbox, pending, dead_letter) are the kernel's and are not declared here.
//
// As both drivers read them (packages/kernel/src/db/database.ts): timestamptz as Date, int8 as
// number, jsonb as the parsed value, text[] as string[], bytea as bytes. Written: jsonb as JSON
// text (JSON.stringify), timestamps as a Date, ISO text or sql`now()`.
import { narrowTo } from '@tongban/kernel';
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

/** jsonb: read parsed, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;
/** jsonb with a default: may be left out of an insert. */
type JsonWithDefault<T> = ColumnType<T, string | undefined, string>;
/** timestamptz: read as a Date, written as a Date or ISO text. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
/** text[] not null default '{}'. */
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export type AccountKind = 'citizen' | 'business' | 'officer' | 'operator' | 'security';
/** The second factors a sign-in asks for (identity.sign_in_step's check). */
export type SecondFactor = 'totp' | 'sms' | 'passkey';

/** oidc-provider's client metadata, as stored in identity.client. */
export type ClientMetadata = Record<string, unknown> & { client_id: string };

export interface AccountTable {
  id: string;
  kind: AccountKind;
  login: string;
  display_name: string;
  mobile: string | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  roles: TextArray;
  departments: TextArray;
  regions: TextArray;
  legal_representative: string | null;
  /** Unused since the lockouts moved to identity.sign_in_throttle (0003). */
  lock_state: JsonWithDefault<unknown>;
  created_at: Generated<Date>;
  disabled_at: NullableTimestamp;
  lang: ColumnType<'zh' | 'en', 'zh' | 'en' | undefined, 'zh' | 'en'>;
  pending_until: NullableTimestamp;
}

export interface AgentTable {
  business_id: string;
  citizen_id: string;
  granted_at: Generated<Date>;
}

export interface WebauthnCredentialTable {
  id: string;
  account_id: string;
  public_key: Uint8Array;
  counter: ColumnType<number, number | undefined, number>;
  transports: TextArray;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
}

export interface WebauthnChallengeTable {
  subject: string;
  purpose: 'register' | 'sign-in';
  challenge: string;
  expires_at: Timestamp;
}

export interface OneTimeCodeTable {
  account_id: string;
  purpose: string;
  /** domain/one-time-codes.ts's record and when it was issued; the service reads it. */
  record: Json<unknown>;
}

export interface OidcModelTable {
  model: string;
  id: string;
  /** What oidc-provider stored (store/oidc-adapter.ts). */
  payload: Json<unknown>;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  account_id: string | null;
  expires_at: NullableTimestamp;
  consumed_at: NullableTimestamp;
}

export interface ClientTable {
  client_id: string;
  metadata: Json<ClientMetadata>;
  roles: TextArray;
  created_at: Generated<Date>;
}

export interface SigningKeyTable {
  kid: string;
  /** Sealed JSON of the private JWK (ctx.fields), text since 0005. */
  private_jwk: string;
  created_at: Generated<Date>;
  retired_at: NullableTimestamp;
}

export interface SignInStepTable {
  uid: string;
  account_id: string;
  factors: string[];
  second_factor: SecondFactor;
  expires_at: Timestamp;
}

export interface DevSmsTable {
  id: Generated<number>;
  mobile: string;
  text: string;
  sent_at: Generated<Date>;
}

/** Written and read with sql`…` (store/throttle.ts): declared so the schema is whole here. */
export interface SignInThrottleTable {
  key: string;
  factor: 'password' | 'code';
  window_start: Timestamp;
  failures: ColumnType<number, number | undefined, number>;
  slot_at: NullableTimestamp;
  lock_state: ColumnType<unknown, string | null, string | null>;
}

export interface KnownDeviceTable {
  id: string;
  account_id: string;
  /** SHA-256 (hex) of the cookie's token; the token itself is never stored. */
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface SecurityLockTable {
  id: Generated<number>;
  account_id: string;
  action: 'lock' | 'unlock';
  until: NullableTimestamp;
  reason: string;
  alert_id: string | null;
  actor: string;
  at: Timestamp;
}

export interface IdentityTables {
  'identity.account': AccountTable;
  'identity.agent': AgentTable;
  'identity.webauthn_credential': WebauthnCredentialTable;
  'identity.webauthn_challenge': WebauthnChallengeTable;
  'identity.one_time_code': OneTimeCodeTable;
  'identity.oidc_model': OidcModelTable;
  'identity.client': ClientTable;
  'identity.signing_key': SigningKeyTable;
  'identity.sign_in_step': SignInStepTable;
  'identity.dev_sms': DevSmsTable;
  'identity.sign_in_throttle': SignInThrottleTable;
  'identity.known_device': KnownDeviceTable;
  'identity.security_lock': SecurityLockTable;
}

export type IdentityDb = Kysely<IdentityTables>;
export type IdentityTrx = Transaction<IdentityTables>;
/** What a store function runs on: the module's handle or a transaction of it. */
export type Db = IdentityDb | IdentityTrx;

/** What the kernel hands out (ctx.db, a job's or a delivery's trx), read through identity's own tables. */
export const typed = narrowTo<IdentityTables>();
