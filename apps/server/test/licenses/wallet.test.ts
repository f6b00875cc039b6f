// Issue 13, 入卡包: a wallet gets the holder's licence as an SD-JWT VC over OpenID4VCI 1.0 and
// presents chosen claims to a verifier. The wallet here is written from the specifications, not
// from the code: it reads the issuer's metadata, redeems the offer the portal showed the signed-in
// holder at the token endpoint with a DPoP proof (RFC 9449), asks for a c_nonce, proves
// possession of its key, and builds its presentation with a key-binding JWT by hand (RFC 9901
// §4.3). Replays, other people and missing proofs are refused.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import { databaseLabel } from '@tongban/kernel/testing';
import licenses from '@tongban/licenses';
import workflow from '@tongban/workflow';
import { digest, ES256 } from '@sd-jwt/crypto-nodejs';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { sql } from 'kysely';
import { approveBirthCertificate, startWorkflow, type Harness } from '../workflow/fixtures.ts';

const WJW = '330100-WJW';
const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const VERIFIER = 'https://verifier.example.gov.cn';

interface KeyPair {
  privateKey: CryptoKey;
  jwk: JWK;
}
async function keyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { privateKey, jwk: await exportJWK(publicKey) };
}
const b64sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
const path = (url: string) => new URL(url).pathname;

