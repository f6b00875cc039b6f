// Personal-data fields encrypted at the application layer (个人信息字段加密), with envelope
// encryption: a column holds `tb1.<alg>.<data key id>.<iv>.<ciphertext+tag>` (base64url), never
// the value. The data key (DEK) is random, one active per module for new writes, stored WRAPPED
// by a master key (key-manager.ts) in the module's own schema (`<module>.data_key`, created with
// the bus tables); each is unwrapped once and cached. The additional data binds the module, the
// header and the column (`aad`, e.g. 'datahub.record.data'): a ciphertext moved to another
// column or module does not open, nor one whose header was changed.
//
// Rotation: a new master key re-wraps the data keys (`rewrap`, run by the platform at start and
// on a timer) while the old one is still configured, so reads never stop; a new data key serves
// new writes while the old ones keep opening old rows (`rotateDataKey`, or by age), and
// `reseal` moves a value to the active one for a module's sweep.
//
// Blind indexes (exact-match lookups: an ID number, a phone) are HMACs under a key per module
// and kind, derived from the module's index secret — random, wrapped like a data key, and never
// rotated: a master-key rotation re-wraps it unchanged, so the indexes stay valid. Its HMAC
// (SHA-256, or SM3 in the 国密 profile) is fixed when the secret is created.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { keyedMac, type Mac } from './hmac.ts';
import { sql } from 'kysely';
import type { AnyKysely } from '../db/database.ts';
import { quoteIdent } from '../db/migrations.ts';
import { aead, type Aead, type FieldAlgorithm, isFieldAlgorithm, KEY_BYTES } from './aead.ts';
import type { KeyManager } from './key-manager.ts';

export interface FieldCipher {
  /** Encrypts `plain` for the column named by `aad` (e.g. 'datahub.record.data'). */
  seal(plain: string, aad: string): Promise<string>;
  /** Opens what `seal` wrote for the same `aad`; throws on a changed ciphertext or another column's. */
  open(sealed: string, aad: string): Promise<string>;
  /** A keyed, deterministic index of `value` for exact-match lookups, per kind ('id-number', 'mobile'). */
  blindIndex(kind: string, value: string): string;
  /**
   * The value sealed again under the active data key and profile, or undefined when it already
   * is (a module's re-encryption sweep after a data-key rotation writes back what it returns).
   */
  reseal(sealed: string, aad: string): Promise<string | undefined>;
  /** Whether a stored value is a field ciphertext rather than a clear one (conversions of old rows). */
  isSealed(value: string): boolean;
}

/** 'standard': AES-256-GCM and HMAC-SHA256; 'gm' (国密): SM4-GCM and HMAC-SM3. */
export type FieldProfile = 'standard' | 'gm';

export const profileAlgorithm = (profile: FieldProfile): FieldAlgorithm => (profile === 'gm' ? 'sm4gcm' : 'a256gcm');
const profileHmac = (profile: FieldProfile) => (profile === 'gm' ? 'hmac-sm3' : 'hmac-sha256');

export class FieldCipherError extends Error {
  override name = 'FieldCipherError';
}

const VERSION = 'tb1';
export const isSealed = (value: string): boolean => value.startsWith(`${VERSION}.`);

/** The kernel's key table in every module's schema (with the bus tables, see platform.ts). */
export function keyTablesSql(module: string): string {
  const s = quoteIdent(module);
  return `
-- data keys of sealed fields, wrapped by a master key (packages/kernel/src/crypto/fields.ts);
-- purpose 'data': ciphers of the module's columns, one active (retired_at null) at a time;
-- purpose 'index': the blind-index secret, never retired
create table ${s}.data_key (
  id text primary key,
  purpose text not null default 'data' check (purpose in ('data', 'index')),
  wrapped text not null,
  master_key_id text not null,
  algorithm text not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz
);
create unique index data_key_active on ${s}.data_key (purpose) where retired_at is null;
`;
}

interface KeyRow {
  id: string;
  purpose: 'data' | 'index';
  wrapped: string;
  master_key_id: string;
  algorithm: string;
  created_at: Date | string;
  retired_at: Date | string | null;
}

export interface RewrapResult {
  /** Data keys re-wrapped under the current master key by this call. */
  readonly rewrapped: number;
  /** Data keys still under another master key (its key not configured here): they do not open. */
  readonly remaining: number;
}

