// Securing the status list credential with JOSE, per "Securing Verifiable Credentials using JOSE and
// COSE" (W3C Recommendation, 2025) §3.1.1: a compact JWS whose payload is the credential itself (no
// `vc` claim), typ `vc+jwt`, cty `vc`, ES256 (ECDSA P-256 / SHA-256, RFC 7518 §3.4: r‖s, 64 bytes).
// Written on node:crypto rather than a JOSE library: one algorithm, a few lines, and the verifier
// below accepts nothing but that algorithm (no `none`, no key from the header).
import { createPublicKey, sign as cryptoSign, verify as cryptoVerify, type JsonWebKey, KeyObject } from 'node:crypto';
import { Compile } from 'typebox/compile';
import { StatusListCredentialSchema, type StatusListCredential, VC_CONTEXT_V2 } from './credential.ts';
import { StatusListError } from './errors.ts';

export const VC_JWT_TYP = 'vc+jwt';

export interface JwsSigner {
  readonly alg: 'ES256';
  /** The key's identifier in the issuer's published keys (kid header). */
  readonly kid: string;
  sign(signingInput: Buffer): Buffer;
}

/** A signer over a P-256 private key (a KeyObject from the key manager, never a file in the repo). */
export function es256Signer(privateKey: KeyObject, kid: string): JwsSigner {
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError('ES256 needs a P-256 private key');
  }
  return {
    alg: 'ES256',
    kid,
    sign: (input) => cryptoSign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
  };
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The credential as `application/vc+jwt`. */
export function signStatusListCredential(credential: StatusListCredential, signer: JwsSigner): string {
  const signingInput = `${b64url({ alg: signer.alg, typ: VC_JWT_TYP, cty: 'vc', kid: signer.kid })}.${b64url(credential)}`;
  return `${signingInput}.${signer.sign(Buffer.from(signingInput)).toString('base64url')}`;
}

const checkCredential = Compile(StatusListCredentialSchema);
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export interface VerifyOptions {
  /** When given, the credential must be within validFrom … validUntil at this instant. */
  readonly at?: Date;
}

/**
 * The credential inside `jwt` when `publicKey` signed it and it is a BitstringStatusListCredential;
 * otherwise MALFORMED_VALUE_ERROR (not a JWS) or STATUS_VERIFICATION_ERROR (anything else).
 */
export function verifyStatusListCredential(
  jwt: string,
  publicKey: KeyObject | JsonWebKey,
  options: VerifyOptions = {},
): StatusListCredential {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) {
    throw new StatusListError('MALFORMED_VALUE_ERROR', 'not a compact JWS');
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseJson(headerPart) as { alg?: unknown; typ?: unknown; crit?: unknown } | undefined;
  if (header?.alg !== 'ES256') throw refused(`alg ${String(header?.alg)} is not ES256`);
  if (header.typ !== VC_JWT_TYP) throw refused(`typ ${String(header.typ)} is not ${VC_JWT_TYP}`);
  // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
  if (header.crit !== undefined) throw refused('crit header parameters are not supported');

  const key = publicKey instanceof KeyObject ? publicKey : createPublicKey({ key: publicKey, format: 'jwk' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw refused('the key is not a P-256 public key');
  }
  const signature = Buffer.from(signaturePart, 'base64url');
  const valid =
    signature.length === 64 &&
    cryptoVerify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (!valid) throw refused('the signature does not verify with the issuer key');

  const credential = parseJson(payloadPart);
  if (!checkCredential.Check(credential)) throw refused('the payload is not a status list credential');
  if (!credential['@context'].includes(VC_CONTEXT_V2) || credential['@context'][0] !== VC_CONTEXT_V2) {
    throw refused(`the first @context is not ${VC_CONTEXT_V2}`);
  }
  if (!credential.type.includes('BitstringStatusListCredential')) {
    throw refused('the type does not include BitstringStatusListCredential');
  }
  if (options.at) {
    const at = options.at.getTime();
    if (at < Date.parse(credential.validFrom)) throw refused(`the list is valid only from ${credential.validFrom}`);
    if (credential.validUntil && at > Date.parse(credential.validUntil)) {
      throw refused(`the list was valid until ${credential.validUntil}`);
    }
  }
  return credential;
}

function refused(detail: string): StatusListError {
  return new StatusListError('STATUS_VERIFICATION_ERROR', detail);
}

function parseJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new StatusListError('MALFORMED_VALUE_ERROR', 'a JWS segment is not base64url JSON');
  }
}
