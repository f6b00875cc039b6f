// SM2 signatures (GB/T 32918.2-2016) with SM3 and the signer's distinguishing identifier, through
// sm-crypto-v2: node:crypto's SM2 does not fold the identifier into the hash (Z_A) as the standard
// requires. One copy for every module that signs in 国密 mode (the ledger's checkpoints, the
// licences' scan codes), checked against the worked example of GB/T 32918.5 Annex A.
import { sm2 } from 'sm-crypto-v2';

/** GM/T 0009: the identifier used when the parties agree on no other. */
export const SM2_DEFAULT_ID = '1234567812345678';

// The group order n of the recommended curve (GB/T 32918.5).
const SM2_N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');

/** A message as the signature sees it: a string is its UTF-8 bytes. */
export type Sm2Message = string | Uint8Array;

/** A private scalar in [1, n − 1] (64 hex digits) from at least 32 bytes of secret material. */
export function sm2PrivateKeyFrom(material: Uint8Array): string {
  if (material.length < 32) throw new RangeError('SM2 key material must be at least 32 bytes');
  const d = (BigInt(`0x${Buffer.from(material).toString('hex')}`) % (SM2_N - 1n)) + 1n;
  return d.toString(16).padStart(64, '0');
}

/** The uncompressed public point 04‖x‖y (130 hex digits) of a private key (64 hex digits). */
export function sm2PublicKey(privateHex: string): string {
  return sm2.getPublicKeyFromPrivateKey(privateHex);
}

/**
 * The signature r‖s (64 bytes) over `message` under `userId`. `publicHex` is the signer's public
 * key when the caller has it already (it enters Z_A; computing it again costs a point multiplication).
 */
export function sm2Sign(
  message: Sm2Message,
  privateHex: string,
  userId: string = SM2_DEFAULT_ID,
  publicHex: string = sm2PublicKey(privateHex),
): Uint8Array {
  const hex = sm2.doSignature(message, privateHex, { hash: true, publicKey: publicHex, userId });
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** Whether `signature` (r‖s, 64 bytes) is the key's signature over `message` under `userId`; never throws. */
export function sm2Verify(
  message: Sm2Message,
  signature: Uint8Array,
  publicHex: string,
  userId: string = SM2_DEFAULT_ID,
): boolean {
  if (signature.length !== 64) return false;
  try {
    return sm2.doVerifySignature(message, Buffer.from(signature).toString('hex'), publicHex, {
      hash: true,
      userId,
    });
  } catch {
    return false;
  }
}