/** A module's field keys: its cipher, and the rotation steps the platform (or an operator) runs. */
export interface FieldKeys {
  readonly module: string;
  readonly cipher: FieldCipher;
  /** The id of the data key new values are sealed with. */
  activeDataKey(): string;
  /** A new data key for new writes; the previous one is retired and keeps opening its rows. */
  rotateDataKey(): Promise<string>;
  /** Re-wraps every data key not under the current master key (reads continue meanwhile). */
  rewrap(): Promise<RewrapResult>;
  /**
   * Picks up another replica's rotation, and rotates when the active data key is older than
   * `maxAgeDays` or of another algorithm than the profile's.
   */
  refresh(): Promise<void>;
}

export interface FieldKeysOptions {
  readonly db: AnyKysely;
  readonly module: string;
  readonly keys: KeyManager;
  readonly profile: FieldProfile;
  /** Rotate the data key once it is this old (refresh); unset: never by age. */
  readonly maxAgeDays?: number;
  readonly now?: () => Date;
}

const wrapContext = (module: string, row: Pick<KeyRow, 'id' | 'purpose' | 'algorithm'>) =>
  `tongban data key\n${module}\n${row.purpose}\n${row.id}\n${row.algorithm}`;

const newKeyId = (purpose: 'data' | 'index') =>
  `${purpose === 'data' ? 'dk' : 'ik'}-${randomUUID().replace(/-/g, '').slice(0, 20)}`;

