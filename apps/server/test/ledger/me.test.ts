// "My records" (/api/ledger/me/entries) paged by cursor: a citizen with more entries than one page
// holds reaches every one exactly once, newest first; the cursor is opaque, checked, and grants
// nothing beyond the caller's own entries.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel, operatorHeaders } from '@tongban/kernel/testing';
import { settle, startLedger, type Harness } from './fixtures.ts';

const entryFor = (subject: string, n: number) => ({
  actor: { kind: 'service', id: 'gongan-hukou' },
  action: 'datahub.record.read',
  subject: { kind: 'account', id: subject },
  resource: { registry: 'hukou', n: String(n) },
  purpose: 'birth-registration',
  outcome: 'success',
});

describe(`my records, paged (${databaseLabel})`, () => {
  let h: Harness;
  const MANY = 130;
  before(async () => {
    h = await startLedger();
    // Another person's entries between them: a page must skip them without counting them.
    for (let i = 0; i < MANY; i++) {
      const r = await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), entryFor('c-many', i));
      assert.equal(r.status, 201, JSON.stringify(r.body));
      if (i % 3 === 0)
        assert.equal(
          (await h.call('POST', '/api/ledger/logs/audit/entries', operatorHeaders(), entryFor('c-other', i))).status,
          201,
        );
    }
    await settle(h);
  });
  after(() => h.p.dispose());

  const page = (who: Record<string, string>, query: string) => h.call('GET', `/api/ledger/me/entries${query}`, who);

  test('more than 100 entries: every one is reached exactly once across pages, newest first, and the last page has no next', async () => {
    const me = await h.citizen('c-many');
    const seen: number[] = [];
    const sizes: number[] = [];
    let query = '?limit=40';
    for (;;) {
      const r = await page(me, query);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      sizes.push(r.body.entries.length);
      for (const e of r.body.entries) {
        assert.equal(e.entry.subject.id, r.body.pseudonym, 'only my entries');
        assert.ok(e.proof, 'each with its proof');
        seen.push(e.index);
      }
      if (r.body.next === undefined) break;
      query = `?limit=40&cursor=${r.body.next}`;
    }
    assert.deepEqual(sizes, [40, 40, 40, 10]);
    assert.equal(seen.length, MANY);
    assert.equal(new Set(seen).size, MANY, 'none twice');
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => b - a),
      'newest first throughout',
    );
    const ns = await Promise.all(
      seen.map(
        async (i) => (await h.call('GET', `/api/ledger/logs/audit/entries?start=${i}&end=${i + 1}`, {})).body[0],
      ),
    );
    assert.deepEqual(
      ns.map((e) => Number(JSON.parse(e.body).resource.n)).sort((a, b) => a - b),
      Array.from({ length: MANY }, (_, i) => i),
      'all of them',
    );
  });

  test('the default page is 50; more than 100 a page is refused', async () => {
    const me = await h.citizen('c-many');
    const first = await page(me, '');
    assert.equal(first.body.entries.length, 50);
    assert.equal(typeof first.body.next, 'string');
    assert.equal((await page(me, '?limit=101')).status, 400);
    const exact = await page(await h.citizen('c-other'), `?limit=${Math.ceil(MANY / 3)}`);
    assert.equal(exact.body.entries.length, Math.ceil(MANY / 3));
    assert.equal(exact.body.next, undefined, 'a page that ends exactly at the last entry has no next');
  });

  test('a malformed cursor is 400 naming query.cursor', async () => {
    const me = await h.citizen('c-many');
    for (const cursor of [
      'not-a-cursor',
      Buffer.from('before:abc').toString('base64url'),
      Buffer.from('before:99999999999999999').toString('base64url'),
      '%2F%2F',
    ]) {
      const r = await page(me, `?cursor=${cursor}`);
      assert.equal(r.status, 400, `${cursor}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.equal(r.body.errors[0].field, 'query.cursor');
    }
  });

  test("another person's cursor shows the caller only their own entries", async () => {
    const mine = await page(await h.citizen('c-many'), '?limit=10');
    const theirs = await page(await h.citizen('c-other'), `?cursor=${mine.body.next}`);
    assert.equal(theirs.status, 200);
    assert.ok(theirs.body.entries.length > 0);
    for (const e of theirs.body.entries) assert.equal(e.entry.subject.id, theirs.body.pseudonym);
    const stranger = await page(await h.citizen('c-nobody'), `?cursor=${mine.body.next}`);
    assert.deepEqual(stranger.body.entries, []);
    assert.equal(stranger.body.next, undefined);
  });
});
