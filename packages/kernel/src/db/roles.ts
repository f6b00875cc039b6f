// A database role per module (PostgreSQL): `tongban_<module>` owns the module's schema and
// everything in it and has no rights on any other module's schema, and the module's database
// handle runs as it. A query from one module into another's tables fails at the database
// (42501 permission denied), whatever the code compiles to. The connecting user creates the
// roles and is granted them; the kernel's own handle (migrations, the bus's relay and deliveries)
// stays the connecting user. The embedded database (PGlite) has one user: no roles there.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { AnyKysely } from './database.ts';
import { quoteIdent } from './migrations.ts';

export const moduleRole = (module: string): string => `tongban_${module}`;

const INSUFFICIENT_PRIVILEGE = '42501';
const DUPLICATE_OBJECT = '42710';
const UNIQUE_VIOLATION = '23505';

/**
 * Creates each module's role if missing, grants it to the connecting user, and makes it the
 * owner of the module's schema and every table, sequence, view and function in it (new objects
 * from this start's migrations included). Under the migrations' lock: replicas take turns.
 * Returns false (with a warning) when the connecting user may not create roles: the modules
 * then share the connecting user's rights, as before.
 */
export async function scopeModuleSchemas(db: AnyKysely, modules: readonly string[], log: Logger): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('tongban.migrate'))`.execute(trx);
      for (const module of modules) {
        const schema = quoteIdent(module);
        const role = quoteIdent(moduleRole(module));
        const exists = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_roles where rolname = ${moduleRole(module)}`.execute(trx);
        if (exists.rows[0]!.n === 0) {
          // Roles are the cluster's, not the database's: another database's start may create it meanwhile.
          await sql.raw(`savepoint create_role`).execute(trx);
          try {
            await sql.raw(`create role ${role} nologin`).execute(trx);
            await sql.raw(`release savepoint create_role`).execute(trx);
          } catch (error) {
            const code = (error as { code?: string }).code;
            if (code !== DUPLICATE_OBJECT && code !== UNIQUE_VIOLATION) throw error;
            await sql.raw(`rollback to savepoint create_role`).execute(trx);
          }
        }
        await sql.raw(`grant ${role} to current_user`).execute(trx);
        await sql.raw(`create schema if not exists ${schema}`).execute(trx);
        await sql.raw(`alter schema ${schema} owner to ${role}`).execute(trx);
        await sql.raw(`revoke all on schema ${schema} from public`).execute(trx);
        const owned = await sql<{ kind: string; name: string; args: string | null }>`
          select case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view' else 'table' end as kind,
                 c.relname as name, null as args
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = ${module} and c.relkind in ('r', 'p', 'v', 'm', 'S')
             and pg_get_userbyid(c.relowner) <> ${moduleRole(module)}
             -- a sequence owned by a column moves with its table
             and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')))
          union all
          select 'function', p.proname, pg_get_function_identity_arguments(p.oid)
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = ${module} and pg_get_userbyid(p.proowner) <> ${moduleRole(module)}`.execute(trx);
        for (const object of owned.rows) {
          const name = `${schema}.${quoteName(object.name)}`;
          const target = object.kind === 'function' ? `${name}(${object.args ?? ''})` : name;
          await sql.raw(`alter ${object.kind} ${target} owner to ${role}`).execute(trx);
        }
      }
    });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
    log.warn(
      { err: error },
      'the database user may not create roles: every module runs with its rights (grant CREATEROLE to scope each module to its schema)',
    );
    return false;
  }
}

/** A relation or function name as created by the migrations (lower case, digits, underscores). */
function quoteName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected object name ${name}`);
  return `"${name}"`;
}