export async function openFieldKeys(options: FieldKeysOptions): Promise<FieldKeys> {
  const { db, module, keys, profile } = options;
  const now = options.now ?? (() => new Date());
  const table = sql.raw(`${quoteIdent(module)}.data_key`);
  const algorithm = profileAlgorithm(profile);

  const activeRow = async (purpose: 'data' | 'index') =>
    (await sql<KeyRow>`select * from ${table} where purpose = ${purpose} and retired_at is null`.execute(db)).rows[0];

  const insertKey = async (
    runner: AnyKysely,
    purpose: 'data' | 'index',
    alg: string,
    secret: Buffer,
  ): Promise<boolean> => {
    const id = newKeyId(purpose);
    const wrapped = await keys.wrap(secret, wrapContext(module, { id, purpose, algorithm: alg }));
    const inserted = await sql<{ id: string }>`
      insert into ${table} (id, purpose, wrapped, master_key_id, algorithm)
      values (${id}, ${purpose}, ${wrapped}, ${keys.currentKeyId}, ${alg})
      on conflict (purpose) where retired_at is null do nothing
      returning id`.execute(runner);
    return inserted.rows.length === 1;
  };

  /** The active key of `purpose`, created when there is none (replicas starting together: one wins). */
  const ensure = async (purpose: 'data' | 'index'): Promise<KeyRow> => {
    const found = await activeRow(purpose);
    if (found) return found;
    const alg = purpose === 'data' ? algorithm : profileHmac(profile);
    await insertKey(db, purpose, alg, randomBytes(purpose === 'data' ? KEY_BYTES[algorithm] : 32));
    const row = await activeRow(purpose);
    if (!row) throw new FieldCipherError(`module ${module} has no active ${purpose} key`);
    return row;
  };

  const unwrapRow = (row: KeyRow) => keys.unwrap(row.master_key_id, row.wrapped, wrapContext(module, row));

  // Unwrapped once per process: the promise is cached, and dropped on failure so a later read retries.
  const ciphers = new Map<string, Promise<Aead>>();
  const dataCipher = (id: string, known?: KeyRow): Promise<Aead> => {
    let cipher = ciphers.get(id);
    if (!cipher) {
      cipher = (async () => {
        const row =
          known ??
          (await sql<KeyRow>`select * from ${table} where id = ${id} and purpose = 'data'`.execute(db)).rows[0];
        if (!row) throw new FieldCipherError(`no data key ${id} in module ${module}`);
        if (!isFieldAlgorithm(row.algorithm)) throw new FieldCipherError(`data key ${id}: unknown algorithm`);
        return aead(row.algorithm, await unwrapRow(row));
      })();
      ciphers.set(id, cipher);
      cipher.catch(() => ciphers.delete(id));
    }
    return cipher;
  };

  let active = await ensure('data');
  await dataCipher(active.id, active);
  const indexRow = await ensure('index');
  const indexSecret = await unwrapRow(indexRow);
  const indexHash = indexRow.algorithm === 'hmac-sm3' ? 'sm3' : 'sha256';
  const kindKeys = new Map<string, Mac>();

  const header = (alg: string, id: string) => `${VERSION}.${alg}.${id}`;
  const additional = (head: string, aad: string) => Buffer.from(`${head}\n${module}\n${aad}`);

  const parse = (sealed: string) => {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION || !isFieldAlgorithm(parts[1]!))
      throw new FieldCipherError('not a field ciphertext');
    const [, alg, id, iv, body] = parts as [string, FieldAlgorithm, string, string, string];
    return { alg, id, rest: `${iv}.${body}` };
  };

  const cipher: FieldCipher = {
    async seal(plain, aad) {
      const key = active;
      const c = await dataCipher(key.id, key);
      const head = header(c.algorithm, key.id);
      return `${head}.${c.seal(Buffer.from(plain, 'utf8'), additional(head, aad))}`;
    },
    async open(sealed, aad) {
      const { alg, id, rest } = parse(sealed);
      const c = await dataCipher(id);
      if (c.algorithm !== alg) throw new FieldCipherError('the ciphertext names another algorithm than its key');
      try {
        return c.open(rest, additional(header(alg, id), aad)).toString('utf8');
      } catch {
        throw new FieldCipherError(`the value does not open for ${aad} (changed, or another column's)`);
      }
    },
    blindIndex(kind, value) {
      let mac = kindKeys.get(kind);
      if (!mac)
        kindKeys.set(
          kind,
          (mac = keyedMac(
            indexHash,
            createHmac(indexHash, indexSecret).update(`tongban blind index\n${module}\n${kind}`).digest(),
          )),
        );
      return mac(value).toString('base64url');
    },
    async reseal(sealed, aad) {
      const { id } = parse(sealed);
      if (id === active.id) return undefined;
      return cipher.seal(await cipher.open(sealed, aad), aad);
    },
    isSealed,
  };

  const rotate = async (expected?: string): Promise<string> => {
    const secret = randomBytes(KEY_BYTES[algorithm]);
    await db.transaction().execute(async (trx) => {
      const retired = await sql`
        update ${table} set retired_at = ${now().toISOString()}
         where purpose = 'data' and retired_at is null ${expected ? sql`and id = ${expected}` : sql``}`.execute(trx);
      // Another replica rotated first: keep its key.
      if (expected && Number(retired.numAffectedRows ?? 0) === 0) return;
      await insertKey(trx, 'data', algorithm, secret);
    });
    const row = await ensure('data');
    await dataCipher(row.id, row);
    active = row;
    return row.id;
  };

  return {
    module,
    cipher,
    activeDataKey: () => active.id,
    rotateDataKey: () => rotate(),
    async rewrap() {
      const stale = (
        await sql<KeyRow>`select * from ${table} where master_key_id <> ${keys.currentKeyId} order by created_at`.execute(
          db,
        )
      ).rows;
      let rewrapped = 0;
      for (const row of stale) {
        if (!keys.has(row.master_key_id)) continue;
        const secret = await unwrapRow(row);
        const wrapped = await keys.wrap(secret, wrapContext(module, row));
        const updated = await sql`
          update ${table} set wrapped = ${wrapped}, master_key_id = ${keys.currentKeyId}
           where id = ${row.id} and master_key_id = ${row.master_key_id}`.execute(db);
        rewrapped += Number(updated.numAffectedRows ?? 0);
      }
      const left = await sql<{
        n: number;
      }>`select count(*)::int as n from ${table} where master_key_id <> ${keys.currentKeyId}`.execute(db);
      return { rewrapped, remaining: Number(left.rows[0]!.n) };
    },
    async refresh() {
      const row = await ensure('data');
      const age = now().getTime() - new Date(row.created_at).getTime();
      const tooOld = options.maxAgeDays !== undefined && age > options.maxAgeDays * 86_400_000;
      if (row.algorithm !== algorithm || tooOld) {
        await rotate(row.id);
        return;
      }
      if (row.id !== active.id) {
        await dataCipher(row.id, row);
        active = row;
      }
    },
  };
}
