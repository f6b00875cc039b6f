// Passkeys (WebAuthn) against a software authenticator: enrolment, sign-in with password and
// passkey (multi-factor), and the refusals — a replayed assertion, another key, another origin —
// and removal, after which the password alone signs in again.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import identity from '../src/index.ts';
import { ACR_MFA, ACR_PASSWORD } from '../src/service/provider.ts';
import { Browser, formAction } from './browser.ts';
import { createAccount, type TestAccount } from './fixtures.ts';
import { REDIRECT, relyingParty, type RelyingParty } from './flows.ts';

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

/** The little CBOR WebAuthn needs: unsigned and negative integers, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number) => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const b = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, b.length), b]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

/** A software authenticator: one P-256 passkey with user verification and a signature counter. */
class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  #key: KeyObject;
  readonly #publicJwk: { x: string; y: string };
  counter = 0;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#key = privateKey;
    this.#publicJwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** Signs with a different key from now on (as a forged authenticator would). */
  swapKey(): void {
    this.#key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  }

  #authData(rpID: string, flags: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    return Buffer.concat([sha256(rpID), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  create(options: { challenge: string; rp: { id?: string } }, origin: string) {
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }),
    );
    const cose = cbor(
      new Map<number, unknown>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(this.#publicJwk.x, 'base64url')],
        [-3, Buffer.from(this.#publicJwk.y, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = this.#authData(
      options.rp.id!,
      0x01 | 0x04 | 0x40,
      Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, cose]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(cbor({ fmt: 'none', attStmt: {}, authData })),
        transports: ['internal'],
      },
    };
  }

  get(options: { challenge: string; rpId?: string }, origin: string) {
    this.counter += 1;
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }),
    );
    const authenticatorData = this.#authData(options.rpId!, 0x01 | 0x04);
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.#key); // DER for EC keys
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
      },
    };
  }
}

