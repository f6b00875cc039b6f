// Plain-SQL migrations, one folder per module, applied in file-name order inside one transaction
// each and recorded in tongban.schema_migrations with a checksum: a landed migration is never
// edited, and a changed one stops the start instead of silently diverging.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { AnyKysely } from './database.ts';

export interface MigrationSource {
  /** The module (and PostgreSQL schema) the migrations belong to. */
  readonly module: string;
  readonly files: readonly { name: string; sql: string }[];
}

export interface AppliedMigration {
  module: string;
  name: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function readMigrations(module: string, dir: URL | undefined): MigrationSource {
  if (!dir) return { module, files: [] };
  const path = fileURLToPath(dir);
  const names = readdirSync(path)
    .filter((n) => n.endsWith('.sql'))
    .sort();
  return { module, files: names.map((name) => ({ name, sql: readFileSync(`${path}/${name}`, 'utf8') })) };
}

const checksum = (text: string) => createHash('sha256').update(text).digest('hex');

export async function migrate(db: AnyKysely, sources: readonly MigrationSource[]): Promise<AppliedMigration[]> {
  // Replicas starting together on an empty database take turns, even to create the ledger table.
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('tongban.migrate'))`.execute(trx);
    await sql`create schema if not exists tongban`.execute(trx);
    await sql`create table if not exists tongban.schema_migrations (
      module text not null, name text not null, checksum text not null,
      applied_at timestamptz not null default now(), primary key (module, name))`.execute(trx);
  });
  const applied: AppliedMigration[] = [];
  for (const source of sources) {
    for (const file of source.files) {
      const done = await db.transaction().execute(async (trx) => {
        // Several replicas may start at once; one applies, the others wait and then skip.
        await sql`select pg_advisory_xact_lock(hashtext('tongban.migrate'))`.execute(trx);
        const row = await trx
          .selectFrom('tongban.schema_migrations')
          .select('checksum')
          .where('module', '=', source.module)
          .where('name', '=', file.name)
          .executeTakeFirst();
        if (row) {
          if (row.checksum !== checksum(file.sql)) {
            throw new MigrationError(
              `migration ${source.module}/${file.name} was edited after it was applied; add a new migration instead`,
            );
          }
          return false;
        }
        await sql.raw(`create schema if not exists ${quoteIdent(source.module)}`).execute(trx);
        try {
          await sql.raw(file.sql).execute(trx);
        } catch (error) {
          throw new MigrationError(`migration ${source.module}/${file.name} failed: ${(error as Error).message}`);
        }
        await trx
          .insertInto('tongban.schema_migrations')
          .values({ module: source.module, name: file.name, checksum: checksum(file.sql) })
          .execute();
        return true;
      });
      if (done) applied.push({ module: source.module, name: file.name });
    }
  }
  return applied;
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a safe identifier: ${name}`);
  return `"${name}"`;
}
