// 亮证: the code a holder shows verifies for five minutes and then says why not; only the holder
// makes one, and only for a licence in force.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import { databaseLabel } from '@tongban/kernel/testing';
import licenses from '@tongban/licenses';
import workflow from '@tongban/workflow';
import { approveBirthCertificate, startWorkflow, type Harness } from '../workflow/fixtures.ts';

const WJW = '330100-WJW';

describe(`presentation codes (亮证) (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, licenses], identity: true });
  });
  after(() => h.p.dispose());

  /** A 出生医学证明 issued to `citizen`; answers its id. */
  async function licenceOf(citizen: string): Promise<string> {
    await approveBirthCertificate(h, citizen);
    await h.p.instanceOf(licenses).kick();
    const [licence] = (await h.call('GET', '/api/licenses/me', await h.citizen(citizen))).body.licences;
    assert.ok(licence, 'issued');
    return licence.id as string;
  }
  const verify = async (code: string) => (await h.call('POST', '/api/licenses/verify', {}, { code })).body;

  test('a shown code verifies for five minutes, then is presentation_expired with the licence it was for', async () => {
    const id = await licenceOf('c-show');
    const shown = await h.call('POST', `/api/licenses/${id}/presentation-code`, await h.citizen('c-show'));
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    const { code, qrSvg, shownUntil } = shown.body as { code: string; qrSvg: string; shownUntil: string };
    assert.match(qrSvg, /^<svg/);
    assert.equal(Date.parse(shownUntil) - h.clock.now().getTime() <= 5 * 60_000, true);
    const now = await verify(code);
    assert.equal(now.valid, true, JSON.stringify(now));
    assert.equal(now.licence.holder.includes('*'), true, 'the name masked');
    const shownAt = h.clock.now().getTime();
    h.clock.set(new Date(shownAt + 4 * 60_000 + 59_000).toISOString());
    assert.equal((await verify(code)).valid, true, 'at 4:59');
    h.clock.set(new Date(shownAt + 5 * 60_000).toISOString());
    const late = await verify(code);
    assert.deepEqual([late.valid, late.reason], [false, 'presentation_expired']);
    assert.equal(typeof late.licence.identifier, 'string', 'the licence it was for is told');
    // A fresh one works again; the lasting code (printed) is not affected.
    const again = (await h.call('POST', `/api/licenses/${id}/presentation-code`, await h.citizen('c-show'))).body;
    assert.notEqual(again.code, code);
    assert.equal((await verify(again.code)).valid, true);
  });

  test('only the holder makes one: not another citizen, not an officer, not anonymous; and not for a suspended licence', async () => {
    const id = await licenceOf('c-own');
    const url = `/api/licenses/${id}/presentation-code`;
    assert.equal((await h.call('POST', url, await h.citizen('c-someone-else'))).status, 403);
    assert.equal(
      (await h.call('POST', url, await h.officer(WJW))).status,
      403,
      'the issuing department prints, not shows',
    );
    assert.equal((await h.call('POST', url, {})).status, 401);
    assert.equal(
      (await h.call('POST', `/api/licenses/not-a-uuid/presentation-code`, await h.citizen('c-own'))).status,
      400,
    );
    const officer = await h.officer(WJW);
    const suspended = await h.call('POST', `/api/licenses/${id}/status`, officer, {
      action: 'suspend',
      reason: '核查中',
    });
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    const refused = await h.call('POST', url, await h.citizen('c-own'));
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'LICENSES_NOT_IN_FORCE');
  });
});