describe('passkeys', () => {
  let p: TestPlatform;
  let rp: RelyingParty;
  let origin: string;
  const json = { 'content-type': 'application/json' };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}`, ...json });
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const events = async (type: string) =>
    (await p.database.db.selectFrom('identity.outbox').select('data').where('type', '=', type).execute()).map(
      (r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    );

  before(async () => {
    p = await startTestPlatform([identity], { env: { TONGBAN_PORT: '0' } });
    await p.listen();
    rp = await relyingParty(p, 'rp-passkeys');
    origin = new URL((await p.app.inject({ url: '/api/identity/keys' })).json<{ issuer: string }>().issuer).origin;
  });
  after(() => p.dispose());

  let serial = 0;
  /** A citizen with no second factor yet, stepped up by SMS (enrolling needs multi-factor), who enrols the authenticator's passkey. */
  async function enrolled(): Promise<{ account: TestAccount; token: string; authenticator: SoftAuthenticator }> {
    const account = await createAccount(p, 'citizen', { mobile: `1370000${String(2000 + serial++)}` });
    const { tokens } = await rp.signIn(account, { mfa: true });
    const token = (await rp.apiToken(tokens.refresh_token!)).accessToken;
    const authenticator = new SoftAuthenticator();
    const options = await p.app.inject({
      method: 'POST',
      url: '/api/identity/me/passkeys/options',
      headers: bearer(token),
      payload: {},
    });
    assert.equal(options.statusCode, 200, options.body);
    const created = await p.app.inject({
      method: 'POST',
      url: '/api/identity/me/passkeys',
      headers: bearer(token),
      payload: authenticator.create(options.json(), origin),
    });
    assert.equal(created.statusCode, 201, created.body);
    return { account, token, authenticator };
  }

  /** Password, then the passkey page: its options, the authenticator's answer posted as the form field. */
  type Answer = object | ((options: { challenge: string; rpId?: string }) => object);
  async function signIn(account: TestAccount, answer: Answer) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(rp.config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const browser = new Browser();
    const start = await browser.follow(url, REDIRECT);
    const step = await browser.follow(formAction(await start.response!.text(), start.url), REDIRECT, {
      form: { login: account.login, password: account.password },
    });
    const html = await step.response!.text();
    assert.match(html, /Use your passkey/);
    assert.match(html, /<script src="\/api\/identity\/static\/passkey\.js" defer><\/script>/);
    const optionsUrl = new URL(/data-options="([^"]+)"/.exec(html)![1]!, step.url);
    const submit = async (credential: Answer) => {
      const options = (await (await browser.request(optionsUrl)).json()) as { challenge: string; rpId?: string };
      return browser.follow(formAction(html, step.url), REDIRECT, {
        form: { credential: JSON.stringify(typeof credential === 'function' ? credential(options) : credential) },
      });
    };
    const done = await submit(answer);
    const tokens = done.url.href.startsWith(REDIRECT)
      ? await client.authorizationCodeGrant(rp.config, done.url, { pkceCodeVerifier: verifier, expectedState: state })
      : undefined;
    return { status: done.response?.status, tokens, submit };
  }

  test('a signed-in person enrols a passkey and sees it listed; the event is in the outbox', async () => {
    const { account, token, authenticator } = await enrolled();
    const list = await p.app.inject({ url: '/api/identity/me/passkeys', headers: bearer(token) });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().items.map((i: { id: string }) => i.id),
      [authenticator.id],
    );
    assert.ok(
      (await events('identity.mfa.changed')).some(
        (e) => e.accountId === account.id && e.factor === 'passkey' && e.change === 'enrolled',
      ),
    );
    const notice = await p.database.db
      .selectFrom('identity.dev_sms')
      .select('text')
      .where('mobile', '=', account.mobile!)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    assert.match(String(notice?.text), /您的账号刚刚添加了通行密钥/, 'the owner is told on the registered mobile');
    const script = await p.app.inject({ url: '/api/identity/static/passkey.js' });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /^application\/javascript/);
    assert.match(script.body, /navigator\.credentials\.get/);
  });

  test('enrolment is refused for another origin and for an answer to no challenge', async () => {
    const account = await createAccount(p, 'citizen', { mobile: '13700001999' });
    const { tokens } = await rp.signIn(account, { mfa: true });
    const token = (await rp.apiToken(tokens.refresh_token!)).accessToken;
    const options = (
      await p.app.inject({
        method: 'POST',
        url: '/api/identity/me/passkeys/options',
        headers: bearer(token),
        payload: {},
      })
    ).json();
    const evil = await p.app.inject({
      method: 'POST',
      url: '/api/identity/me/passkeys',
      headers: bearer(token),
      payload: new SoftAuthenticator().create(options, 'http://evil.example.test'),
    });
    assert.equal(evil.statusCode, 422);
    const again = await p.app.inject({
      method: 'POST',
      url: '/api/identity/me/passkeys',
      headers: bearer(token),
      payload: new SoftAuthenticator().create(options, origin),
    });
    assert.equal(again.statusCode, 422, 'the challenge was used up by the refused attempt');
    const list = await p.app.inject({ url: '/api/identity/me/passkeys', headers: bearer(token) });
    assert.deepEqual(list.json().items, []);
  });

  test('password and passkey sign in with multi-factor assurance', async () => {
    const { account, authenticator } = await enrolled();
    const result = await signIn(account, (o) => authenticator.get(o, origin));
    assert.ok(result.tokens, `sign-in finished (status ${result.status})`);
    const claims = result.tokens.claims()!;
    assert.equal(claims.acr, ACR_MFA);
    assert.deepEqual(claims.amr, ['pwd', 'hwk']);
  });

  test('a replayed assertion is refused: its challenge was used once', async () => {
    const { account, authenticator } = await enrolled();
    let captured: object | undefined;
    const first = await signIn(account, (o) => (captured = authenticator.get(o, origin)));
    assert.ok(first.tokens);
    const replay = await signIn(account, captured!);
    assert.equal(replay.status, 401, 'the same assertion on a new sign-in is refused');
  });

  test('an assertion answering an already-answered challenge is refused', async () => {
    const { account, authenticator } = await enrolled();
    let options: { challenge: string; rpId?: string } | undefined;
    const wrong = await signIn(account, (o) => {
      options = o;
      return authenticator.get(o, 'http://evil.example.test');
    });
    assert.equal(wrong.status, 401);
    // The challenge was taken out by the refused answer: the right answer to it no longer works.
    const late = await wrong.submit(authenticator.get(options!, origin));
    assert.equal(late.response?.status, 401);
  });

  test('an assertion signed by another key is refused', async () => {
    const { account, authenticator } = await enrolled();
    authenticator.swapKey();
    const result = await signIn(account, (o) => authenticator.get(o, origin));
    assert.equal(result.status, 401);
    assert.equal(result.tokens, undefined);
  });

  test('an assertion made for another origin is refused', async () => {
    const { account, authenticator } = await enrolled();
    const result = await signIn(account, (o) => authenticator.get(o, 'http://evil.example.test'));
    assert.equal(result.status, 401);
  });

  test('a signature counter that does not move forward is refused (a cloned authenticator)', async () => {
    const { account, authenticator } = await enrolled();
    assert.ok((await signIn(account, (o) => authenticator.get(o, origin))).tokens);
    authenticator.counter -= 1; // the next assertion repeats the count already seen
    const result = await signIn(account, (o) => authenticator.get(o, origin));
    assert.equal(result.status, 401);
  });

  test('after the passkey is removed, the password alone signs in again', async () => {
    const { account, token, authenticator } = await enrolled();
    const removed = await p.app.inject({
      method: 'DELETE',
      url: `/api/identity/me/passkeys/${authenticator.id}`,
      headers: auth(token),
    });
    assert.equal(removed.statusCode, 204);
    const again = await p.app.inject({
      method: 'DELETE',
      url: `/api/identity/me/passkeys/${authenticator.id}`,
      headers: auth(token),
    });
    assert.equal(again.statusCode, 404);
    assert.ok(
      (await events('identity.mfa.changed')).some(
        (e) => e.accountId === account.id && e.factor === 'passkey' && e.change === 'removed',
      ),
    );
    const notice = await p.database.db
      .selectFrom('identity.dev_sms')
      .select('text')
      .where('mobile', '=', account.mobile!)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    assert.match(String(notice?.text), /您的账号刚刚移除了通行密钥/);
    const { tokens } = await rp.signIn(account);
    assert.equal(tokens.claims()!.acr, ACR_PASSWORD);
  });
});
