// `tongban ledger verify` against a log someone with database access tampered with: an entry
// edited, deleted, inserted or moved is found at its exact position; the intact log is reported
// with its size and root — from the database and from a running server's API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { AnyKysely } from '@tongban/kernel';
import { databaseLabel, operatorHeaders, testPostgresUrl } from '@tongban/kernel/testing';
import { databaseSource, describeVerdict, httpSource, verifyLog, type Verdict } from '@tongban/ledger';
import { sql } from 'kysely';
import { ledgerVerify } from '../../src/ledger-verify.ts';
import { ledgerFor, settle, startLedger, type Harness } from './fixtures.ts';

const ENTRIES = 40;
const TRIGGERS = ['entry_append_only', 'node_append_only'];

class Rollback extends Error {}

function runCli(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe(`ledger verify (${databaseLabel})`, () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await startLedger({ env: { TONGBAN_PORT: '0' } });
    base = await h.p.listen();
    for (let i = 0; i < ENTRIES; i++) {
      const r = await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), {
        actor: { kind: 'service', id: 'registry' },
        action: 'datahub.record.read',
        subject: { kind: 'account', id: `c-${i % 7}` },
        resource: { record: `r-${i}` },
        purpose: 'verification',
        outcome: 'success',
      });
      assert.equal(r.status, 201);
      if (i % 9 === 8) await ledgerFor(h).checkpointAll(true); // several checkpoints along the way
    }
    await settle(h);
  });
  after(() => h.p.dispose());

  /** Tampers inside a transaction, verifies what that transaction sees, and rolls it all back. */
  async function verdictAfter(tamper: (trx: AnyKysely) => Promise<void>): Promise<Verdict> {
    let verdict: Verdict | undefined;
    await h.p.database.db
      .transaction()
      .execute(async (trx) => {
        for (const t of TRIGGERS)
          await sql
            .raw(`alter table ledger.${t.startsWith('entry') ? 'entry' : 'node'} disable trigger ${t}`)
            .execute(trx);
        await tamper(trx);
        const source = databaseSource(trx);
        const log = (await source.logs()).find((l) => l.id === 'audit')!;
        verdict = await verifyLog(source, log);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    return verdict!;
  }

  const body = async (trx: AnyKysely, idx: number) =>
    (await sql<{ body: string }>`select body from ledger.entry where log_id = 'audit' and idx = ${idx}`.execute(trx))
      .rows[0]!.body;

  test('an untouched log is intact, with its size, root and every checkpoint', async () => {
    const verdict = await verdictAfter(async () => {});
    assert.equal(verdict.intact, true, JSON.stringify(verdict));
    const log = await ledgerFor(h).getLog('audit');
    assert.ok(
      verdict.intact && verdict.size === Number(log.size) && verdict.root === Buffer.from(log.root).toString('hex'),
    );
    assert.ok(verdict.intact && verdict.checkpoints >= 5 && verdict.cosignatures === verdict.checkpoints);
  });

  for (const at of [0, 17, ENTRIES - 1]) {
    test(`an edited entry is found at its position (${at})`, async () => {
      const verdict = await verdictAfter(async (trx) => {
        const edited = (await body(trx, at)).replace('"success"', '"failure"');
        await sql`update ledger.entry set body = ${edited} where log_id = 'audit' and idx = ${at}`.execute(trx);
      });
      assert.deepEqual([verdict.intact, !verdict.intact && verdict.position], [false, at], JSON.stringify(verdict));
    });
  }

  test('a deleted entry is found at its position, in the middle and at the end', async () => {
    for (const at of [12, ENTRIES - 1]) {
      const verdict = await verdictAfter(async (trx) => {
        await sql`delete from ledger.entry where log_id = 'audit' and idx = ${at}`.execute(trx);
      });
      assert.equal(!verdict.intact && verdict.position, at, JSON.stringify(verdict));
      assert.match(!verdict.intact ? verdict.problem : '', /missing/);
    }
  });

  test('an inserted entry is found where it was put', async () => {
    const at = 21;
    const verdict = await verdictAfter(async (trx) => {
      // Make room: every later entry moves up one place, then a new one goes in.
      await sql`update ledger.entry set idx = idx + 1000000 where log_id = 'audit' and idx >= ${at}`.execute(trx);
      await sql`update ledger.entry set idx = idx - 999999 where log_id = 'audit' and idx >= 1000000`.execute(trx);
      await sql`insert into ledger.entry (log_id, idx, body, subject_id, appended_at) select log_id, ${at}, body, subject_id, appended_at from ledger.entry where log_id = 'audit' and idx = 3`.execute(
        trx,
      );
    });
    assert.equal(!verdict.intact && verdict.position, at, JSON.stringify(verdict));
    const atEnd = await verdictAfter(async (trx) => {
      await sql`insert into ledger.entry (log_id, idx, body, subject_id, appended_at) select log_id, (select size from ledger.log where id = 'audit'), body, subject_id, appended_at from ledger.entry where log_id = 'audit' and idx = 3`.execute(
        trx,
      );
    });
    assert.match(!atEnd.intact ? atEnd.problem : '', /beyond the log's size/);
  });

  test('two entries swapped are found at the first of them', async () => {
    const verdict = await verdictAfter(async (trx) => {
      const [a, c] = [await body(trx, 30), await body(trx, 31)];
      await sql`update ledger.entry set body = ${c} where log_id = 'audit' and idx = 30`.execute(trx);
      await sql`update ledger.entry set body = ${a} where log_id = 'audit' and idx = 31`.execute(trx);
    });
    assert.equal(!verdict.intact && verdict.position, 30, JSON.stringify(verdict));
  });

  test('an entry rewritten with its stored leaf hash still breaks the signed root, and the range is named', async () => {
    const verdict = await verdictAfter(async (trx) => {
      const edited = (await body(trx, 25)).replace('"success"', '"denied"');
      const { createHash } = await import('node:crypto');
      const leaf = createHash('sha256')
        .update(Buffer.from([0]))
        .update(edited)
        .digest();
      await sql`update ledger.entry set body = ${edited} where log_id = 'audit' and idx = 25`.execute(trx);
      await sql`update ledger.node set hash = ${leaf} where log_id = 'audit' and level = 0 and idx = 25`.execute(trx);
    });
    assert.equal(verdict.intact, false);
    assert.match(
      !verdict.intact ? verdict.problem : '',
      /between (18|2[0-5]) and (2[5-9]|3\d)/,
      JSON.stringify(verdict),
    );
  });

  test('a stored subtree hash that no longer matches its leaves is found (proofs are built from them)', async () => {
    const verdict = await verdictAfter(async (trx) => {
      await sql`update ledger.node set hash = ${Buffer.alloc(32, 9)} where log_id = 'audit' and level = 2 and idx = 3`.execute(
        trx,
      );
    });
    assert.match(!verdict.intact ? verdict.problem : '', /subtree hash 2\/3/, JSON.stringify(verdict));
  });

  test('removed checkpoints, an altered log root and keys the verifier does not trust are all refused', async () => {
    const gone = await verdictAfter(async (trx) => {
      await sql.raw('alter table ledger.checkpoint disable trigger checkpoint_append_only').execute(trx);
      await sql`delete from ledger.cosignature`.execute(trx);
      await sql`delete from ledger.checkpoint`.execute(trx);
    });
    assert.match(!gone.intact ? gone.problem : '', /no checkpoint/);
    const root = await verdictAfter(async (trx) => {
      await sql`update ledger.log set root = ${Buffer.alloc(32, 1)} where id = 'audit'`.execute(trx);
    });
    assert.match(!root.intact ? root.problem : '', /root the log records/);
    const log = await ledgerFor(h).getLog('audit');
    const pinned = (flags: Record<string, unknown>) =>
      ledgerVerify({ url: base, log: 'audit', ...flags }, () => undefined);
    const witness = ledgerFor(h).witness;
    assert.equal(
      await pinned({
        'log-key': `ed25519:${log.public_key}`,
        'witness-key': [`${witness.name}=ed25519:${witness.publicKey.key}`],
      }),
      0,
    );
    const stranger = 'ed25519:' + Buffer.alloc(32, 5).toString('base64');
    assert.equal(await pinned({ 'log-key': stranger }), 1, 'a log signed with another key than the one pinned');
    assert.equal(
      await pinned({ 'witness-key': [`someone-else=${stranger}`] }),
      1,
      'not co-signed by a witness the verifier trusts',
    );
  });

  test('the application cannot empty, shrink or remove the log; wiped by an administrator, a pinned witness still refuses it', async () => {
    const db = h.p.database.db;
    for (const statement of [
      'truncate ledger.entry cascade',
      'truncate ledger.node',
      'truncate ledger.checkpoint cascade',
      "update ledger.log set size = 0 where id = 'audit'",
      "delete from ledger.log where id = 'audit'",
    ]) {
      await assert.rejects(
        db.transaction().execute((trx) => sql.raw(statement).execute(trx)),
        /append-only/,
        statement,
      );
    }
    const witness = ledgerFor(h).witness;
    let verdict: Verdict | undefined;
    await db
      .transaction()
      .execute(async (trx) => {
        // Someone who can drop the guards empties everything and sets the log back to nothing.
        await sql.raw('set local session_replication_role = replica').execute(trx);
        await sql
          .raw(
            'delete from ledger.cosignature; delete from ledger.checkpoint; delete from ledger.node; delete from ledger.entry',
          )
          .execute(trx);
        await sql`update ledger.log set size = 0, root = ${createHash('sha256').digest()} where id = 'audit'`.execute(
          trx,
        );
        const source = databaseSource(trx);
        const log = (await source.logs()).find((l) => l.id === 'audit')!;
        assert.equal(
          (await verifyLog(source, log)).intact,
          true,
          'to a verifier that trusts what it reads, an empty log is whole',
        );
        verdict = await verifyLog(source, log, { witnessKeys: new Map([[witness.name, witness.publicKey]]) });
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    assert.equal(verdict!.intact, false, JSON.stringify(verdict));
    assert.match(
      !verdict!.intact ? verdict!.problem : '',
      /no checkpoint carries a co-signature of a witness you trust/,
    );
    assert.match(
      describeVerdict(verdict!),
      /^ledger audit: UNVERIFIED — /,
      'said as what it is: nothing vouches for it, not a position found changed',
    );
  });

  test('the command: intact over the API and, on PostgreSQL, from the database; then tampered, naming the position', async () => {
    const lines: string[] = [];
    assert.equal(await ledgerVerify({ url: base, log: 'audit' }, (l) => lines.push(l)), 0, lines.join('\n'));
    assert.match(
      lines[0]!,
      /^ledger audit: intact — \d+ entries, root [0-9a-f]{64}, \d+ checkpoints verified \(\d+ witness co-signatures\)/,
    );
    if (testPostgresUrl) {
      lines.length = 0;
      assert.equal(
        await ledgerVerify({ database: h.p.config.databaseUrl!, log: 'audit' }, (l) => lines.push(l)),
        0,
        lines.join('\n'),
      );
      assert.match(lines[0]!, /intact/);
    }
    // Committed tampering this time, as an intruder would leave it.
    await sql.raw('alter table ledger.entry disable trigger entry_append_only').execute(h.p.database.db);
    const edited = (await body(h.p.database.db, 33)).replace('"verification"', '"marketing"');
    await sql`update ledger.entry set body = ${edited} where log_id = 'audit' and idx = 33`.execute(h.p.database.db);
    lines.length = 0;
    assert.equal(await ledgerVerify({ url: base }, (l) => lines.push(l)), 1);
    assert.ok(
      lines.some((l) => /^ledger audit: TAMPERED at position 33 — entry 33 does not match its leaf hash/.test(l)),
      lines.join('\n'),
    );
    if (testPostgresUrl) {
      lines.length = 0;
      assert.equal(await ledgerVerify({ database: h.p.config.databaseUrl! }, (l) => lines.push(l)), 1);
      assert.ok(
        lines.some((l) => l.includes('TAMPERED at position 33')),
        lines.join('\n'),
      );
    }
    await assert.rejects(ledgerVerify({}), /exactly one of --url/);

    // And the command itself, as an auditor runs it.
    const bin = fileURLToPath(new URL('../../bin/tongban.js', import.meta.url));
    const tampered = await runCli(bin, ['ledger', 'verify', '--url', base]);
    assert.equal(tampered.code, 1, tampered.stderr);
    assert.match(tampered.stdout, /ledger audit: TAMPERED at position 33/);
    const usage = await runCli(bin, ['ledger', 'check']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /usage: tongban ledger verify/);
  });
});

describe(`ledger verify against a server still writing (${databaseLabel})`, () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await startLedger({ env: { TONGBAN_PORT: '0' } });
    base = await h.p.listen();
  });
  after(() => h.p.dispose());

  const append = async (i: number) =>
    assert.equal(
      (
        await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), {
          actor: { kind: 'service', id: 'registry' },
          action: 'datahub.record.read',
          subject: null,
          resource: { record: `r-${i}` },
          purpose: 'verification',
          outcome: 'success',
        })
      ).status,
      201,
    );

  test('entries and checkpoints added while the verifier reads are not taken for tampering', async () => {
    for (let i = 0; i < 10; i++) await append(i);
    await settle(h);
    // Between the verifier's first look at the log and its reading of the checkpoints, the
    // server appends and signs a new checkpoint — as a live server does every second.
    let grown = false;
    const live: typeof fetch = async (input, init) => {
      if (!grown && String(input).includes('/checkpoints')) {
        grown = true;
        for (let i = 10; i < 15; i++) await append(i);
        await ledgerFor(h).checkpointAll(true);
      }
      return fetch(input, init);
    };
    const source = httpSource(base, live);
    const log = (await source.logs()).find((l) => l.id === 'audit')!;
    const verdict = await verifyLog(source, log);
    assert.ok(grown);
    assert.equal(verdict.intact, true, JSON.stringify(verdict));
    assert.ok(verdict.intact && verdict.size >= 15);
  });
  test('an entry past the last checkpoint rewritten with its leaf hash is named within its stored subtree', async () => {
    for (let i = 15; i < 20; i++) await append(i);
    await ledgerFor(h).sequencer.kick(); // sequenced, no checkpoint yet
    let verdict: Verdict | undefined;
    await h.p.database.db
      .transaction()
      .execute(async (trx) => {
        for (const t of TRIGGERS)
          await sql
            .raw(`alter table ledger.${t.startsWith('entry') ? 'entry' : 'node'} disable trigger ${t}`)
            .execute(trx);
        const size = Number(
          (await sql<{ size: number }>`select size from ledger.log where id = 'audit'`.execute(trx)).rows[0]!.size,
        );
        const at = size - 2;
        const edited = (
          await sql<{ body: string }>`select body from ledger.entry where log_id = 'audit' and idx = ${at}`.execute(trx)
        ).rows[0]!.body.replace('"success"', '"denied"');
        const { createHash } = await import('node:crypto');
        await sql`update ledger.entry set body = ${edited} where log_id = 'audit' and idx = ${at}`.execute(trx);
        await sql`update ledger.node set hash = ${createHash('sha256')
          .update(Buffer.from([0]))
          .update(edited)
          .digest()} where log_id = 'audit' and level = 0 and idx = ${at}`.execute(trx);
        const source = databaseSource(trx);
        verdict = await verifyLog(
          source,
          (await source.logs()).find((l) => l.id === 'audit')!,
        );
        assert.ok(
          !verdict.intact && verdict.position !== null && verdict.position <= at && at <= verdict.position + 1,
          JSON.stringify(verdict),
        );
        assert.match(verdict.intact ? '' : verdict.problem, /subtree hash 1\//);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    assert.ok(verdict);
  });
});
