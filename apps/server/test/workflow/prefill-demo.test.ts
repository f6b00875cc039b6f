// The demo, end to end on the platform (issue 11, "Done when"): 张三 signs in through identity's
// pages, starts 出生一件事, consents at the data hub to what the draft says it needs, and the draft
// is prefilled — his and the mother's (李四) details from the population registry, the birth from
// the hospital's record — locked; a changed locked value is refused; submitted, 出生医学证明 is
// approved by its rule over the verified record (秒批). Every call carries a real token: the
// citizen's from the code flow, the workflow's own (client credentials) towards the hub.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import datahub from '@tongban/datahub';
import identity from '@tongban/identity';
import { residentIdCheckChar } from '@tongban/kernel';
import { databaseLabel, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import workflow from '@tongban/workflow';
import * as oidc from 'openid-client';
import { Browser, formAction } from '../../../../modules/identity/test/browser.ts';
import { createAccount, totpNow, type TestAccount } from '../../../../modules/identity/test/fixtures.ts';
import { DEMO } from '../../../../modules/datahub/src/seed/demo.ts';
import { birthCertificateForm, birthForm, birthMaterials, M, taskOf } from './fixtures.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely and asserted field by field
type Json = any;

const REDIRECT = 'http://127.0.0.1/callback';

describe(`the birth bundle prefilled from the registries, locked, approved by rule (${databaseLabel})`, () => {
  let p: TestPlatform;
  let zhang: string;
  let other: string;
  let counter: string;

  /** Signs in through identity's pages with the development client (code + PKCE): an API access token. */
  async function signIn(account: Pick<TestAccount, 'login' | 'password' | 'totpSecret'>): Promise<string> {
    const { issuer } = (await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string };
    const config = await oidc.discovery(new URL(issuer), 'tongban-dev', undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid api',
      state: 'st',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const browser = new Browser();
    const page = await browser.follow(url, REDIRECT);
    let next = await browser.follow(formAction(await page.response!.text(), page.url), REDIRECT, {
      form: { login: account.login, password: account.password },
    });
    if (account.totpSecret) {
      next = await browser.follow(formAction(await next.response!.text(), next.url), REDIRECT, {
        form: { code: await totpNow(account.totpSecret) },
      });
    }
    assert.ok(next.url.href.startsWith(REDIRECT), `sign-in ends at the client, not ${next.url.href}`);
    const tokens = await oidc.authorizationCodeGrant(config, next.url, {
      pkceCodeVerifier: verifier,
      expectedState: 'st',
    });
    return tokens.access_token;
  }

  async function call(
    method: string,
    url: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const r = await p.app.inject({
      method: method as 'GET',
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: r.statusCode, body: (r.body ? JSON.parse(r.body) : undefined) as Json };
  }

  before(async () => {
    p = await startTestPlatform([catalog, identity, datahub, workflow], { seed: true, env: { TONGBAN_PORT: '0' } });
    await p.listen();
    // The demo seed's credentials, as `npm start` prints them (development only).
    const demo = JSON.parse(
      readFileSync(join(p.contexts.get('identity')!.config.dataDir, 'keys', 'demo-accounts.json'), 'utf8'),
    ) as { kind: string; login: string; password: string; totpSecret?: string }[];
    zhang = await signIn(demo.find((a) => a.login === DEMO.zhang)!);
    // The first department's officer also staffs the service counter (identity's seed).
    counter = await signIn(demo.find((a) => a.kind === 'officer')!);
    other = await signIn(await createAccount(p, 'citizen'));
  });
  after(() => p.dispose());

  let draft: Json;

  test('a citizen cannot ask the hub for prefill themself: only the workflow, with its service role', async () => {
    const accountId = (await call('GET', '/api/identity/me', zhang)).body?.id ?? 'x';
    const r = await call('POST', '/api/datahub/prefill', zhang, {
      accountId,
      purpose: 'BIRTH',
      elements: ['mother.idNumber'],
    });
    assert.equal(r.status, 403, JSON.stringify(r.body));
  });

  test('a new draft says what the hub needs consent for; nothing is filled before it', async () => {
    const r = await call('POST', '/api/workflow/drafts', zhang, { subject: { kind: 'bundle', code: 'BIRTH' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    draft = r.body;
    assert.equal(draft.prefill.status, 'filled', JSON.stringify(draft.prefill));
    assert.deepEqual(draft.prefill.fields, {});
    const needed = draft.prefill.consentNeeded.map((c: { element: string }) => c.element);
    for (const e of ['mother.idNumber', 'child.birthDate', 'father.name', 'person.name'])
      assert.ok(needed.includes(e), `${e} waits for consent: ${needed}`);
    assert.ok(draft.prefill.missing.includes('bank.branch'), 'no registry holds a bank branch');
  });

  test("after consent at the hub, asking again fills the parents' and the birth's details, each with its source, locked", async () => {
    const items = [
      ...new Set(draft.prefill.consentNeeded.map((c: { resource: string; item: string }) => `${c.resource}.${c.item}`)),
    ];
    const consent = await call('POST', '/api/datahub/me/consents', zhang, { purpose: 'BIRTH', items });
    assert.equal(consent.status, 201, JSON.stringify(consent.body));

    const r = await call('POST', `/api/workflow/drafts/${draft.id}/prefill`, zhang);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    draft = r.body;
    const { form, prefill } = draft;
    assert.equal(form['person.name'], '张三');
    assert.equal(form['father.idNumber'], DEMO.zhang);
    assert.equal(form['mother.idNumber'], DEMO.li);
    assert.equal(form['mother.name'], '李四');
    assert.equal(form['child.name'], '张小宝');
    assert.match(form['child.birthDate'], /^\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(
      [prefill.fields['mother.name'].source.resource, prefill.fields['mother.name'].locked],
      ['population', true],
    );
    assert.deepEqual(
      [
        prefill.fields['child.birthDate'].source.resource,
        prefill.fields['child.birthDate'].source.department,
        prefill.fields['child.birthDate'].locked,
      ],
      ['birth-record', '330100-WJW', true],
    );
    assert.deepEqual(prefill.consentNeeded, []);
  });

  test('another citizen cannot prefill, read or save this draft', async () => {
    for (const [method, url, body] of [
      ['POST', `/api/workflow/drafts/${draft.id}/prefill`, undefined],
      ['GET', `/api/workflow/applications/${draft.id}`, undefined],
      ['PUT', `/api/workflow/drafts/${draft.id}`, { version: draft.version, form: draft.form, materials: [] }],
    ] as const) {
      const r = await call(method, url, other, body);
      assert.ok([403, 404].includes(r.status), `${method} ${url}: ${r.status}`);
    }
  });

  test('a changed locked value is refused at save, naming the field, in the caller’s language', async () => {
    const r = await call(
      'PUT',
      `/api/workflow/drafts/${draft.id}`,
      zhang,
      { version: draft.version, form: { ...draft.form, 'child.birthDate': '2026-11-01' }, materials: [] },
      { 'accept-language': 'en' },
    );
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.code, 'WORKFLOW_FORM_INVALID');
    assert.deepEqual(
      r.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['form.child.birthDate', 'locked_value_changed']],
    );
    assert.match(r.body.errors[0].message, /verified by an authoritative source/);
  });

  test('completed and submitted, 出生医学证明 is approved by its rule over the hospital record (秒批)', async () => {
    // What no registry holds, the applicant types; what was prefilled stays as it came.
    const form = { ...birthForm(), ...draft.form };
    const saved = await call('PUT', `/api/workflow/drafts/${draft.id}`, zhang, {
      version: draft.version,
      form,
      materials: birthMaterials,
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const r = await call(
      'POST',
      '/api/workflow/applications',
      zhang,
      { draftId: draft.id },
      { 'idempotency-key': randomUUID() },
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(taskOf(r.body, M.birthCertificate).state, 'approved', JSON.stringify(r.body.tasks));
    const timeline = (await call('GET', `/api/workflow/applications/${r.body.id}/timeline`, zhang)).body;
    const approval = timeline.find((e: { action: string }) => e.action === 'autoApprove');
    assert.equal(approval?.rule, 'hospital-record-matches', JSON.stringify(timeline));
    // The prerequisite approved at once, the matters that wait for it start.
    assert.equal(taskOf(r.body, M.birthRegistration).state, 'submitted');
  });

  test('at the counter (窗口) the officer names 张三 by ID number: the registry resolves him, the screen shows him masked', async () => {
    const r = await call(
      'POST',
      '/api/workflow/counter/applications',
      counter,
      {
        applicant: { idNumber: DEMO.zhang },
        subject: { kind: 'matter', code: M.birthCertificate },
        form: birthCertificateForm(),
        materials: [{ code: 'mother-id-card', ref: 'doc:scanned-at-counter' }],
      },
      { 'idempotency-key': randomUUID() },
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.applicant, {
      name: '张*',
      idNumber: `${DEMO.zhang.slice(0, 6)}********${DEMO.zhang.slice(-4)}`,
    });
    // It is 张三's: he sees it among his applications.
    const mine = (await call('GET', '/api/workflow/applications', zhang)).body;
    assert.ok(mine.some((a: { id: string; channel: string }) => a.id === r.body.id && a.channel === 'counter'));
    const unknown = await call(
      'POST',
      '/api/workflow/counter/applications',
      counter,
      {
        applicant: { idNumber: `11010119900307001${residentIdCheckChar('11010119900307001')}` },
        subject: { kind: 'matter', code: M.birthCertificate },
        form: birthCertificateForm(),
        materials: [{ code: 'mother-id-card', ref: 'doc:scanned-at-counter' }],
      },
      { 'idempotency-key': randomUUID() },
    );
    assert.equal(unknown.status, 422, JSON.stringify(unknown.body));
    assert.deepEqual(
      unknown.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body.applicant.idNumber', 'unknown']],
    );
  });
});
