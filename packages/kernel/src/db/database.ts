// One Kysely instance per process, over the embedded PGlite (no TONGBAN_DATABASE_URL) or a real
// PostgreSQL. Both return the same JavaScript types, so no module can tell which one it runs on.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

export interface Database {
  readonly kind: 'embedded' | 'postgres';
  readonly db: AnyKysely;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; unset means the embedded database. */
  url?: string | undefined;
  /** Where the embedded database keeps its files; unset means in memory (tests). */
  embeddedDir?: string | undefined;
  poolSize?: number;
}

const INT8 = 20;
const DATE = 1082;
const toNumber = (value: string) => Number(value);
const keepString = (value: string) => value;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let db: AnyKysely;
  let kind: Database['kind'];
  if (options.url) {
    kind = 'postgres';
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? toNumber : oid === DATE ? keepString : pg.types.getTypeParser(oid, format as 'text'),
    };
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, types: types as pg.CustomTypesConfig });
    pool.on('error', () => { /* a broken idle client is dropped by the pool; queries report their own errors */ });
    db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  } else {
    kind = 'embedded';
    if (options.embeddedDir) mkdirSync(options.embeddedDir, { recursive: true });
    const pglite = new PGlite(options.embeddedDir, { parsers: { [INT8]: toNumber, [DATE]: keepString } });
    db = new Kysely({ dialect: new PGliteDialect(pglite) });
  }
  const database: Database = {
    kind,
    db,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
  await database.ping();
  return database;
}

export function embeddedDirFor(dataDir: string): string {
  return join(dataDir, 'pg');
}
