// A checkpoint (signed tree head) as text, in the shape of the C2SP tlog-checkpoint note: the
// log's origin, the tree size, the root hash in base64 and, as an extension line, the time. The
// log signs these exact bytes; each witness co-signs the same bytes once it has checked that the
// tree grew from what it signed before without rewriting history.

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** ISO 8601, UTC, milliseconds. */
  readonly time: string;
}

export function checkpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${Buffer.from(c.root).toString('base64')}\ntime ${c.time}\n`;
}

const TEXT =
  /^([^\n]{1,255})\n(0|[1-9][0-9]{0,15})\n([A-Za-z0-9+/]{43}=)\ntime (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\n$/;

/** The checkpoint a text states, or undefined when it is not one. */
export function parseCheckpoint(text: string): Checkpoint | undefined {
  const m = TEXT.exec(text);
  if (!m) return undefined;
  const size = Number(m[2]);
  // Sizes past 2^53 would not survive as numbers here: refused rather than rounded.
  if (!Number.isSafeInteger(size)) return undefined;
  return { origin: m[1]!, size, root: Buffer.from(m[3]!, 'base64'), time: m[4]! };
}
