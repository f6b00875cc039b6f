// Migrations: applied in module dependency order, each file once and all or nothing, recorded
// with a checksum so that a landed migration edited afterwards stops the start.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type AnyKysely } from '../src/db/database.ts';
import { MigrationError, migrate, type MigrationSource } from '../src/db/migrations.ts';
import { defineModule, orderModules } from '../src/module.ts';
import { migrationSources } from '../src/platform.ts';
import { createTestDatabase, databaseLabel } from '../src/testing.ts';

const fixture = (folder: string) => new URL(`./fixtures/${folder}/`, import.meta.url);

const registry = defineModule({
  name: 'registry',
  title: { zh: '登记', en: 'Registry' },
  migrations: fixture('registry-migrations'),
});
const permits = defineModule({
  name: 'permits',
  title: { zh: '许可', en: 'Permits' },
  dependsOn: ['registry'],
  migrations: fixture('permits-migrations'),
});

async function withDatabase(run: (db: AnyKysely) => Promise<void>): Promise<void> {
  const testDb = await createTestDatabase();
  const database = await openDatabase({ url: testDb.url });
  try {
    await run(database.db);
  } finally {
    await database.close();
    await testDb.drop();
  }
}

async function recorded(db: AnyKysely): Promise<string[]> {
  const rows = await db
    .selectFrom('tongban.schema_migrations')
    .select(['module', 'name'])
    .orderBy('module')
    .orderBy('name')
    .execute();
  return rows.map((r) => `${r.module}/${r.name}`);
}

async function tableExists(db: AnyKysely, qualified: string): Promise<boolean> {
  const { rows } = await sql<{ found: string | null }>`select to_regclass(${qualified})::text as found`.execute(db);
  return rows[0]?.found != null;
}

describe('module order', () => {
  test('a module comes after the modules it depends on, whatever order they are listed in', () => {
    const a = defineModule({ name: 'alpha', title: { zh: '甲', en: 'A' }, dependsOn: ['gamma'] });
    const b = defineModule({ name: 'beta', title: { zh: '乙', en: 'B' }, dependsOn: ['alpha', 'gamma'] });
    const c = defineModule({ name: 'gamma', title: { zh: '丙', en: 'C' } });
    assert.deepEqual(
      orderModules([b, a, c]).map((m) => m.name),
      ['gamma', 'alpha', 'beta'],
    );
  });

  test('a dependency on a module not loaded here is ignored (it runs in another process)', () => {
    assert.deepEqual(
      orderModules([permits]).map((m) => m.name),
      ['permits'],
    );
  });

  test('a dependency cycle is refused, naming the path around it', () => {
    const a = defineModule({ name: 'alpha', title: { zh: '甲', en: 'A' }, dependsOn: ['beta'] });
    const b = defineModule({ name: 'beta', title: { zh: '乙', en: 'B' }, dependsOn: ['gamma'] });
    const c = defineModule({ name: 'gamma', title: { zh: '丙', en: 'C' }, dependsOn: ['alpha'] });
    assert.throws(() => orderModules([a, b, c]), /module dependency cycle: alpha → beta → gamma → alpha/);
  });

  test('a module listed twice is refused', () => {
    assert.throws(() => orderModules([registry, registry]), /listed twice/);
  });
});

