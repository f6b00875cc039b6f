// COSE_Sign1 (RFC 9052 §4.2): [protected bstr, unprotected map, payload bstr, signature bstr],
// tagged 18 as the EU DCC does. The protected header is {1: alg, 4: kid}; the unprotected header
// is empty, since nothing unsigned should steer a verifier. What is signed is the Sig_structure
// ["Signature1", protected, external_aad = h'', payload] (§4.4).
import { decode, encode, Tagged } from 'cborg';
import { STRICT_CBOR } from './claims.ts';
import { ALGORITHMS, findAlgorithm, scanKeyId, type ScanAlgorithm, type ScanSigner } from './keys.ts';

/** CBOR tag of COSE_Sign1_Tagged (RFC 9052 §2). */
export const COSE_SIGN1_TAG = 18;
/** COSE header labels (RFC 9052 §3.1). */
export const HEADER = { alg: 1, crit: 2, kid: 4 } as const;

/** The bytes the signature covers. */
export function sigStructure(protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  return encode(['Signature1', protectedHeader, new Uint8Array(0), payload]);
}

/** The COSE_Sign1_Tagged message carrying `payload`, signed by `signer`. */
export function signCoseSign1(payload: Uint8Array, signer: ScanSigner): Uint8Array {
  const protectedHeader = encode(
    new Map<number, number | Uint8Array>([
      [HEADER.alg, ALGORITHMS[signer.algorithm].label],
      [HEADER.kid, scanKeyId(signer.algorithm, signer.publicKey)],
    ]),
  );
  const signature = signer.sign(sigStructure(protectedHeader, payload));
  return encode(new Tagged(COSE_SIGN1_TAG, [protectedHeader, new Map(), payload, signature]));
}

/** A COSE_Sign1 taken apart; the signature is not yet checked. */
export interface CoseSign1 {
  readonly protectedHeader: Uint8Array;
  /** The alg label as found: it may name no algorithm of ours. */
  readonly alg: unknown;
  readonly algorithm: ScanAlgorithm | undefined;
  readonly kid: Uint8Array;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
}

export type CoseParse = { ok: true; cose: CoseSign1 } | { ok: false; reason: 'not_cbor' | 'not_cose' };

/** A COSE_Sign1 (tagged or not) in strict CBOR, or why not. */
export function parseCoseSign1(bytes: Uint8Array): CoseParse {
  let message: unknown;
  try {
    message = decode(bytes, { ...STRICT_CBOR, tags: { [COSE_SIGN1_TAG]: Tagged.decoder(COSE_SIGN1_TAG) } });
  } catch {
    return { ok: false, reason: 'not_cbor' };
  }
  const parts: unknown = message instanceof Tagged ? message.value : message;
  if (!Array.isArray(parts) || parts.length !== 4) return { ok: false, reason: 'not_cose' };
  const [protectedHeader, unprotected, payload, signature] = parts as unknown[];
  if (
    !(protectedHeader instanceof Uint8Array) ||
    !(unprotected instanceof Map) ||
    unprotected.size !== 0 ||
    !(payload instanceof Uint8Array) ||
    !(signature instanceof Uint8Array)
  )
    return { ok: false, reason: 'not_cose' };
  let header: unknown;
  try {
    header = decode(protectedHeader, STRICT_CBOR);
  } catch {
    return { ok: false, reason: 'not_cose' };
  }
  // A critical header we cannot understand must fail (RFC 9052 §3.1); we understand none.
  if (!(header instanceof Map) || header.has(HEADER.crit)) return { ok: false, reason: 'not_cose' };
  const alg: unknown = header.get(HEADER.alg);
  const kid: unknown = header.get(HEADER.kid);
  if (!(kid instanceof Uint8Array)) return { ok: false, reason: 'not_cose' };
  return {
    ok: true,
    cose: { protectedHeader, alg, algorithm: findAlgorithm(alg), kid, payload, signature },
  };
}
