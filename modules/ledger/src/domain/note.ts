// A checkpoint as a C2SP signed note (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint):
// its text, a blank line, and one line per signature, `— <key name> base64(key id ‖ signature)`,
// the key id being the first four bytes of SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key).
// What standard checkpoint verifiers read. The spec has a signature type for Ed25519 (0x01) and
// none for SM2, so an SM2 signature has no line: a 国密 log's note is null.
import { createHash } from 'node:crypto';
import type { PublicKey } from './signing.ts';

const ED25519 = 0x01;

/** The note key id of an Ed25519 key under `name`, or undefined for a key type the spec does not name. */
export function noteKeyId(name: string, key: PublicKey): Buffer | undefined {
  if (key.algorithm !== 'ed25519') return undefined;
  return createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, ED25519]))
    .update(Buffer.from(key.key, 'base64'))
    .digest()
    .subarray(0, 4);
}

export interface NoteSignature {
  /** The key name: the log's origin, or the witness's name. */
  readonly name: string;
  readonly key: PublicKey;
  /** base64 */
  readonly signature: string;
}

/**
 * The signed note of `text` (which ends in a newline): the log's line, then the witnesses' that
 * have one. Null when the log's own signature has no line — a note without it checks nothing.
 */
export function signedNote(text: string, log: NoteSignature, witnesses: readonly NoteSignature[]): string | null {
  const line = (s: NoteSignature) => {
    const id = noteKeyId(s.name, s.key);
    return id
      ? `\u2014 ${s.name} ${Buffer.concat([id, Buffer.from(s.signature, 'base64')]).toString('base64')}\n`
      : undefined;
  };
  const own = line(log);
  if (!own) return null;
  return `${text}\n${own}${witnesses
    .map(line)
    .filter((l) => l !== undefined)
    .join('')}`;
}