describe(`wallet credential over OpenID4VCI, and its presentations (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, licenses], identity: true });
  });
  after(() => h.p.dispose());

  const issuer = () => h.p.instanceOf(licenses);
  // The wallet's clock agrees with the platform's (the test's clock).
  const nowSeconds = () => Math.floor(h.clock.now().getTime() / 1000);

  async function licenceOf(citizen: string): Promise<{ id: string; identifier: string }> {
    await approveBirthCertificate(h, citizen);
    await issuer().kick();
    const mine = await h.call('GET', '/api/licenses/me', await h.citizen(citizen));
    return mine.body.licences[0];
  }

  async function metadata() {
    const vci = await h.call('GET', '/.well-known/openid-credential-issuer/api/licenses', {});
    assert.equal(vci.status, 200, JSON.stringify(vci.body));
    const issuerId: string = vci.body.credential_issuer;
    // RFC 8414 §3.1: /.well-known/oauth-authorization-server inserted before the issuer's path.
    const as = await h.call('GET', `/.well-known/oauth-authorization-server${path(issuerId)}`, {});
    assert.equal(as.status, 200);
    assert.equal(as.body.issuer, issuerId);
    return { vci: vci.body, as: as.body, issuerId };
  }

  async function dpopProof(key: KeyPair, htm: string, htu: string, accessToken?: string, jti = randomUUID()) {
    return new SignJWT({
      htm,
      htu,
      jti,
      iat: nowSeconds(),
      ...(accessToken ? { ath: b64sha256(accessToken) } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk })
      .sign(key.privateKey);
  }

  async function keyProof(key: KeyPair, aud: string, nonce: string) {
    return new SignJWT({ aud, nonce, iat: nowSeconds() })
      .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: key.jwk })
      .sign(key.privateKey);
  }

  async function offerFor(licenceId: string, citizen: string) {
    const r = await h.call('POST', `/api/licenses/${licenceId}/wallet-offer`, await h.citizen(citizen));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const uri = new URL(r.body.offerUri);
    assert.equal(uri.protocol, 'openid-credential-offer:');
    const offer = JSON.parse(uri.searchParams.get('credential_offer')!);
    assert.deepEqual(offer, r.body.offer, 'the link carries the offer itself');
    return offer as {
      credential_issuer: string;
      credential_configuration_ids: string[];
      grants: Record<string, { 'pre-authorized_code': string }>;
    };
  }

  async function tokenRequest(tokenEndpoint: string, code: string, dpop?: string) {
    const r = await h.p.app.inject({
      method: 'POST',
      url: path(tokenEndpoint),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop ? { dpop } : {}) },
      payload: new URLSearchParams({ grant_type: PRE_AUTH, 'pre-authorized_code': code }).toString(),
    });
    return { status: r.statusCode, body: r.json(), headers: r.headers };
  }

  async function credentialRequest(
    endpoint: string,
    headers: Record<string, string>,
    body: { credential_configuration_id: string; proofs: { jwt: string[] } },
  ) {
    return h.call('POST', path(endpoint), headers, body);
  }

  /** RFC 9901 §4.3: the chosen disclosures, then a KB-JWT over them (sd_hash) for this verifier and nonce. */
  async function present(credential: string, holder: KeyPair, claims: string[], nonce: string, aud = VERIFIER) {
    const [jwt, ...disclosures] = credential.split('~').filter(Boolean);
    const chosen = disclosures.filter((d) =>
      claims.includes((JSON.parse(Buffer.from(d, 'base64url').toString()) as unknown[])[1] as string),
    );
    assert.equal(chosen.length, claims.length, 'each chosen claim is a disclosure of its own');
    const sdJwt = `${[jwt, ...chosen].join('~')}~`;
    const kb = await new SignJWT({ iat: nowSeconds(), aud, nonce, sd_hash: b64sha256(sdJwt) })
      .setProtectedHeader({ alg: 'ES256', typ: 'kb+jwt' })
      .sign(holder.privateKey);
    return sdJwt + kb;
  }

  test('a wallet gets the licence as an SD-JWT VC and a verifier accepts a presentation of chosen claims', async () => {
    const licence = await licenceOf('c-wallet-1');
    const { vci, as, issuerId } = await metadata();
    const configuration = vci.credential_configurations_supported['birth-medical-certificate'];
    assert.equal(configuration.format, 'dc+sd-jwt');
    assert.deepEqual(configuration.cryptographic_binding_methods_supported, ['jwk']);
    assert.deepEqual(configuration.proof_types_supported, { jwt: { proof_signing_alg_values_supported: ['ES256'] } });
    assert.deepEqual(
      configuration.credential_metadata.display.map((d: { locale: string }) => d.locale),
      ['zh-CN', 'en'],
    );
    assert.equal(as['pre-authorized_grant_anonymous_access_supported'], true);
    assert.deepEqual(as.dpop_signing_alg_values_supported, ['ES256']);

    const offer = await offerFor(licence.id, 'c-wallet-1');
    assert.equal(offer.credential_issuer, issuerId);
    assert.deepEqual(offer.credential_configuration_ids, ['birth-medical-certificate']);
    const code = offer.grants[PRE_AUTH]!['pre-authorized_code'];

    const dpopKey = await keyPair();
    const token = await tokenRequest(as.token_endpoint, code, await dpopProof(dpopKey, 'POST', as.token_endpoint));
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal(token.body.token_type, 'DPoP');
    assert.equal(token.headers['cache-control'], 'no-store');
    const accessToken: string = token.body.access_token;

    const nonce = await h.call('POST', path(vci.nonce_endpoint), {});
    assert.equal(nonce.status, 200);
    const holder = await keyPair();
    const issued = await credentialRequest(
      vci.credential_endpoint,
      {
        authorization: `DPoP ${accessToken}`,
        dpop: await dpopProof(dpopKey, 'POST', vci.credential_endpoint, accessToken),
      },
      {
        credential_configuration_id: 'birth-medical-certificate',
        proofs: { jwt: [await keyProof(holder, issuerId, nonce.body.c_nonce)] },
      },
    );
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    const credential: string = issued.body.credentials[0].credential;
    const [jwt] = credential.split('~');
    const header = JSON.parse(Buffer.from(jwt!.split('.')[0]!, 'base64url').toString());
    const payload = JSON.parse(Buffer.from(jwt!.split('.')[1]!, 'base64url').toString());
    assert.equal(header.typ, 'dc+sd-jwt');
    assert.equal(payload.iss, issuerId);
    assert.deepEqual(payload.cnf.jwk, { kty: 'EC', crv: 'P-256', x: holder.jwk.x, y: holder.jwk.y });
    assert.match(payload.status.status_list.uri, /\/api\/licenses\/token-status-lists\/sl-330100-WJW$/);
    // The issuer's key is published for verifiers (SD-JWT VC §5).
    const jwks = await h.call('GET', `/.well-known/jwt-vc-issuer${path(issuerId)}`, {});
    assert.ok(jwks.body.jwks.keys.some((k: { kid: string }) => k.kid === header.kid));

    // One wallet issuance, one event for the ledger.
    const events = await sql<{ n: number }>`select count(*)::int as n from licenses.outbox
      where type = 'licenses.licence.wallet-issued' and data->>'licenceId' = ${licence.id}`.execute(issuer().db);
    assert.equal(events.rows[0]!.n, 1);

    const verifierNonce: string = randomUUID();
    const presentation = await present(credential, holder, ['identifier', 'childBirthDate'], verifierNonce);
    const verified = await h.call(
      'POST',
      '/api/licenses/presentations/verify',
      {},
      {
        presentation,
        nonce: verifierNonce,
        audience: VERIFIER,
      },
    );
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.valid, true, JSON.stringify(verified.body));
    assert.deepEqual(verified.body.claims, { identifier: licence.identifier, childBirthDate: '2026-11-20' });
    assert.equal(verified.body.keyBinding, true);
    assert.deepEqual(verified.body.licence, {
      identifier: licence.identifier,
      type: 'birth-medical-certificate',
      issuer: { id: payload.issuer_code, url: issuerId },
    });

    // The maintained @sd-jwt verifier, as another party runs it: the issuer's published key, the KB-JWT
    // by the credential's cnf key, and the status fetched from the credential's status_list.uri as
    // its own fetcher does (Accept and content type statuslist+jwt), here through the platform's router.
    const issuerJwk = jwks.body.jwks.keys.find((k: { kid: string }) => k.kid === header.kid);
    const fetched: string[] = [];
    const outside = new SDJwtVcInstance({
      hasher: digest,
      verifier: await ES256.getVerifier(issuerJwk),
      kbVerifier: async (data, signature, kbPayload) =>
        (await ES256.getVerifier((kbPayload as { cnf: { jwk: JWK } }).cnf.jwk))(data, signature),
      statusListFetcher: async (uri) => {
        const r = await h.p.app.inject({
          method: 'GET',
          url: path(uri),
          headers: { accept: 'application/statuslist+jwt' },
        });
        assert.equal(r.statusCode, 200, r.body);
        assert.match(String(r.headers['content-type']), /^application\/statuslist\+jwt/);
        fetched.push(r.body);
        return r.body;
      },
    });
    const accepted = await outside.verify(presentation, {
      requiredClaimKeys: ['identifier'],
      keyBindingNonce: verifierNonce,
      currentDate: nowSeconds(),
    });
    assert.equal(accepted.payload.identifier, licence.identifier);
    // The Status List Token itself, read by @sd-jwt's own decoder: its sub is the URI, the slot VALID.
    const listPayload = JSON.parse(Buffer.from(fetched[0]!.split('.')[1]!, 'base64url').toString());
    assert.equal(listPayload.sub, payload.status.status_list.uri);
    assert.equal(getListFromStatusListJWT(fetched[0]!).getStatus(payload.status.status_list.idx), 0);

    const check = async (p: string, n = verifierNonce) =>
      (
        await h.call(
          'POST',
          '/api/licenses/presentations/verify',
          {},
          { presentation: p, nonce: n, audience: VERIFIER },
        )
      ).body;
    assert.equal((await check(presentation, 'another-nonce')).reason, 'wrong_nonce');
    // A disclosure changed on the way (another birth date, re-encoded): its digest is not the credential's.
    const parts = presentation.split('~');
    const at = parts.findIndex(
      (p, i) => i > 0 && JSON.parse(Buffer.from(p, 'base64url').toString())[1] === 'childBirthDate',
    );
    const [salt] = JSON.parse(Buffer.from(parts[at]!, 'base64url').toString()) as [string];
    parts[at] = Buffer.from(JSON.stringify([salt, 'childBirthDate', '2020-01-01'])).toString('base64url');
    const altered = await check(parts.join('~'));
    assert.deepEqual([altered.valid, altered.reason, altered.claims], [false, 'altered_disclosure', {}]);
    const noKb = presentation.slice(0, presentation.lastIndexOf('~') + 1);
    assert.deepEqual([(await check(noKb)).reason, (await check(noKb)).keyBinding], ['no_key_binding', false]);

    // The issuing department suspends, then revokes: the verifier says so.
    const officer = await h.officer(WJW);
    const statusUrl = `/api/licenses/${licence.id}/status`;
    assert.equal((await h.call('POST', statusUrl, officer, { action: 'suspend', reason: '核查' })).status, 200);
    assert.deepEqual([(await check(presentation)).valid, (await check(presentation)).reason], [false, 'suspended']);
    await assert.rejects(outside.verify(presentation, { keyBindingNonce: verifierNonce, currentDate: nowSeconds() }));
    assert.equal(getListFromStatusListJWT(fetched.at(-1)!).getStatus(payload.status.status_list.idx), 2, 'SUSPENDED');
    assert.equal((await h.call('POST', statusUrl, officer, { action: 'revoke', reason: '撤销' })).status, 200);
    assert.equal((await check(presentation)).reason, 'revoked');
    // The outside verifier learns it from the Status List Token: the slot INVALID, the presentation refused.
    await assert.rejects(
      outside.verify(presentation, { keyBindingNonce: verifierNonce, currentDate: nowSeconds() }),
      /Status is not valid/,
    );
    assert.equal(getListFromStatusListJWT(fetched.at(-1)!).getStatus(payload.status.status_list.idx), 1);
    assert.equal(
      (await h.call('GET', '/api/licenses/token-status-lists/sl-nowhere', {})).status,
      404,
      'a list this region does not keep',
    );
    // And no new offer for a licence that is not valid.
    const refused = await h.call('POST', `/api/licenses/${licence.id}/wallet-offer`, await h.citizen('c-wallet-1'));
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'LICENSES_WALLET_NOT_VALID');
  });

  test('an offer is for the holder only: another citizen, an officer and no one are refused', async () => {
    const licence = await licenceOf('c-wallet-2');
    const url = `/api/licenses/${licence.id}/wallet-offer`;
    assert.equal((await h.call('POST', url, await h.citizen('c-wallet-other'))).status, 403);
    assert.equal((await h.call('POST', url, await h.officer(WJW))).status, 403, 'not even the issuing department');
    assert.equal((await h.call('POST', url, {})).status, 401);
    const missing = await h.call(
      'POST',
      '/api/licenses/00000000-0000-4000-8000-000000000000/wallet-offer',
      await h.citizen('c-wallet-2'),
    );
    assert.equal(missing.status, 404);
  });

  test('the token endpoint requires a DPoP proof, and a code or a proof works once', async () => {
    const licence = await licenceOf('c-wallet-3');
    const { as } = await metadata();
    const key = await keyPair();
    const code = (await offerFor(licence.id, 'c-wallet-3')).grants[PRE_AUTH]!['pre-authorized_code'];

    const without = await tokenRequest(as.token_endpoint, code);
    assert.deepEqual([without.status, without.body.error], [400, 'invalid_dpop_proof']);
    const wrongUrl = await tokenRequest(
      as.token_endpoint,
      code,
      await dpopProof(key, 'POST', `${as.issuer}/elsewhere`),
    );
    assert.deepEqual([wrongUrl.status, wrongUrl.body.error], [400, 'invalid_dpop_proof']);
    const unknown = await tokenRequest(
      as.token_endpoint,
      'not-a-code',
      await dpopProof(key, 'POST', as.token_endpoint),
    );
    assert.deepEqual([unknown.status, unknown.body.error], [400, 'invalid_grant']);

    const proof = await dpopProof(key, 'POST', as.token_endpoint);
    assert.equal((await tokenRequest(as.token_endpoint, code, proof)).status, 200);
    // The same code again, with a fresh proof: used.
    const again = await tokenRequest(as.token_endpoint, code, await dpopProof(key, 'POST', as.token_endpoint));
    assert.deepEqual([again.status, again.body.error], [400, 'invalid_grant']);
    // The same proof again, for a fresh code: replayed.
    const fresh = (await offerFor(licence.id, 'c-wallet-3')).grants[PRE_AUTH]!['pre-authorized_code'];
    const replay = await tokenRequest(as.token_endpoint, fresh, proof);
    assert.deepEqual([replay.status, replay.body.error], [400, 'invalid_dpop_proof']);
    assert.equal(
      (await tokenRequest(as.token_endpoint, fresh, await dpopProof(key, 'POST', as.token_endpoint))).status,
      200,
    );

    // Two wallets racing for one code (a copied offer): one token, one refusal.
    const raced = (await offerFor(licence.id, 'c-wallet-3')).grants[PRE_AUTH]!['pre-authorized_code'];
    const answers = await Promise.all(
      [await keyPair(), await keyPair()].map(async (k) =>
        tokenRequest(as.token_endpoint, raced, await dpopProof(k, 'POST', as.token_endpoint)),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 400]);
  });

  test('the credential endpoint requires the DPoP-bound token with its proof, and a key proof for this issuer and a fresh nonce', async () => {
    const licence = await licenceOf('c-wallet-4');
    const { vci, as, issuerId } = await metadata();
    const dpopKey = await keyPair();
    const holder = await keyPair();
    const code = (await offerFor(licence.id, 'c-wallet-4')).grants[PRE_AUTH]!['pre-authorized_code'];
    const accessToken: string = (
      await tokenRequest(as.token_endpoint, code, await dpopProof(dpopKey, 'POST', as.token_endpoint))
    ).body.access_token;
    const endpoint = vci.credential_endpoint as string;
    const nonce = async () => (await h.call('POST', path(vci.nonce_endpoint), {})).body.c_nonce as string;
    const body = async (aud = issuerId, n?: string) => ({
      credential_configuration_id: 'birth-medical-certificate',
      proofs: { jwt: [await keyProof(holder, aud, n ?? (await nonce()))] },
    });
    const bound = async () => ({
      authorization: `DPoP ${accessToken}`,
      dpop: await dpopProof(dpopKey, 'POST', endpoint, accessToken),
    });

    // The token as a bearer token, or without its proof, or with a proof by another key: refused.
    const bearer = await credentialRequest(endpoint, { authorization: `Bearer ${accessToken}` }, await body());
    assert.deepEqual([bearer.status, bearer.body.error], [401, 'invalid_token']);
    assert.match(String(bearer.headers['www-authenticate']), /^DPoP /);
    const noProof = await credentialRequest(endpoint, { authorization: `DPoP ${accessToken}` }, await body());
    assert.deepEqual([noProof.status, noProof.body.error], [401, 'invalid_dpop_proof']);
    const otherKey = await credentialRequest(
      endpoint,
      { authorization: `DPoP ${accessToken}`, dpop: await dpopProof(await keyPair(), 'POST', endpoint, accessToken) },
      await body(),
    );
    assert.deepEqual([otherKey.status, otherKey.body.error], [401, 'invalid_dpop_proof']);
    const noAth = await credentialRequest(
      endpoint,
      { authorization: `DPoP ${accessToken}`, dpop: await dpopProof(dpopKey, 'POST', endpoint) },
      await body(),
    );
    assert.deepEqual([noAth.status, noAth.body.error], [401, 'invalid_dpop_proof']);
    const unknownToken = await credentialRequest(
      endpoint,
      { authorization: `DPoP ${'x'.repeat(43)}`, dpop: await dpopProof(dpopKey, 'POST', endpoint, 'x'.repeat(43)) },
      await body(),
    );
    assert.deepEqual([unknownToken.status, unknownToken.body.error], [401, 'invalid_token']);

    // Key proofs for another audience, or naming a nonce we never gave: refused.
    const wrongAud = await credentialRequest(endpoint, await bound(), await body('https://other-issuer.example'));
    assert.deepEqual([wrongAud.status, wrongAud.body.error], [400, 'invalid_proof']);
    const wrongNonce = await credentialRequest(endpoint, await bound(), await body(issuerId, 'never-given-nonce'));
    assert.deepEqual([wrongNonce.status, wrongNonce.body.error], [400, 'invalid_nonce']);
    const otherType = await credentialRequest(endpoint, await bound(), {
      ...(await body()),
      credential_configuration_id: 'household-register',
    });
    assert.deepEqual([otherType.status, otherType.body.error], [400, 'invalid_credential_request']);
    const malformed = await credentialRequest(endpoint, await bound(), {
      credential_configuration_id: 'birth-medical-certificate',
      proofs: { jwt: [] },
    });
    assert.deepEqual([malformed.status, malformed.body.error], [400, 'invalid_credential_request']);

    // Then it works — once per nonce, and once per DPoP proof.
    const n = await nonce();
    const headers = await bound();
    const ok = await credentialRequest(endpoint, headers, await body(issuerId, n));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const sameNonce = await credentialRequest(endpoint, await bound(), await body(issuerId, n));
    assert.deepEqual([sameNonce.status, sameNonce.body.error], [400, 'invalid_nonce']);
    const sameProof = await credentialRequest(endpoint, headers, await body());
    assert.deepEqual([sameProof.status, sameProof.body.error], [401, 'invalid_dpop_proof']);
  });

  test("the OAuth endpoints answer a bad body with OAuth's errors, and take a nonce request with an empty JSON body", async () => {
    const { vci, as } = await metadata();
    const raw = (url: string, contentType: string, payload: string, headers: Record<string, string> = {}) =>
      h.p.app.inject({ method: 'POST', url: path(url), headers: { 'content-type': contentType, ...headers }, payload });
    for (const r of [
      await raw(as.token_endpoint, 'application/json', '{"grant_type":1}'),
      await raw(as.token_endpoint, 'application/json', '{not json'),
    ]) {
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(r.json().error, 'invalid_request', r.body);
    }
    const broken = await raw(vci.credential_endpoint, 'application/json', '{not json', { authorization: 'DPoP x' });
    assert.deepEqual([broken.statusCode, broken.json().error], [400, 'invalid_credential_request']);
    const empty = await raw(vci.nonce_endpoint, 'application/json', '');
    assert.equal(empty.statusCode, 200, empty.body);
    assert.equal(typeof empty.json().c_nonce, 'string');
  });

  test('the document declares the OAuth error of each OAuth endpoint, the nonce endpoint too', async () => {
    const { vci } = await metadata();
    const refused = await h.p.app.inject({
      method: 'POST',
      url: path(vci.nonce_endpoint),
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    assert.deepEqual([refused.statusCode, refused.json().error], [400, 'invalid_request']);
    const doc = (await h.p.app.inject({ url: '/api/openapi.json' })).json();
    for (const endpoint of ['token', 'nonce', 'credential']) {
      const declared = doc.paths[`/api/licenses/${endpoint}`].post.responses['400'];
      assert.deepEqual(declared?.content['application/json'].schema.required, ['error'], endpoint);
    }
  });

  test('the verifier refuses a malformed request with problem+json naming the field', async () => {
    const r = await h.call('POST', '/api/licenses/presentations/verify', {}, { presentation: 'x~', nonce: 'n' });
    assert.equal(r.status, 400);
    assert.ok(
      r.body.errors.some((e: { field: string }) => e.field.includes('audience')),
      JSON.stringify(r.body),
    );
    const garbage = await h.call(
      'POST',
      '/api/licenses/presentations/verify',
      {},
      {
        presentation: 'x~',
        nonce: 'n',
        audience: VERIFIER,
      },
    );
    assert.deepEqual([garbage.body.valid, garbage.body.reason, garbage.body.keyBinding], [false, 'malformed', false]);
  });
});