describe(`migrations (${databaseLabel})`, () => {
  test('modules migrate in dependency order, are recorded, and a second run applies nothing', async () => {
    await withDatabase(async (db) => {
      const applied = await migrate(db, migrationSources([permits, registry]));
      assert.deepEqual(
        applied.map((a) => `${a.module}/${a.name}`),
        [
          'registry/0000-kernel-bus.sql',
          'registry/0000-kernel-keys.sql',
          'registry/0001_person.sql',
          'registry/0002_person_region.sql',
          'permits/0000-kernel-bus.sql',
          'permits/0000-kernel-keys.sql',
          'permits/0001_permit.sql',
        ],
      );
      assert.deepEqual(await recorded(db), [
        'permits/0000-kernel-bus.sql',
        'permits/0000-kernel-keys.sql',
        'permits/0001_permit.sql',
        'registry/0000-kernel-bus.sql',
        'registry/0000-kernel-keys.sql',
        'registry/0001_person.sql',
        'registry/0002_person_region.sql',
      ]);
      assert.ok(await tableExists(db, 'permits.permit'));
      assert.ok(await tableExists(db, 'registry.outbox'), 'each module gets the kernel bus tables in its own schema');

      assert.deepEqual(await migrate(db, migrationSources([permits, registry])), [], 'the second run applies nothing');
      assert.equal((await recorded(db)).length, 7);
    });
  });

  test('a new file added to a module is applied on the next run, and only it', async () => {
    await withDatabase(async (db) => {
      const first: MigrationSource = {
        module: 'growing',
        files: [{ name: '0001_a.sql', sql: 'create table growing.a (id int)' }],
      };
      await migrate(db, [first]);
      const later: MigrationSource = {
        module: 'growing',
        files: [...first.files, { name: '0002_b.sql', sql: 'create table growing.b (id int)' }],
      };
      assert.deepEqual(await migrate(db, [later]), [{ module: 'growing', name: '0002_b.sql' }]);
    });
  });

  test('a migration edited after it was applied stops the run with a MigrationError naming module and file', async () => {
    await withDatabase(async (db) => {
      await migrate(db, [
        { module: 'edited', files: [{ name: '0001_case.sql', sql: 'create table edited.case_file (id int)' }] },
      ]);
      const edited: MigrationSource = {
        module: 'edited',
        files: [
          { name: '0001_case.sql', sql: 'create table edited.case_file (id int, status text)' },
          { name: '0002_next.sql', sql: 'create table edited.next (id int)' },
        ],
      };
      await assert.rejects(migrate(db, [edited]), (error: unknown) => {
        assert.ok(error instanceof MigrationError);
        assert.match(error.message, /edited\/0001_case\.sql/);
        assert.match(error.message, /edited after it was applied/);
        return true;
      });
      assert.equal(await tableExists(db, 'edited.next'), false, 'nothing after the edited file runs');
    });
  });

  test('a failing migration leaves nothing of its file behind, and earlier files stay applied', async () => {
    await withDatabase(async (db) => {
      const source: MigrationSource = {
        module: 'broken',
        files: [
          { name: '0001_kept.sql', sql: 'create table broken.kept (id int primary key);' },
          // The first statement succeeds; the second fails at run time, after it.
          { name: '0002_half.sql', sql: 'create table broken.half (id int);\ninsert into broken.missing values (1);' },
          { name: '0003_after.sql', sql: 'create table broken.after (id int);' },
        ],
      };
      await assert.rejects(migrate(db, [source]), (error: unknown) => {
        assert.ok(error instanceof MigrationError);
        assert.match(error.message, /broken\/0002_half\.sql failed/);
        assert.match(error.message, /broken\.missing/);
        return true;
      });
      assert.equal(await tableExists(db, 'broken.half'), false, "the file's first statement was rolled back");
      assert.equal(await tableExists(db, 'broken.after'), false, 'later files did not run');
      assert.ok(await tableExists(db, 'broken.kept'), 'the earlier file stays applied');
      assert.deepEqual(await recorded(db), ['broken/0001_kept.sql']);

      const fixed: MigrationSource = {
        module: 'broken',
        files: [
          source.files[0]!,
          { name: '0002_half.sql', sql: 'create table broken.half (id int);' },
          source.files[2]!,
        ],
      };
      assert.deepEqual(
        (await migrate(db, [fixed])).map((a) => a.name),
        ['0002_half.sql', '0003_after.sql'],
        'once fixed, the run resumes where it stopped',
      );
    });
  });

  test('migrations run one at a time when several processes start together', async () => {
    await withDatabase(async (db) => {
      const sources = migrationSources([registry, permits]);
      const runs = await Promise.all([migrate(db, sources), migrate(db, sources), migrate(db, sources)]);
      assert.equal(runs.flat().length, 7, 'each file is applied by exactly one of the runs');
      assert.equal((await recorded(db)).length, 7);
    });
  });
});
