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
  /**
   * A handle that runs as `role` (PostgreSQL: its own pool, each connection started with
   * `-c role=<role>`), made once and closed with the database. The embedded database has one
   * user: there it is `db` itself.
   */
  as(role: string): AnyKysely;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; unset means the embedded database. */
  url?: string | undefined;
  /** Where the embedded database keeps its files; unset means in memory (tests). */
  embeddedDir?: string | undefined;
  poolSize?: number;
  /** Where a lost connection is reported (it is never allowed to crash the process). */
  onConnectionError?: (error: Error) => void;
}

/**
 * Errors meaning the database went away (killed backend, reset or refused connection, server
 * shutting down), not that the statement was wrong: the request is 503, retried later, never
 * 500. SQLSTATE classes 08 (connection exception) and 57P (operator intervention), 53300 (too
 * many connections), node's socket errors, and pg's own messages for a dead connection.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (/^08...$/.test(code) ||
      /^57P0[1-4]$/.test(code) ||
      code === '53300' ||
      [
        'ECONNRESET',
        'ECONNREFUSED',
        'ETIMEDOUT',
        'EPIPE',
        'EHOSTUNREACH',
        'ENETUNREACH',
        'ENOTFOUND',
        'EAI_AGAIN',
      ].includes(code))
  )
    return true;
  return /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Cannot use a pool after calling end)/.test(
    error.message,
  );
}

/**
 * Named prepared statements for the statements a process runs again and again. Without them
 * PostgreSQL parses and plans every statement afresh (~30 % of its CPU under the submission
 * load); with a name, each connection parses a statement once and later only binds and executes
 * it. A statement with parameters is named the second time this process sees its text (so that
 * one-off statements do not use up the room), up to PER_CONNECTION names on a connection and
 * TEXTS texts remembered; the rest run as before. Statements without parameters (transaction
 * control, migrations, which may hold several commands) are never named.
 */
export const PREPARED = { TEXTS: 2_000, PER_CONNECTION: 500 } as const;

export function prepareHotStatements(
  client: pg.PoolClient | pg.Client,
  seen: Map<string, { count: number; name: string }>,
): void {
  const prepared = new Set<string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || args.length !== 2)
      return query(...args);
    let entry = seen.get(text);
    if (!entry) {
      if (seen.size < PREPARED.TEXTS) seen.set(text, (entry = { count: 0, name: `tb_${seen.size.toString(36)}` }));
      else return query(...args);
    }
    entry.count++;
    if (entry.count < 2 || (!prepared.has(entry.name) && prepared.size >= PREPARED.PER_CONNECTION))
      return query(...args);
    prepared.add(entry.name);
    return query({ name: entry.name, text, values });
  };
}

const INT8 = 20;
const DATE = 1082;
const toNumber = (value: string) => Number(value);
const keepString = (value: string) => value;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let db: AnyKysely;
  let kind: Database['kind'];
  let poolAs: ((role: string) => AnyKysely) | undefined;
  if (options.url) {
    kind = 'postgres';
    const url = options.url;
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? toNumber : oid === DATE ? keepString : pg.types.getTypeParser(oid, format as 'text'),
    };
    const newPool = (role?: string) =>
      new pg.Pool({
        connectionString: url,
        max: options.poolSize ?? 10,
        // The role is set as the connection starts: no statement of the handle runs as anyone else.
        ...(role ? { options: `-c role=${role}` } : {}),
        types: types as pg.CustomTypesConfig,
        // A partition must not leave requests waiting for a connection forever; keep-alive probes
        // (after 10 s idle, not the OS's 2 h) find a silently dropped one.
        connectionTimeoutMillis: 10_000,
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
      });
    const report = options.onConnectionError ?? (() => undefined);
    const kysely = (role?: string) => {
      const pool = newPool(role);
      // A broken idle client is dropped by the pool; queries report their own errors.
      pool.on('error', report);
      // A checked-out client between statements has no query to hand its error to: without a
      // listener its 'error' event is unhandled and kills the process (pg_terminate_backend, a
      // proxy resetting the connection). The pool discards it on release (not queryable).
      const seen = new Map<string, { count: number; name: string }>();
      pool.on('connect', (client) => {
        client.on('error', report);
        prepareHotStatements(client, seen);
      });
      return new Kysely({ dialect: new PostgresDialect({ pool }) });
    };
    db = kysely();
    poolAs = (role) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`not a role name: ${role}`);
      return kysely(role);
    };
  } else {
    kind = 'embedded';
    if (options.embeddedDir) mkdirSync(options.embeddedDir, { recursive: true });
    const pglite = new PGlite(options.embeddedDir, { parsers: { [INT8]: toNumber, [DATE]: keepString } });
    db = new Kysely({ dialect: new PGliteDialect(pglite) });
  }
  const handles = new Map<string, AnyKysely>();
  const database: Database = {
    kind,
    db,
    as(role) {
      if (!poolAs) return db;
      let handle = handles.get(role);
      if (!handle) handles.set(role, (handle = poolAs(role)));
      return handle;
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      for (const handle of handles.values()) await handle.destroy();
      await db.destroy();
    },
  };
  await database.ping();
  return database;
}

export function embeddedDirFor(dataDir: string): string {
  return join(dataDir, 'pg');
}

/**
 * A unique constraint refused the write (SQLSTATE 23505) — two requests raced for one key, and
 * the database let one through. With `constraint`, only a violation of that constraint (its
 * name, as PostgreSQL reports it: `<table>_<columns>_key` unless named in the migration).
 * The same on PGlite and PostgreSQL.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof Error)) return false;
  const { code, constraint: name } = error as { code?: unknown; constraint?: unknown };
  if (code !== '23505') return false;
  if (constraint === undefined) return true;
  // PGlite reports the name only in the message: duplicate key value violates unique constraint "…".
  return name === constraint || error.message.includes(`"${constraint}"`);
}
