// 跨区域互认 with two regions: two platforms with their own secrets (so their own keys), region B
// listening on a real port so region A's verifier fetches B's status lists over HTTP as it would
// another province's. A licence of B's fails at A as an unknown issuer until A's operator adds B's
// exported entry; then it verifies, its revocation reaches A when A's copy of B's list is due for
// refreshing (the clocks moved, no sleeping), A answers from its copy while B is down, and a
// verifier with no copy says the status is unavailable.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import { databaseLabel } from '@tongban/kernel/testing';
import ledger from '@tongban/ledger';
import licenses, { Licenses, statusEntries } from '@tongban/licenses';
import workflow from '@tongban/workflow';
import { CompactSign, compactVerify, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from 'jose';
import { sql } from 'kysely';
import { approveBirthCertificate, startWorkflow, token, type Harness } from '../workflow/fixtures.ts';

const WJW = '330100-WJW';
const START = '2026-12-01T02:00:00Z';
const at = (minutes: number) => new Date(Date.parse(START) + minutes * 60_000).toISOString();

/**
 * The reference decoder of W3C Bitstring Status List 1.0, written out here rather than taken from
 * the module: base64url after the multibase 'u', GZIP, then bit i is byte i >> 3's bit 7 − (i & 7)
 * (the most significant bit first).
 */
function referenceBit(encodedList: string, index: number): boolean {
  assert.equal(encodedList[0], 'u', 'multibase base64url');
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  assert.ok(bytes.length * 8 >= 131_072, `at least 131,072 entries, not ${bytes.length * 8}`);
  return ((bytes[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
}

const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

describe(`cross-region trust: two regions (${databaseLabel})`, () => {
  let a: Harness;
  let b: Harness;
  let bOrigin: string;
  let bStopped = false;
  const extra: Harness[] = [];
  let fresh: Harness;

  before(async () => {
    const modules = [catalog, identity, workflow, licenses];
    a = await startWorkflow({ modules: [...modules, ledger], identity: true, now: START });
    b = await startWorkflow({ modules, identity: true, now: START, env: { TONGBAN_PORT: '0' } });
    await b.p.listen();
    bOrigin = b.p.instanceOf(licenses).ctx.origin();
  });
  after(async () => {
    await a.p.dispose();
    if (!bStopped) await b.p.dispose();
    for (const h of extra) await h.p.dispose();
  });

  const operator = async (h: Harness, mfa = true) => ({
    authorization: `Bearer ${await token(h.key, { sub: 'op-trust', kind: 'operator', mfa })}`,
  });
  const verify = async (h: Harness, code: string) => {
    const r = await h.call('POST', '/api/licenses/verify', {}, { code });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };

  /** A 出生医学证明 approved at the region's 卫健委: the licence and its scan code. */
  async function issued(h: Harness, citizen: string): Promise<{ id: string; code: string; index: number }> {
    await approveBirthCertificate(h, citizen);
    await h.p.instanceOf(licenses).kick();
    const [licence] = (await h.call('GET', '/api/licenses/me', await h.citizen(citizen))).body.licences;
    const detail = (await h.call('GET', `/api/licenses/${licence.id}`, await h.citizen(citizen))).body;
    const shown = await h.call('GET', `/api/licenses/${licence.id}/scan-code`, await h.citizen(citizen));
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    return { id: licence.id, code: shown.body.code, index: detail.statusList.index };
  }

  let kept: { id: string; code: string; index: number };
  let revoked: { id: string; code: string; index: number };
  let bSelf: Record<string, unknown>;

  test("a licence of region B is an unknown issuer at A; only A's operators at multi-factor may change A's trust list", async () => {
    kept = await issued(b, 'c-b-kept');
    revoked = await issued(b, 'c-b-revoked');
    assert.equal((await verify(b, kept.code)).valid, true, 'valid where it was issued');
    assert.equal((await verify(a, kept.code)).reason, 'unknown_issuer');

    const self = await b.call('GET', '/api/licenses/trust-list/self', {});
    assert.equal(self.status, 200, JSON.stringify(self.body));
    bSelf = self.body;
    const own = (await a.call('GET', '/api/licenses/trust-list/self', {})).body;
    assert.notDeepEqual(own.entries[0].keys, self.body.entries[0].keys, 'two secrets, two keys');
    assert.equal(self.body.entries[0].statusListBase, `${bOrigin}/api/licenses/status-lists/`);

    const url = '/api/licenses/trust-list/entries';
    assert.equal((await a.call('POST', url, await a.citizen('c-a'), bSelf)).status, 403, 'a citizen');
    assert.equal((await a.call('POST', url, await a.officer(WJW), bSelf)).status, 403, 'an officer');
    assert.equal((await a.call('POST', url, {}, bSelf)).status, 401, 'signed out');
    assert.equal((await a.call('POST', url, await operator(a, false), bSelf)).status, 401, 'an operator without MFA');
    assert.equal((await a.call('DELETE', `${url}/330100`, await a.officer(WJW))).status, 403);
    assert.equal((await a.call('GET', '/api/licenses/trust-list/versions', await a.citizen('c-a'))).status, 403);
    // A region's own keys are not another region's entry.
    const mine = await a.call('POST', url, await operator(a), own);
    assert.equal(mine.status, 422, JSON.stringify(mine.body));
    assert.equal(mine.body.code, 'LICENSES_TRUST_ENTRY_INVALID');
    const badCode = structuredClone(bSelf) as { entries: { issuer: string }[] };
    badCode.entries[0]!.issuer = badCode.entries[0]!.issuer.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const refused = await a.call('POST', url, await operator(a), badCode);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.errors[0].field, 'body.entries.0.issuer');
    assert.equal((await a.call('GET', '/api/licenses/trust-list', {})).body.version, 0, 'nothing changed');
  });

  test("A's operator imports B's entry: a new version, signed with A's published key, and B's licence verifies at A", async () => {
    const before = (await a.call('GET', '/api/licenses/trust-list', {})).body;
    const added = await a.call('POST', '/api/licenses/trust-list/entries', await operator(a), bSelf);
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.version, before.version + 1);

    const published = (await a.call('GET', '/api/licenses/trust-list', {})).body;
    assert.equal(published.version, before.version + 1);
    // An outside verifier: jose, with the key A exports in its own entry.
    const aKey = (await a.call('GET', '/api/licenses/trust-list/self', {})).body.trustListKey;
    const { payload, protectedHeader } = await compactVerify(published.jws, await importJWK(aKey, 'ES256'));
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(decodeProtectedHeader(published.jws).typ, 'tongban-trust-list+jwt');
    const list = JSON.parse(new TextDecoder().decode(payload));
    assert.equal(list.version, published.version);
    assert.deepEqual(list.entries, published.entries);
    assert.ok(list.entries.some((e: { statusListBase: string }) => e.statusListBase.startsWith(bOrigin)));
    const raw = await a.p.app.inject({ url: '/api/licenses/trust-list', headers: { accept: 'application/jose' } });
    assert.match(String(raw.headers['content-type']), /^application\/jose/);
    assert.equal(raw.body, published.jws);
    // B's key does not verify A's list.
    await assert.rejects(compactVerify(published.jws, await importJWK(bSelf.trustListKey as never, 'ES256')));

    const ok = await verify(a, kept.code);
    assert.equal(ok.valid, true, JSON.stringify(ok));
    assert.equal(ok.status.state, 'valid');
    assert.equal(ok.status.fromCache, false);
    assert.equal(ok.status.listAgeSeconds, 0);
    assert.equal(ok.licence.issuer.region, '330100');

    const changed = await sql<{ data: { version: number; action: string; actor: { id: string } } }>`
      select data from licenses.outbox where type = 'licenses.trust-list.changed' order by seq`.execute(
      a.p.instanceOf(licenses).db,
    );
    assert.deepEqual(
      changed.rows.map((r) => [r.data.version, r.data.action, r.data.actor.id]),
      [[published.version, 'added', 'op-trust']],
    );
    // The ledger records the change (contracts' catalog: every licenses.* event).
    await a.p.bus.settled();
    await a.p.instanceOf(ledger).sequencer.kick();
    const recorded = await sql<{ body: string }>`select body from ledger.entry`.execute(a.p.database.db);
    const entry = recorded.rows.map((r) => JSON.parse(r.body)).find((e) => e.action === 'licenses.trust-list.changed');
    assert.ok(entry, 'a ledger entry for the change');
    assert.equal(entry.actor.id, 'op-trust');
  });

  test("B's published status list: vc+jwt signed by the issuer's key, cacheable, and the revoked licence's bit set (reference decoder)", async () => {
    const officer = await b.officer(WJW);
    const r = await b.call('POST', `/api/licenses/${revoked.id}/status`, officer, {
      action: 'revoke',
      reason: '签发信息有误',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));

    const url = `${bOrigin}/api/licenses/status-lists/sl-${WJW}`;
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/vc\+jwt/);
    assert.match(response.headers.get('cache-control') ?? '', /max-age=\d+/);
    const etag = response.headers.get('etag');
    assert.ok(etag);
    const jwt = await response.text();
    // The issuer's key from B's entry (the one its scan codes are signed with) verifies the list.
    const entries = bSelf.entries as { issuer: string; keys: Record<string, string>[] }[];
    const wjwKey = entries.find((e) => e.issuer.startsWith('11330100002489571'))!.keys[0]!;
    const { payload } = await compactVerify(jwt, await importJWK(wjwKey, 'ES256'));
    const credential = JSON.parse(new TextDecoder().decode(payload));
    assert.equal(credential.id, url);
    assert.ok(credential.type.includes('BitstringStatusListCredential'));
    assert.equal(credential.credentialSubject.statusPurpose, 'revocation');
    assert.ok(Date.parse(credential.validUntil) > Date.parse(credential.validFrom));
    assert.equal(referenceBit(credential.credentialSubject.encodedList, revoked.index), true, 'revoked: set');
    assert.equal(referenceBit(credential.credentialSubject.encodedList, kept.index), false, 'valid: clear');
    assert.equal((await fetch(url, { headers: { 'if-none-match': etag } })).status, 304);

    const suspension = payloadOf(await (await fetch(`${url}/suspension`)).text());
    assert.equal(suspension.id, `${url}/suspension`);
    assert.equal(suspension.credentialSubject.statusPurpose, 'suspension');
    assert.equal(referenceBit(suspension.credentialSubject.encodedList, revoked.index), false);

    const missing = await fetch(`${bOrigin}/api/licenses/status-lists/sl-nowhere`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /problem\+json/);
  });

  test("B's revocation reaches A once A's copy of B's list is due; while it stands A answers from it", async () => {
    const early = await verify(a, revoked.code);
    assert.equal(early.valid, true, "A's copy (fetched before the revocation) still stands");
    assert.equal(early.status.fromCache, false);

    // Past the list's validUntil (10 minutes): A fetches again.
    a.clock.set(at(11));
    b.clock.set(at(11));
    const late = await verify(a, revoked.code);
    assert.deepEqual(
      [late.valid, late.reason, late.status.state, late.status.fromCache],
      [false, 'revoked', 'revoked', false],
    );
    assert.equal((await verify(a, kept.code)).valid, true);
  });

  test('B stopped: A answers from its copy with its age; a verifier with no copy says the status is unavailable', async () => {
    await b.p.dispose();
    bStopped = true;
    a.clock.set(at(25));
    const kept25 = await verify(a, kept.code);
    assert.equal(kept25.valid, true, JSON.stringify(kept25));
    assert.equal(kept25.status.fromCache, true);
    assert.equal(kept25.status.listAgeSeconds, 14 * 60, 'the copy fetched at minute 11');
    const revoked25 = await verify(a, revoked.code);
    assert.deepEqual([revoked25.reason, revoked25.status.fromCache], ['revoked', true]);
    // A copy more than a day old no longer answers for a region out of reach.
    a.clock.set(new Date(Date.parse(at(11)) + 24 * 3600_000 + 60_000).toISOString());
    const stale = await verify(a, kept.code);
    assert.deepEqual([stale.valid, stale.reason], [false, 'status_unavailable']);
    a.clock.set(at(25));

    fresh = await startWorkflow({
      modules: [catalog, identity, workflow, licenses],
      identity: true,
      now: at(25),
    });
    extra.push(fresh);
    const added = await fresh.call('POST', '/api/licenses/trust-list/entries', await operator(fresh), bSelf);
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const none = await verify(fresh, kept.code);
    assert.equal(none.valid, false);
    assert.equal(none.reason, 'status_unavailable');
    assert.equal(none.licence.issuer.region, '330100');
  });

  test("A's operator removes B: a new version, and B's licences are unknown issuers again", async () => {
    const before = (await a.call('GET', '/api/licenses/trust-list', {})).body;
    const removed = await a.call('DELETE', '/api/licenses/trust-list/entries/330100', await operator(a));
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal(removed.body.version, before.version + 1);
    assert.deepEqual(removed.body.entries, []);
    assert.equal((await verify(a, kept.code)).reason, 'unknown_issuer');
    const again = await a.call('DELETE', '/api/licenses/trust-list/entries/330100', await operator(a));
    assert.equal(again.status, 404);
    assert.equal(again.body.code, 'LICENSES_TRUST_ENTRY_NOT_FOUND');

    const history = await a.call('GET', '/api/licenses/trust-list/versions', await operator(a));
    assert.equal(history.status, 200, JSON.stringify(history.body));
    assert.deepEqual(
      history.body.versions.map((v: { version: number; change: string; actor: { id: string } }) => [
        v.version,
        v.change,
        v.actor.id,
      ]),
      [
        [before.version + 1, 'removed', 'op-trust'],
        [before.version, 'added', 'op-trust'],
      ],
    );
    assert.equal(history.body.versions[1].entries, (bSelf.entries as unknown[]).length);
  });

  test("a list that B's issuer key did not sign is not B's list: refused, and with no copy the status is unavailable", async () => {
    // A stand-in for B's address that serves a list with the right URL and issuer, signed by another key.
    const forger = await generateKeyPair('ES256');
    const entry = (bSelf.entries as { issuer: string; statusListBase: string }[]).find((e) =>
      e.issuer.startsWith('11330100002489571'),
    )!;
    const server = createServer((req, res) => {
      const url = `${base}${(req.url ?? '').slice('/lists/'.length)}`;
      const credential = {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: url,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: `urn:uscc:${entry.issuer}`,
        validFrom: at(24),
        validUntil: at(40),
        credentialSubject: {
          id: `${url}#list`,
          type: 'BitstringStatusList',
          statusPurpose: url.endsWith('/suspension') ? 'suspension' : 'revocation',
          encodedList: `u${gzipped.toString('base64url')}`,
        },
      };
      void new CompactSign(new TextEncoder().encode(JSON.stringify(credential)))
        .setProtectedHeader({ alg: 'ES256', typ: 'vc+jwt' })
        .sign(forger.privateKey)
        .then((jwt) => res.writeHead(200, { 'content-type': 'application/vc+jwt' }).end(jwt));
    });
    const { gzipSync } = await import('node:zlib');
    const gzipped = gzipSync(Buffer.alloc(131_072 / 8));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lists/`;
    try {
      const other = await startWorkflow({
        modules: [catalog, identity, workflow, licenses],
        identity: true,
        now: at(25),
      });
      extra.push(other);
      const forged = { entries: [{ ...entry, statusListBase: base }] };
      assert.equal(
        (await other.call('POST', '/api/licenses/trust-list/entries', await operator(other), forged)).status,
        201,
      );
      // The revoked licence would read as valid from the forged (all-clear) list.
      const answer = await verify(other, revoked.code);
      assert.deepEqual([answer.valid, answer.reason], [false, 'status_unavailable']);
      // The forger's key given as the issuer's does not help either: the code is then an unknown issuer's.
      const withForgerKey = { entries: [{ ...forged.entries[0], keys: [await exportJWK(forger.publicKey)] }] };
      assert.equal(
        (await other.call('POST', '/api/licenses/trust-list/entries', await operator(other), withForgerKey)).status,
        201,
      );
      assert.equal((await verify(other, revoked.code)).reason, 'unknown_issuer');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('two operators changing the list at once make two versions, one after the other', async () => {
    const before = (await fresh.call('GET', '/api/licenses/trust-list', {})).body.version;
    const entries = bSelf.entries as { region: string; issuer: string }[];
    const [one, two] = await Promise.all([
      fresh.call('POST', '/api/licenses/trust-list/entries', await operator(fresh), { entries: [entries[0]] }),
      fresh.call('POST', '/api/licenses/trust-list/entries', await operator(fresh), { entries: [entries[1]] }),
    ]);
    assert.deepEqual([one.status, two.status], [201, 201], JSON.stringify([one.body, two.body]));
    assert.deepEqual([one.body.version, two.body.version].sort(), [before + 1, before + 2]);
    const history = (await fresh.call('GET', '/api/licenses/trust-list/versions', await operator(fresh))).body.versions;
    assert.deepEqual(
      history.slice(0, 2).map((v: { version: number }) => v.version),
      [before + 2, before + 1],
    );
  });

  test('issuances racing at one department take distinct slots, drawn at random rather than in order', async () => {
    const issuer = a.p.instanceOf(licenses);
    const replica = () =>
      new Licenses(issuer.ctx, {
        producedType: async () => 'birth-medical-certificate',
        answers: async () => ({ childName: '王小明' }),
      });
    const event = (n: number) => ({
      taskId: `t-slot-${n}`,
      applicationId: `a-slot-${n}`,
      caseNumber: 'x',
      matterCode: '330100-WJW-001',
      departmentCode: WJW,
      applicantId: `c-slot-${n}`,
      action: 'approve',
      from: 'reviewed',
      to: 'approved',
      actor: { kind: 'officer', id: 'o' },
      at: new Date().toISOString(),
      seq: 1,
    });
    const made = await Promise.all(Array.from({ length: 8 }, (_, n) => replica().issue(event(n))));
    const slots = made.map((l) => l!.statusList.index);
    assert.equal(new Set(slots).size, 8, String(slots));
    const all = (await statusEntries(issuer.db, `sl-${WJW}`)).map((e) => e.index);
    assert.equal(new Set(all).size, all.length, 'no slot given twice in the list');
    // In order they would be 0…n−1; 8 random draws from 131,072 landing there is not going to happen.
    assert.notDeepEqual(
      [...all].sort((x, y) => x - y),
      all.map((_, i) => i),
    );
  });
});
