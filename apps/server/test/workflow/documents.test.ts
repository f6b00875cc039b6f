// Uploaded documents (材料上传): a citizen uploads a PDF, JPEG or PNG as the raw body; the type is
// checked against the bytes, the bytes are sealed at rest; the owner and the officers of a
// department with a task on an application naming it open it, and an officer's opening is
// recorded; everyone else is told it does not exist. A submission may name only the caller's own
// uploads. (Here, not in modules/workflow/test: the officer's side needs the catalog's matters.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import { ledgerFor, settle, startLedger } from '../ledger/fixtures.ts';
import { birthCertificateForm, M, taskOf, type Harness } from './fixtures.ts';

const WJW = '330100-WJW';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')]);
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d6b1b10000000049454e44ae426082',
  'hex',
);
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0 test bytes'),
  Buffer.from([0xff, 0xd9]),
]);

describe(`uploaded documents (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startLedger();
  });
  after(() => h.p.dispose());

  const upload = async (
    who: Record<string, string>,
    bytes: Buffer,
    type: string,
    name?: string,
  ): Promise<{ status: number; body: Record<string, unknown> & { id: string; ref: string; code?: string } }> => {
    const r = await h.p.app.inject({
      method: 'POST',
      url: '/api/workflow/documents',
      headers: { ...who, 'content-type': type, ...(name === undefined ? {} : { 'x-file-name': name }) },
      payload: bytes,
    });
    return { status: r.statusCode, body: r.json() };
  };
  const download = (who: Record<string, string>, id: string) =>
    h.p.app.inject({ method: 'GET', url: `/api/workflow/documents/${id}`, headers: who });
  const submitWith = (who: Record<string, string>, ref: string) =>
    h.call(
      'POST',
      '/api/workflow/applications',
      { ...who, 'idempotency-key': randomUUID() },
      {
        subject: { kind: 'matter', code: M.birthCertificate },
        form: birthCertificateForm(),
        materials: [{ code: 'mother-id-card', ref }],
      },
    );

  test('each of the three types is taken, with its name, size and digest; the owner gets the bytes back', async () => {
    const citizen = await h.citizen('c-doc-1');
    for (const [bytes, type, name] of [
      [PDF, 'application/pdf', encodeURIComponent('母亲身份证.pdf')],
      [PNG, 'image/png', 'scan.png'],
      [JPEG, 'image/jpeg; charset=binary', 'photo.jpg'],
    ] as const) {
      const r = await upload(citizen, bytes, type, name);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.ref, `doc:${r.body.id}`);
      assert.equal(r.body.size, bytes.length);
      assert.equal(r.body.mediaType, type.split(';')[0]);
      assert.equal(r.body.name, decodeURIComponent(name));
      assert.match(String(r.body.sha256), /^[0-9a-f]{64}$/);
      const got = await download(citizen, r.body.id);
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.rawPayload, bytes);
      assert.equal(got.headers['content-type'], type.split(';')[0]);
      assert.equal(got.headers['x-content-type-options'], 'nosniff');
      assert.equal(got.headers['cache-control'], 'private, no-store');
      assert.match(
        String(got.headers['content-disposition']),
        new RegExp(`^attachment; .*filename\\*=UTF-8''${name.replace(/[.]/g, '\\.')}$`),
      );
    }
  });

  test('a file whose bytes are not its declared type, an empty one, another type and one over 10 MiB are refused with their codes', async () => {
    const citizen = await h.citizen('c-doc-2');
    const mismatch = await upload(citizen, PNG, 'application/pdf', 'x.pdf');
    assert.deepEqual([mismatch.status, mismatch.body.code], [422, 'WORKFLOW_DOCUMENT_TYPE_MISMATCH']);
    const renamed = await upload(citizen, Buffer.from('MZ\x90\x00 not an image'), 'image/jpeg', 'x.jpg');
    assert.deepEqual([renamed.status, renamed.body.code], [422, 'WORKFLOW_DOCUMENT_TYPE_MISMATCH']);
    const empty = await upload(citizen, Buffer.alloc(0), 'image/png', 'x.png');
    assert.deepEqual([empty.status, empty.body.code], [422, 'WORKFLOW_DOCUMENT_EMPTY']);
    const gif = await upload(citizen, Buffer.from('GIF89a'), 'image/gif', 'x.gif');
    assert.deepEqual([gif.status, gif.body.code], [415, 'WORKFLOW_DOCUMENT_TYPE_UNSUPPORTED']);
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await upload(citizen, big, 'application/pdf', 'big.pdf');
    assert.deepEqual([tooBig.status, tooBig.body.code], [413, 'WORKFLOW_DOCUMENT_TOO_LARGE']);
    const badName = await upload(citizen, PDF, 'application/pdf', '%E4%ZZ.pdf');
    assert.deepEqual([badName.status, badName.body.code], [400, 'WORKFLOW_DOCUMENT_NAME_INVALID']);
    const listed = await h.call('GET', '/api/workflow/documents', citizen);
    assert.deepEqual(listed.body.items, [], 'nothing refused was stored');
  });

  test('a file name is kept without folders, controls or bidirectional overrides', async () => {
    const citizen = await h.citizen('c-doc-3');
    const r = await upload(
      citizen,
      PDF,
      'application/pdf',
      encodeURIComponent('C:\\Users\\a\\evil\u202egpj.exe\u0007.pdf'),
    );
    assert.equal(r.status, 201);
    assert.equal(r.body.name, 'evil_gpj.exe_.pdf');
    const unnamed = await upload(citizen, PNG, 'image/png');
    assert.equal(unnamed.body.name, 'document.png');
  });

  test('the bytes are sealed at rest: the stored column holds neither the bytes nor their base64', async () => {
    const citizen = await h.citizen('c-doc-4');
    const marker = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('PLAINTEXT-MARKER-' + 'x'.repeat(64))]);
    const r = await upload(citizen, marker, 'application/pdf', 'm.pdf');
    const row = await sql<{
      data: string;
    }>`select data from workflow.document_content where document_id = ${r.body.id}`.execute(h.p.database.db);
    const stored = row.rows[0]!.data;
    assert.match(stored, /^tb1\./);
    assert.ok(!stored.includes('PLAINTEXT-MARKER'));
    assert.ok(!stored.includes(marker.toString('base64').slice(0, 24)));
    // Moved to another row, it does not open.
    const other = await upload(citizen, PDF, 'application/pdf', 'o.pdf');
    await sql`update workflow.document_content set data = ${stored} where document_id = ${other.body.id}`.execute(
      h.p.database.db,
    );
    assert.equal((await download(citizen, other.body.id)).statusCode, 500);
  });

  test('another citizen, an anonymous caller, and an officer of a department without a task are told it does not exist', async () => {
    const owner = await h.citizen('c-doc-5');
    const r = await upload(owner, PNG, 'image/png', 'id.png');
    const submitted = await submitWith(owner, r.body.ref);
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));

    const stranger = await download(await h.citizen('c-doc-6'), r.body.id);
    assert.deepEqual([stranger.statusCode, stranger.json().code], [404, 'WORKFLOW_DOCUMENT_NOT_FOUND']);
    const missing = await download(owner, randomUUID());
    assert.deepEqual(
      [missing.statusCode, missing.json().code],
      [404, 'WORKFLOW_DOCUMENT_NOT_FOUND'],
      'the same answer',
    );
    const anonymous = await download({}, r.body.id);
    assert.equal(anonymous.statusCode, 401);
    const otherDepartment = await download(await h.officer('330100-SCJG'), r.body.id);
    assert.deepEqual([otherDepartment.statusCode, otherDepartment.json().code], [404, 'WORKFLOW_DOCUMENT_NOT_FOUND']);
    const outOfRegion = await download(await h.officer(WJW, ['officer'], 'officer-far', ['330200']), r.body.id);
    assert.equal(outOfRegion.statusCode, 404, 'the department, but not the jurisdiction');
    const upload401 = await upload({}, PNG, 'image/png');
    assert.equal(upload401.status, 401);
    const officerUpload = await upload(await h.officer(WJW), PNG, 'image/png');
    assert.equal(officerUpload.status, 403, 'officers do not upload as applicants');
  });

  test("an officer of the task's department opens it, and the opening is recorded for the applicant", async () => {
    const owner = await h.citizen('c-doc-7');
    const r = await upload(owner, PDF, 'application/pdf', 'card.pdf');
    const submitted = await submitWith(owner, r.body.ref);
    assert.equal(submitted.status, 201);
    const task = taskOf(submitted.body, M.birthCertificate);
    const officer = await h.officer(WJW, ['officer'], 'officer-doc');
    const got = await download(officer, r.body.id);
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.rawPayload, PDF);
    const recorded = await sql<{ data: Record<string, unknown> }>`
      select data from workflow.outbox where type = 'workflow.document.read' and data->>'documentId' = ${r.body.id}`.execute(
      h.p.database.db,
    );
    assert.equal(recorded.rows.length, 1);
    assert.deepEqual(recorded.rows[0]!.data, {
      documentId: r.body.id,
      sha256: r.body.sha256,
      applicationId: submitted.body.id,
      caseNumber: submitted.body.caseNumber,
      taskId: task.id,
      matterCode: M.birthCertificate,
      departmentCode: WJW,
      applicantId: 'c-doc-7',
      actor: { kind: 'officer', id: 'officer-doc' },
    });
    // In the ledger, under the applicant: the officer by id (staff act in their own name), the case and task.
    await settle(h);
    const entries = (
      await h.p.database.db.selectFrom('ledger.entry').select('body').where('subject_id', '=', 'c-doc-7').execute()
    ).map((e) => JSON.parse(e.body as string));
    const read = entries.find((e) => e.action === 'workflow.document.read');
    assert.ok(read, 'the opening is in the ledger');
    assert.deepEqual(read.actor, { kind: 'officer', id: 'officer-doc' });
    assert.deepEqual(read.subject, { kind: 'account', id: ledgerFor(h).pseudonymOf('c-doc-7') });
    assert.equal(read.resource.taskId, task.id);
    assert.equal(read.resource.departmentCode, WJW);
    // The owner's own download is not an access by another.
    await download(owner, r.body.id);
    const after = await sql<{ n: number }>`
      select count(*)::int as n from workflow.outbox where type = 'workflow.document.read' and data->>'documentId' = ${r.body.id}`.execute(
      h.p.database.db,
    );
    assert.equal(after.rows[0]!.n, 1);
    // Named by a submitted application, it can no longer be removed, and no longer counts as unconfirmed.
    const removed = await h.call('DELETE', `/api/workflow/documents/${r.body.id}`, owner);
    assert.deepEqual([removed.status, removed.body.code], [409, 'WORKFLOW_DOCUMENT_IN_USE']);
    const listed = await h.call('GET', '/api/workflow/documents', owner);
    assert.ok(listed.body.items[0].confirmedAt);
  });

  test("a submission naming another person's upload is refused at that material's ref, and writes nothing", async () => {
    const other = await h.citizen('c-doc-8');
    const theirs = await upload(other, PNG, 'image/png');
    const me = await h.citizen('c-doc-9');
    const r = await submitWith(me, theirs.body.ref);
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.code, 'WORKFLOW_MATERIALS_INVALID');
    assert.deepEqual(
      r.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.materials.0.ref', 'not_your_document']],
    );
    const mine = await h.call('GET', '/api/workflow/applications', me);
    assert.equal(mine.body.length, 0);
    // Another's document stays out of reach of the officer through my (refused) application.
    assert.equal((await download(await h.officer(WJW), theirs.body.id)).statusCode, 404);
    // A `doc:` reference that is not an upload of this store is not looked up (a department's own archive).
    const archive = await submitWith(me, 'doc:archive-2026-001');
    assert.equal(archive.status, 201);
  });

  test('only the owner removes an unconfirmed upload; then it is gone', async () => {
    const owner = await h.citizen('c-doc-10');
    const r = await upload(owner, JPEG, 'image/jpeg', 'p.jpg');
    const byOther = await h.call('DELETE', `/api/workflow/documents/${r.body.id}`, await h.citizen('c-doc-11'));
    assert.deepEqual([byOther.status, byOther.body.code], [404, 'WORKFLOW_DOCUMENT_NOT_FOUND']);
    const removed = await h.call('DELETE', `/api/workflow/documents/${r.body.id}`, owner);
    assert.equal(removed.status, 204);
    assert.equal((await download(owner, r.body.id)).statusCode, 404);
  });

  test('at most 50 unconfirmed uploads per owner; uploads nobody submitted lapse after 7 days', async () => {
    const owner = await h.citizen('c-doc-12');
    for (let i = 0; i < 50; i++) assert.equal((await upload(owner, PNG, 'image/png')).status, 201);
    const over = await upload(owner, PNG, 'image/png');
    assert.deepEqual([over.status, over.body.code], [422, 'WORKFLOW_DOCUMENT_QUOTA_EXCEEDED']);
    const kept = await upload(await h.citizen('c-doc-13'), PNG, 'image/png');
    const start = h.clock.now().toISOString();
    h.clock.set(new Date(h.clock.now().getTime() + 8 * 86_400_000).toISOString());
    try {
      const fresh = await upload(await h.citizen('c-doc-14'), PNG, 'image/png');
      await h.p.runJob('workflow', 'document-lapse');
      assert.equal((await h.call('GET', '/api/workflow/documents', owner)).body.items.length, 0);
      assert.equal((await download(await h.citizen('c-doc-13'), kept.body.id)).statusCode, 404);
      assert.equal((await download(await h.citizen('c-doc-14'), fresh.body.id)).statusCode, 200);
      assert.equal((await upload(owner, PNG, 'image/png')).status, 201, 'room again');
    } finally {
      h.clock.set(start);
    }
  });
});
