// The wallet credential (入卡包): the licence issued as an SD-JWT VC over OpenID4VCI 1.0, the
// pre-authorized code flow as HAIP profiles it — the portal shows the signed-in holder an offer
// whose code works once, for minutes; the wallet trades it, with a DPoP proof, for a DPoP-bound
// access token scoped to that one licence; it asks for a c_nonce, proves possession of its key
// over it, and gets the credential bound to that key. This module is its own authorization server
// for that token: nothing but this flow needs it, and identity's tokens are for people, not wallets.
// And the verifier: a presentation checked (domain/sd-jwt/verify.ts), then the licence's status in
// the register.
import { createHmac, randomBytes } from 'node:crypto';
import {
  type PresentationBody,
  type PresentationReason,
  type PresentationView,
  type WalletOfferView,
} from '@tongban/contracts';
import type { ModuleContext } from '@tongban/kernel';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { findLicenceType, LICENCE_TYPES, type LicenceType } from '../domain/licence-types.ts';
import {
  authorizationServerMetadata,
  credentialIssuerMetadata,
  jwtVcIssuerMetadata,
  PRE_AUTHORIZED_GRANT,
} from '../domain/sd-jwt/metadata.ts';
import {
  checkDpopProof,
  checkKeyProof,
  issueWalletCredential,
  ProofError,
  TOKEN_STATUS,
  tokenStatusListJwt,
  verifyPresentation,
  walletKeyFrom,
  type TokenStatus,
  type TrustedWalletKey,
  type WalletSigningKey,
} from '../domain/sd-jwt/index.ts';
import { MIN_STATUS_LIST_BITS } from '../domain/status-list/bitstring.ts';
import { LicenseError } from '../errors.ts';
import { findLicence, statusAt, statusEntries } from '../store/licences.ts';
import { typedWallet, type LicenceRow, type WalletDb } from '../store/tables.ts';
import {
  findToken,
  insertNonce,
  insertOffer,
  insertToken,
  pruneWallet,
  rememberJti,
  takeNonce,
  takeOffer,
} from '../store/wallet.ts';
import { fieldsAad, statusListOf, type Licenses } from './licenses.ts';

/** The pre-authorized code: shown to the signed-in holder only, long enough to scan it with a phone. */
export const OFFER_SECONDS = 300;
/** The access token and the c_nonce: one credential request's worth. */
export const TOKEN_SECONDS = 300;
export const NONCE_SECONDS = 300;
/** How far a proof's iat may be from our clock, either way (RFC 9449 §11.1 leaves it to us). */
const PROOF_SKEW_SECONDS = 300;
/** Register statuses a verifier is told as revoked. */
/** How long a wallet verifier may keep a Status List Token: as long as the W3C lists' (service/status-lists.ts). */
const TOKEN_STATUS_LIST_TTL_SECONDS = 600;

const REVOKED: ReadonlySet<string> = new Set(['revoked', 'penalty-revoked', 'cancelled']);

/** An OAuth error answer (RFC 6749 §5.2, RFC 9449 §7.1, OpenID4VCI 1.0 §8.3.1): JSON, not problem+json. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly description: string;
  /** 401s carry a WWW-Authenticate: DPoP challenge. */
  readonly challenge: boolean;
  constructor(status: number, error: string, description: string, challenge = false) {
    super(description);
    this.status = status;
    this.error = error;
    this.description = description;
    this.challenge = challenge;
  }
}

