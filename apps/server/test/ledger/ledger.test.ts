// The ledger through its API: workflow steps recorded from events, direct appends with receipts,
// checkpoints co-signed by a witness that refuses a fork, the citizen's own records with proofs
// that verify, SM3/SM2 logs, and the refusals at the edge.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { operatorHeaders, databaseLabel } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import {
  checkpointText,
  hasher,
  parseCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifySignature,
} from '@tongban/ledger';
import { act, submitBirthCertificate } from '../workflow/fixtures.ts';
import { ServiceRoles } from '@tongban/contracts';
import { ledgerFor, settle, startLedger, system, type Harness } from './fixtures.ts';

const b = (s: string) => Buffer.from(s, 'base64');

describe(`ledger (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startLedger();
  });
  after(() => h.p.dispose());

  test('every workflow step is recorded; the citizen lists their entries, each proof verifies against the signed checkpoint', async () => {
    const citizen = await h.citizen('c-ledger');
    const app = await submitBirthCertificate(h, citizen);
    const officer = await h.officer('330100-WJW');
    const accepted = await act(h, officer, app.tasks[0].id, { action: 'accept', version: app.tasks[0].version });
    assert.equal(accepted.status, 200);
    await settle(h);
    const mine = await h.call('GET', '/api/ledger/me/entries', citizen);
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    const { checkpoint, entries } = mine.body;
    const actions = entries.map((e: { entry: { action: string } }) => e.entry.action).sort();
    assert.deepEqual(actions, ['workflow.application.submitted', 'workflow.task.accepted', 'workflow.task.started']);
    const log = (await h.call('GET', '/api/ledger/logs/audit', {})).body;
    const key = { algorithm: log.signatureAlgorithm, key: log.publicKey };
    assert.ok(verifySignature(key, checkpoint.body, checkpoint.signature), 'the checkpoint is signed by the log');
    const h256 = hasher('sha256');
    for (const e of entries) {
      assert.ok(
        verifyInclusion(h256, e.index, checkpoint.size, b(e.leafHash), e.proof.map(b), b(checkpoint.root)),
        `entry ${e.index}`,
      );
      assert.equal(e.entry.subject.id, mine.body.pseudonym, 'named by the pseudonym the citizen is told');
      assert.equal(e.body.includes('c-ledger'), false, 'never by account id');
      assert.equal(JSON.stringify(e.entry).includes('张'), false, 'no personal data in the ledger');
    }
    const someoneElse = (await h.call('GET', '/api/ledger/me/entries', await h.citizen('c-nobody'))).body;
    assert.deepEqual(someoneElse.entries, []);
  });

  test('a department system appends directly and gets a receipt; the inclusion proof follows with the next checkpoint', async () => {
    const entry = {
      actor: { kind: 'service', id: 'gongan-hukou' },
      action: 'datahub.record.read',
      subject: { kind: 'account', id: 'c-ledger' },
      resource: { registry: 'hukou' },
      purpose: 'birth-registration',
      outcome: 'success',
    };
    const r = await h.call(
      'POST',
      '/api/ledger/logs/audit/entries',
      await system(h, 'gongan-hukou', [ServiceRoles.ledgerAppend]),
      entry,
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const { index, leafHash } = r.body;
    const stored = (await h.call('GET', `/api/ledger/logs/audit/entries?start=${index}&end=${index + 1}`, {})).body[0];
    assert.equal(
      JSON.parse(stored.body).subject.id,
      ledgerFor(h).pseudonymOf('c-ledger'),
      'the public entry names the person by pseudonym',
    );
    assert.equal(stored.body.includes('c-ledger'), false);
    const early = await h.call('GET', `/api/ledger/logs/audit/receipts/${index}`, {});
    assert.equal(early.status, 409);
    assert.equal(early.body.code, 'LEDGER_NOT_YET_COVERED');
    await ledgerFor(h).checkpointAll(true);
    const receipt = await h.call('GET', `/api/ledger/logs/audit/receipts/${index}`, {});
    assert.equal(receipt.status, 200, JSON.stringify(receipt.body));
    assert.equal(receipt.body.leafHash, leafHash);
    assert.ok(
      verifyInclusion(
        hasher('sha256'),
        index,
        receipt.body.treeSize,
        b(leafHash),
        receipt.body.proof.map(b),
        b(receipt.body.checkpoint.root),
      ),
    );
    const asCitizen = await h.call('POST', '/api/ledger/logs/audit/entries', await h.citizen(), entry);
    assert.equal(asCitizen.status, 403);
    const asOfficer = await h.call('POST', '/api/ledger/logs/audit/entries', await h.officer('330100-GA'), entry);
    assert.equal(asOfficer.status, 403, 'an officer cannot write what the ledger says of a case');
    const unentitled = await h.call(
      'POST',
      '/api/ledger/logs/audit/entries',
      await system(h, 'some-system', ['catalog.read']),
      entry,
    );
    assert.equal(unentitled.status, 403, 'a department system needs the ledger.append role');
    assert.equal(unentitled.body.code, 'FORBIDDEN');
    assert.equal(Number((await ledgerFor(h).getLog('audit')).size), index + 1, 'the refused appends wrote nothing');
    const bad = await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), { ...entry, name: '张三' });
    assert.equal(bad.status, 400, 'unknown fields (personal data slipping in) are refused');
    for (const [field, value] of [
      ['purpose', '为张三办理出生登记'],
      ['resource', { note: '身份证 330106199001011234 张三' }],
      ['actor', { kind: 'service', id: '张三' }],
      ['subject', { kind: 'account', id: 'a\ud800' }],
    ] as const) {
      const prose = await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), {
        ...entry,
        [field]: value,
      });
      assert.equal(prose.status, 400, `${field}: codes, identifiers and digests only`);
      assert.match(prose.body.errors[0].field, new RegExp(`^body\\.${field}`));
    }
    for (const [field, value, where] of [
      ['actor', { kind: 'service', id: 'zhangsan@example.cn' }, 'body.actor.id'],
    ] as const) {
      const email = await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), {
        ...entry,
        [field]: value,
      });
      assert.equal(email.status, 400, 'an address is not an identifier');
      assert.equal(email.body.errors[0].field, where);
    }
    for (const [value, where] of [
      [{ ...entry, resource: { idNo: '330106199001011234' } }, 'body.resource.idNo'],
      [{ ...entry, actor: { kind: 'service', id: '13800000001' } }, 'body.actor.id'],
    ] as const) {
      const personal = await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), value);
      assert.equal(personal.status, 422, JSON.stringify(personal.body));
      assert.deepEqual(
        [personal.body.code, personal.body.errors[0].field, personal.body.errors[0].code],
        ['LEDGER_ENTRY_INVALID', where, 'personal_data'],
      );
    }
    const byPerson = await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), {
      ...entry,
      actor: { kind: 'citizen', id: 'c-ledger' },
    });
    assert.equal(byPerson.status, 201);
    const stored2 = (
      await h.call(
        'GET',
        `/api/ledger/logs/audit/entries?start=${byPerson.body.index}&end=${byPerson.body.index + 1}`,
        {},
      )
    ).body[0];
    assert.equal(
      JSON.parse(stored2.body).actor.id,
      ledgerFor(h).pseudonymOf('c-ledger'),
      'a person acting is named by pseudonym too',
    );
  });

  test('checkpoints are consistent with each other and co-signed by the witness', async () => {
    const checkpoints = (await h.call('GET', '/api/ledger/logs/audit/checkpoints', {})).body as {
      size: number;
      root: string;
      body: string;
      cosignatures: { witness: string; signature: string }[];
    }[];
    assert.ok(checkpoints.length >= 2);
    const witnesses = (await h.call('GET', '/api/ledger/witnesses', {})).body as {
      name: string;
      publicKey: { algorithm: 'ed25519'; key: string };
    }[];
    assert.equal(witnesses.length, 1);
    for (const c of checkpoints) {
      assert.equal(c.cosignatures.length, 1, `size ${c.size} co-signed`);
      assert.ok(verifySignature(witnesses[0]!.publicKey, c.body, c.cosignatures[0]!.signature));
    }
    // Each is also a C2SP signed note, read here by the spec alone (https://c2sp.org/signed-note):
    // text, blank line, `— <name> base64(keyid ‖ sig)` lines, keyid = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4].
    const log = (await h.call('GET', '/api/ledger/logs/audit', {})).body as { origin: string; publicKey: string };
    const signers = new Map([
      [log.origin, log.publicKey],
      [witnesses[0]!.name, witnesses[0]!.publicKey.key],
    ]);
    for (const c of checkpoints as unknown as { body: string; note: string }[]) {
      const split = c.note.lastIndexOf('\n\n');
      assert.equal(c.note.slice(0, split + 1), c.body);
      const lines = c.note
        .slice(split + 2)
        .split('\n')
        .filter((l) => l !== '');
      assert.deepEqual(
        lines.map((l) => l.split(' ')[1]),
        [log.origin, witnesses[0]!.name],
        'the log signs first, then the witness',
      );
      for (const line of lines) {
        const [dash, name, sig] = line.split(' ');
        assert.equal(dash, '\u2014');
        const raw = Buffer.from(sig!, 'base64');
        const key = Buffer.from(signers.get(name!)!, 'base64');
        assert.deepEqual(
          raw.subarray(0, 4),
          createHash('sha256')
            .update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([1]), key]))
            .digest()
            .subarray(0, 4),
        );
        const publicKey = createPublicKey({
          key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key]),
          format: 'der',
          type: 'spki',
        });
        assert.ok(cryptoVerify(null, Buffer.from(c.body), publicKey, raw.subarray(4)), `${name} signs the text`);
      }
    }
    const [first, second] = [checkpoints[0]!, checkpoints[checkpoints.length - 1]!];
    const proof = await h.call(
      'GET',
      `/api/ledger/logs/audit/proofs/consistency?first=${first.size}&second=${second.size}`,
      {},
    );
    assert.equal(proof.status, 200);
    assert.ok(
      verifyConsistency(
        hasher('sha256'),
        first.size,
        second.size,
        b(first.root),
        b(second.root),
        proof.body.proof.map(b),
      ),
    );
  });

  test('a witness refuses a checkpoint that forks the history it signed, and raises a security event', async () => {
    const l = ledgerFor(h);
    const log = await l.getLog('audit');
    const state = await h.p.database.db.selectFrom('ledger.witness_state').selectAll().executeTakeFirstOrThrow();
    // The log's own key signs another root for the size the witness stands at: an equivocating log.
    const forged = checkpointText({
      origin: log.origin,
      size: Number(state.size),
      root: Buffer.alloc(32, 7),
      time: new Date().toISOString(),
    });
    const r = await h.call(
      'POST',
      '/api/ledger/witness/cosign',
      {},
      {
        origin: log.origin,
        oldSize: Number(state.size),
        checkpoint: forged,
        signature: l.signerFor(log).sign(forged),
        proof: [],
      },
    );
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.code, 'LEDGER_WITNESS_FORK');
    // What anyone can send is refused without an alarm: a real checkpoint's successor with a junk
    // proof, an old genuine checkpoint (a replay), a checkpoint the log did not sign.
    const next = checkpointText({
      origin: log.origin,
      size: Number(state.size) + 1,
      root: Buffer.alloc(32, 7),
      time: new Date().toISOString(),
    });
    const honest = await l.consistency(log, Number(state.size), Number(log.size));
    const badProof = await h.call(
      'POST',
      '/api/ledger/witness/cosign',
      {},
      {
        origin: log.origin,
        oldSize: Number(state.size),
        checkpoint: next,
        signature: l.signerFor(log).sign(next),
        proof: honest.proof,
      },
    );
    assert.equal(badProof.status, 422, JSON.stringify(badProof.body));
    assert.equal(badProof.body.code, 'LEDGER_WITNESS_BAD_PROOF');
    const old = (
      (await h.call('GET', '/api/ledger/logs/audit/checkpoints', {})).body as {
        size: number;
        body: string;
        signature: string;
      }[]
    )[0]!;
    assert.ok(old.size < Number(state.size));
    const replay = await h.call(
      'POST',
      '/api/ledger/witness/cosign',
      {},
      { origin: log.origin, oldSize: Number(state.size), checkpoint: old.body, signature: old.signature, proof: [] },
    );
    assert.equal(replay.status, 409);
    assert.equal(replay.body.code, 'LEDGER_WITNESS_CONFLICT');
    const unsigned = await h.call(
      'POST',
      '/api/ledger/witness/cosign',
      {},
      { origin: log.origin, oldSize: Number(state.size), checkpoint: forged, signature: 'AAAA', proof: [] },
    );
    assert.equal(unsigned.status, 422);
    assert.equal(unsigned.body.code, 'LEDGER_WITNESS_BAD_CHECKPOINT');
    const events = await h.p.database.db
      .selectFrom('ledger.outbox')
      .select(['type', 'data'])
      .where('type', '=', 'ledger.witness.refused')
      .execute();
    assert.deepEqual(
      events.map((e) => (e.data as { reason: string }).reason),
      ['fork'],
      'the signed fork is the alarm; the rest is noise anyone can send',
    );
    const after = await h.p.database.db.selectFrom('ledger.witness_state').selectAll().executeTakeFirstOrThrow();
    assert.equal(Number(after.size), Number(state.size), 'the witness still stands by what it signed');
    assert.ok(parseCheckpoint(forged));
  });

  test('two first checkpoints of one size with different roots at once: the witness signs one and refuses the fork', async () => {
    const l = ledgerFor(h);
    assert.equal(
      (
        await h.call('POST', '/api/ledger/logs', operatorHeaders(), {
          id: 'first-contact',
          hashAlgorithm: 'sha256',
          signatureAlgorithm: 'ed25519',
        })
      ).status,
      201,
    );
    const log = await l.getLog('first-contact');
    const time = new Date().toISOString();
    const requests = [1, 2].map((fill) => {
      const text = checkpointText({ origin: log.origin, size: 5, root: Buffer.alloc(32, fill), time });
      return { origin: log.origin, oldSize: 0, checkpoint: text, signature: l.signerFor(log).sign(text), proof: [] };
    });
    const answers = await Promise.all(requests.map((body) => h.call('POST', '/api/ledger/witness/cosign', {}, body)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], JSON.stringify(answers.map((a) => a.body.code)));
    const loser = answers.findIndex((a) => a.status === 409);
    assert.equal(answers[loser]!.body.code, 'LEDGER_WITNESS_CONFLICT', 'the second finds the witness at 5 already');
    const again = await h.call(
      'POST',
      '/api/ledger/witness/cosign',
      {},
      { ...requests[loser]!, oldSize: answers[loser]!.body.witnessSize },
    );
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'LEDGER_WITNESS_FORK', 'asked from there, it is the fork');
  });

  test('a witness that co-signed more than the log recorded says so, and is asked again with the right proof', async () => {
    await h.p.database.db.deleteFrom('ledger.cosignature').where('log_id', '=', 'audit').execute(); // the answers were lost
    const entry = {
      actor: { kind: 'service', id: 'x' },
      action: 'datahub.record.read',
      subject: null,
      resource: null,
      purpose: 'test',
      outcome: 'success',
    };
    assert.equal((await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), entry)).status, 201);
    await ledgerFor(h).checkpointAll(true);
    const latest = (await h.call('GET', '/api/ledger/logs/audit/checkpoint', {})).body;
    assert.equal(latest.cosignatures.length, 1, JSON.stringify(latest));
  });

  test('bad requests: beyond the tree, a malformed range, an unknown log', async () => {
    const size = (await h.call('GET', '/api/ledger/logs/audit', {})).body.size as number;
    const beyond = await h.call('GET', `/api/ledger/logs/audit/proofs/inclusion?index=${size + 5}`, {});
    assert.equal(beyond.status, 422);
    assert.equal(beyond.body.code, 'LEDGER_BEYOND_TREE');
    assert.equal(beyond.body.errors[0].field, 'query.index');
    for (const url of [
      '/api/ledger/logs/audit/checkpoints?after=1e300',
      '/api/ledger/logs/audit/checkpoints?after=10000000000000000000',
      '/api/ledger/logs/audit/proofs/consistency?first=1&second=1e300',
    ]) {
      const huge = await h.call('GET', url, {});
      assert.equal(huge.status, 400, `${url}: ${JSON.stringify(huge.body)}`);
    }
    assert.equal(
      (await h.call('GET', `/api/ledger/logs/audit/proofs/inclusion?index=0&size=${size + 1}`, {})).body.code,
      'LEDGER_BEYOND_TREE',
    );
    assert.equal(
      (await h.call('GET', `/api/ledger/logs/audit/proofs/consistency?first=3&second=${size + 1}`, {})).status,
      422,
    );
    assert.equal(
      (await h.call('GET', '/api/ledger/logs/audit/proofs/consistency?first=3&second=2', {})).body.code,
      'LEDGER_RANGE_INVALID',
    );
    const range = await h.call('GET', '/api/ledger/logs/audit/entries?start=5&end=2', {});
    assert.equal(range.status, 422);
    assert.equal(range.body.code, 'LEDGER_RANGE_INVALID');
    assert.equal((await h.call('GET', '/api/ledger/logs/audit/entries?start=0&end=abc', {})).status, 400);
    const unknown = await h.call('GET', '/api/ledger/logs/nosuch/checkpoint', {});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'LEDGER_LOG_NOT_FOUND');
    assert.match(unknown.headers['content-type'] as string, /application\/problem\+json/);
  });

  test('a 国密 log: SM3 tree, SM2-signed checkpoints, proofs that verify', async () => {
    const created = await h.call('POST', '/api/ledger/logs', operatorHeaders(), {
      id: 'gm-audit',
      hashAlgorithm: 'sm3',
      signatureAlgorithm: 'sm2',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(
      (
        await h.call('POST', '/api/ledger/logs', operatorHeaders(), {
          id: 'gm-audit',
          hashAlgorithm: 'sm3',
          signatureAlgorithm: 'sm2',
        })
      ).status,
      409,
    );
    const entry = {
      actor: { kind: 'service', id: 'x' },
      action: 'datahub.record.read',
      subject: null,
      resource: null,
      purpose: 'test',
      outcome: 'success',
    };
    const receipts = await Promise.all(
      [1, 2, 3].map(() => h.call('POST', '/api/ledger/logs/gm-audit/entries', operatorHeaders(), entry)),
    );
    assert.deepEqual(receipts.map((r) => r.body.index).sort(), [0, 1, 2]);
    await ledgerFor(h).checkpointAll(true);
    const cp = (await h.call('GET', '/api/ledger/logs/gm-audit/checkpoint', {})).body;
    assert.equal(cp.note, null, 'signed notes have no signature type for SM2');
    const key = { algorithm: 'sm2' as const, key: created.body.publicKey, signerId: created.body.signerId };
    assert.ok(verifySignature(key, cp.body, cp.signature), 'SM2 over the checkpoint with the signer identifier');
    const proof = (await h.call('GET', '/api/ledger/logs/gm-audit/proofs/inclusion?index=1', {})).body;
    assert.ok(verifyInclusion(hasher('sm3'), 1, 3, b(proof.leafHash), proof.proof.map(b), b(cp.root)));
    assert.equal(verifyInclusion(hasher('sha256'), 1, 3, b(proof.leafHash), proof.proof.map(b), b(cp.root)), false);
  });

  test('the application role cannot rewrite the ledger: the database refuses', async () => {
    await assert.rejects(
      sql`update ledger.entry set body = '{}' where idx = 0`.execute(h.p.database.db),
      /append-only/,
    );
    await assert.rejects(sql`delete from ledger.node where idx = 0`.execute(h.p.database.db), /append-only/);
  });
});

describe(`the witness asked by the log itself (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startLedger();
  });
  after(() => h.p.dispose());

  test('a stored tree that no longer extends what the witness signed is refused and raised', async () => {
    const entry = {
      actor: { kind: 'service', id: 'x' },
      action: 'datahub.record.read',
      subject: null,
      resource: null,
      purpose: 'test',
      outcome: 'success',
    };
    const append = async () =>
      assert.equal((await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), entry)).status, 201);
    await append();
    await settle(h);
    const before = await h.call('GET', '/api/ledger/logs/audit/checkpoint', {});
    assert.equal(before.body.cosignatures.length, 1);
    // What the witness remembers is not what the log now holds (as if its history was rewritten).
    await h.p.database.db
      .updateTable('ledger.witness_state')
      .set({ root: Buffer.alloc(32, 3) })
      .execute();
    await append();
    await ledgerFor(h).checkpointAll(true);
    const latest = (await h.call('GET', '/api/ledger/logs/audit/checkpoint', {})).body;
    assert.ok(latest.size > before.body.size);
    assert.equal(latest.cosignatures.length, 0, 'not co-signed');
    const events = await h.p.database.db
      .selectFrom('ledger.outbox')
      .select('data')
      .where('type', '=', 'ledger.witness.refused')
      .execute();
    assert.deepEqual(
      events.map((e) => (e.data as { reason: string }).reason),
      ['fork'],
    );
  });
});