export const CredentialRequest = Type.Object(
  {
    credential_configuration_id: Type.String({ minLength: 1, maxLength: 100 }),
    proofs: Type.Object(
      { jwt: Type.Array(Type.String({ minLength: 1, maxLength: 8192 }), { minItems: 1, maxItems: 1 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type CredentialRequest = Static<typeof CredentialRequest>;
const checkCredentialRequest = Compile(CredentialRequest);

const random = () => randomBytes(32).toString('base64url');
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const later = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

/** The service of the wallet endpoints, one per Licenses instance (the api's routes and root routes share it). */
const instances = new WeakMap<Licenses, Wallet>();
export function walletOf(licenses: Licenses): Wallet {
  let wallet = instances.get(licenses);
  if (!wallet) instances.set(licenses, (wallet = new Wallet(licenses)));
  return wallet;
}

export class Wallet {
  readonly #secret: string;
  readonly #keys = new Map<string, WalletSigningKey>();

  readonly licenses: Licenses;

  constructor(licenses: Licenses) {
    this.licenses = licenses;
    this.#secret = licenses.ctx.secret('licenses-signing-key');
  }

  get ctx(): ModuleContext {
    return this.licenses.ctx;
  }

  get db(): WalletDb {
    return typedWallet(this.ctx.db);
  }

  /** The credential issuer identifier, and this module's authorization server's: the licences API's URL. */
  issuer(): string {
    return `${this.ctx.origin()}/api/licenses`;
  }

  /**
   * The issuer's wallet key: derived from the module's secret with its own label (HMAC), so it is
   * not the scan-code key, and every replica signs alike.
   */
  key(issuerCode: string): WalletSigningKey {
    let key = this.#keys.get(issuerCode);
    if (!key) {
      const material = createHmac('sha256', this.#secret).update(`licenses wallet key ${issuerCode}`).digest();
      this.#keys.set(issuerCode, (key = walletKeyFrom(material, issuerCode)));
    }
    return key;
  }

  /** This region's issuers' wallet keys (other regions' would join through the trust list). */
  keys(): WalletSigningKey[] {
    return [...new Set(Object.values(LICENCE_TYPES).map((t) => t.issuerCode))].map((code) => this.key(code));
  }

  trust(iss: string, kid: string): TrustedWalletKey | undefined {
    if (iss !== this.issuer()) return undefined;
    const key = this.keys().find((k) => k.kid === kid);
    return key && { issuer: iss, issuerCode: key.issuerCode, jwk: key.publicJwk };
  }

  issuerMetadata() {
    return credentialIssuerMetadata(this.issuer(), Object.values(LICENCE_TYPES) as LicenceType[]);
  }

  authorizationServerMetadata() {
    return authorizationServerMetadata(this.issuer());
  }

  jwtVcIssuerMetadata() {
    return jwtVcIssuerMetadata(this.issuer(), this.keys());
  }

  /** A credential offer for the holder's licence: a fresh pre-authorized code, single use. */
  async offer(licenceId: string): Promise<WalletOfferView> {
    const row = await findLicence(this.licenses.db, licenceId);
    if (!row) throw new LicenseError('LICENSES_NOT_FOUND', { id: licenceId });
    if (row.status !== 'valid') throw new LicenseError('LICENSES_WALLET_NOT_VALID', { status: row.status });
    const now = this.ctx.clock.now();
    const code = random();
    const expiresAt = later(now, OFFER_SECONDS);
    await this.ctx.transaction(async (trx) => {
      const db = typedWallet(trx);
      // What no request can use any more goes as new codes come: the tables stay the size of a few minutes.
      await pruneWallet(db, new Date(now.getTime() - PROOF_SKEW_SECONDS * 1000));
      await insertOffer(db, { code, licenceId, holderId: row.holder_id, createdAt: now, expiresAt });
    });
    const offer = {
      credential_issuer: this.issuer(),
      credential_configuration_ids: [row.type_code],
      grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': code } },
    };
    return {
      offer,
      offerUri: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** The token endpoint: a pre-authorized code and a DPoP proof → a DPoP-bound access token for that licence. */
  async token(form: Readonly<Record<string, unknown>>, dpop: string | string[] | undefined) {
    const grant = form.grant_type;
    if (typeof grant !== 'string') throw new OAuthError(400, 'invalid_request', 'grant_type is required');
    if (grant !== PRE_AUTHORIZED_GRANT)
      throw new OAuthError(400, 'unsupported_grant_type', `only ${PRE_AUTHORIZED_GRANT}`);
    const code = form['pre-authorized_code'];
    if (typeof code !== 'string' || code === '' || code.length > 200)
      throw new OAuthError(400, 'invalid_request', 'pre-authorized_code is required');
    const now = this.ctx.clock.now();
    const proof = await this.#dpop(dpop, { htm: 'POST', htu: `${this.issuer()}/token`, now: seconds(now) }, 400);
    const accessToken = random();
    await this.ctx.transaction(async (trx) => {
      const db = typedWallet(trx);
      await this.#remember(db, proof, now, 400);
      const offer = await takeOffer(db, code, now);
      if (!offer) throw new OAuthError(400, 'invalid_grant', 'the pre-authorized code is unknown, used or expired');
      const licence = await findLicence(typedWallet(trx), offer.licenceId);
      if (!licence || licence.status !== 'valid')
        throw new OAuthError(400, 'invalid_grant', 'the licence is not valid');
      await insertToken(db, accessToken, {
        licence_id: licence.id,
        credential_configuration_id: licence.type_code,
        jkt: proof.jkt,
        expires_at: later(now, TOKEN_SECONDS),
      });
    });
    return { access_token: accessToken, token_type: 'DPoP' as const, expires_in: TOKEN_SECONDS };
  }

  /** The nonce endpoint: a c_nonce a key proof must name, once. */
  async nonce(): Promise<{ c_nonce: string }> {
    const nonce = random();
    const now = this.ctx.clock.now();
    // Anyone may ask for one: what has lapsed goes as new ones come, so the table stays the size of a few minutes.
    await this.ctx.transaction(async (trx) => {
      const db = typedWallet(trx);
      await pruneWallet(db, new Date(now.getTime() - PROOF_SKEW_SECONDS * 1000));
      await insertNonce(db, nonce, later(now, NONCE_SECONDS));
    });
    return { c_nonce: nonce };
  }

  /** The credential endpoint: the token's licence as an SD-JWT VC bound to the key proof's key. */
  async credential(authorization: string | undefined, dpop: string | string[] | undefined, body: unknown) {
    const now = this.ctx.clock.now();
    // The scheme's name is case-insensitive (RFC 9110 §11.1): DPoP, dpop, DPOP.
    const match = /^DPoP ([A-Za-z0-9_-]{20,200})$/i.exec(authorization ?? '');
    if (!match)
      throw new OAuthError(401, 'invalid_token', 'a DPoP-bound access token is required (Authorization: DPoP …)', true);
    const accessToken = match[1]!;
    const token = await findToken(this.db, accessToken, now);
    if (!token) throw new OAuthError(401, 'invalid_token', 'the access token is unknown or expired', true);
    const issuer = this.issuer();
    const proof = await this.#dpop(
      dpop,
      { htm: 'POST', htu: `${issuer}/credential`, now: seconds(now), accessToken, boundTo: token.jkt },
      401,
    );
    if (!checkCredentialRequest.Check(body)) {
      const first = [...checkCredentialRequest.Errors(body)][0];
      const where = first?.instancePath ? `body${first.instancePath.replaceAll('/', '.')}` : 'body';
      throw new OAuthError(
        400,
        'invalid_credential_request',
        `${where}: ${first?.message ?? 'not a credential request'}`,
      );
    }
    const request = body as CredentialRequest;
    if (!findLicenceType(request.credential_configuration_id))
      throw new OAuthError(400, 'unknown_credential_configuration', 'no such credential configuration');
    if (request.credential_configuration_id !== token.credential_configuration_id)
      throw new OAuthError(
        400,
        'invalid_credential_request',
        'the access token is for another credential configuration',
      );
    let holder;
    try {
      holder = await checkKeyProof(request.proofs.jwt[0]!, {
        audience: issuer,
        now: seconds(now),
        maxSkewSeconds: PROOF_SKEW_SECONDS,
      });
    } catch (error) {
      if (error instanceof ProofError) throw new OAuthError(400, error.error, error.message);
      throw error;
    }
    const licence = await findLicence(this.licenses.db, token.licence_id);
    if (!licence || licence.status !== 'valid')
      throw new OAuthError(400, 'credential_request_denied', 'the licence is not valid');
    // Opened before the transaction: the embedded database has one connection, and the field keys are read through it.
    const credential = await this.#build(licence, holder.jwk, now);
    await this.ctx.transaction(async (trx, events) => {
      const db = typedWallet(trx);
      await this.#remember(db, proof, now, 401);
      if (!(await takeNonce(db, holder.nonce, now)))
        throw new OAuthError(400, 'invalid_nonce', 'the proof names a c_nonce that is unknown, used or expired');
      await events.publish('licenses.licence.wallet-issued', {
        licenceId: licence.id,
        identifier: licence.identifier,
        typeCode: licence.type_code,
        holderId: licence.holder_id,
        departmentCode: licence.department_code,
        credentialConfigurationId: request.credential_configuration_id,
        holderKeyThumbprint: holder.jkt,
        statusList: { id: licence.status_list_id, index: Number(licence.status_index) },
        at: now.toISOString(),
      });
    });
    return { credentials: [{ credential }] };
  }

  /** Where a wallet verifier finds the licence's status: the Token Status List SD-JWT VC names. */
  statusListUri(listId: string): string {
    return `${this.issuer()}/token-status-lists/${encodeURIComponent(listId)}`;
  }

  /**
   * A department's list as a Status List Token, signed by its issuer's wallet key (the key its
   * credentials carry, so one trusted key checks both); undefined for a list this region does not keep.
   */
  async tokenStatusList(listId: string): Promise<string | undefined> {
    const type = Object.values(LICENCE_TYPES).find((t) => statusListOf(t.departmentCode) === listId);
    if (!type) return undefined;
    const entries = await statusEntries(this.licenses.db, listId);
    const statuses = entries.map(({ index, status }): [number, TokenStatus] => [
      index,
      status === 'valid' ? TOKEN_STATUS.valid : status === 'suspended' ? TOKEN_STATUS.suspended : TOKEN_STATUS.invalid,
    ]);
    const size = Math.max(MIN_STATUS_LIST_BITS, (entries.at(-1)?.index ?? 0) + 1);
    return tokenStatusListJwt(
      {
        uri: this.statusListUri(listId),
        size,
        statuses,
        issuedAt: seconds(this.ctx.clock.now()),
        ttlSeconds: TOKEN_STATUS_LIST_TTL_SECONDS,
      },
      this.key(type.issuerCode),
    );
  }

  async #build(licence: LicenceRow, holderJwk: Parameters<typeof issueWalletCredential>[0]['holderJwk'], now: Date) {
    const type = findLicenceType(licence.type_code);
    const fields = JSON.parse(await this.ctx.fields.open(licence.fields, fieldsAad(licence.id))) as Record<
      string,
      unknown
    >;
    const name = type?.holderNameField ? fields[type.holderNameField] : undefined;
    return issueWalletCredential(
      {
        issuer: this.issuer(),
        typeCode: licence.type_code,
        identifier: licence.identifier,
        ...(typeof name === 'string' && name !== '' ? { holderName: name } : {}),
        fields,
        issuedAt: seconds(now),
        validFrom: seconds(licence.valid_from),
        ...(licence.valid_until ? { validUntil: seconds(licence.valid_until) } : {}),
        holderJwk,
        status: { idx: Number(licence.status_index), uri: this.statusListUri(licence.status_list_id) },
      },
      this.key(licence.issuer_code),
    );
  }

  async #dpop(proof: string | string[] | undefined, expect: Parameters<typeof checkDpopProof>[1], status: 400 | 401) {
    try {
      return await checkDpopProof(proof, { ...expect, maxSkewSeconds: PROOF_SKEW_SECONDS });
    } catch (error) {
      if (error instanceof ProofError) throw new OAuthError(status, error.error, error.message, status === 401);
      throw error;
    }
  }

  /** A DPoP proof is good once: its jti is kept (per key) until its iat window has passed. */
  async #remember(
    db: WalletDb,
    proof: { jkt: string; jti: string; payload: { iat?: unknown } },
    now: Date,
    status: 400 | 401,
  ) {
    const iat = typeof proof.payload.iat === 'number' ? proof.payload.iat : seconds(now);
    const until = new Date((iat + PROOF_SKEW_SECONDS) * 1000 + 5000);
    if (!(await rememberJti(db, proof.jkt, proof.jti, until)))
      throw new OAuthError(status, 'invalid_dpop_proof', 'the DPoP proof was used before', status === 401);
  }

  /** A presentation checked: the credential's signature and disclosures, the key binding, then the register's status. */
  async verify(body: PresentationBody): Promise<PresentationView> {
    const now = this.ctx.clock.now();
    const checkedAt = now.toISOString();
    const result = verifyPresentation(body.presentation, {
      trust: (iss, kid) => this.trust(iss, kid),
      nonce: body.nonce,
      audience: body.audience,
      now: seconds(now),
    });
    const payload = result.ok ? result.payload : result.payload;
    const licence = payload && licenceOf(payload);
    const view = (reason: PresentationReason | undefined, keyBinding: boolean, claims = {}): PresentationView => ({
      valid: reason === undefined,
      ...(reason === undefined ? {} : { reason }),
      claims,
      ...(licence ? { licence } : {}),
      keyBinding,
      checkedAt,
    });
    if (!result.ok) return view(result.reason, false);
    const state = await this.#statusOf(result.payload.status);
    if (state === undefined) return view('unknown_issuer', true);
    if (state !== 'valid') return view(state, true);
    return view(undefined, true, result.disclosed);
  }

  /** The licence's status as the register holds it (this region's lists, age 0); undefined: not a slot of ours. */
  async #statusOf(status: unknown): Promise<'valid' | 'revoked' | 'suspended' | 'expired' | undefined> {
    const ref = (status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined)?.status_list;
    const prefix = `${this.issuer()}/token-status-lists/`;
    if (typeof ref?.uri !== 'string' || !ref.uri.startsWith(prefix) || typeof ref.idx !== 'number') return undefined;
    const listId = decodeURIComponent(ref.uri.slice(prefix.length));
    const held = await statusAt(this.licenses.db, listId, ref.idx);
    if (!held) return undefined;
    if (REVOKED.has(held)) return 'revoked';
    if (held === 'suspended') return 'suspended';
    if (held === 'expired') return 'expired';
    return 'valid';
  }
}

function licenceOf(payload: Record<string, unknown>): PresentationView['licence'] {
  if (typeof payload.licence_type !== 'string' || typeof payload.issuer_code !== 'string') return undefined;
  return {
    ...(typeof payload.identifier === 'string' ? { identifier: payload.identifier } : {}),
    type: payload.licence_type,
    issuer: { id: payload.issuer_code, url: String(payload.iss) },
  };
}
