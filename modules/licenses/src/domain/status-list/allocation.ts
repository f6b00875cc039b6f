// Which index a new licence takes in its issuer's lists. Bitstring Status List v1.0's privacy
// considerations: indexes handed out in order tell a verifier roughly when a licence was issued
// and who was issued next to whom, so we draw them at random from the free ones. The store keeps
// the taken set (UNIQUE(list, index)) and retries on a collision; this chooses.
import { randomInt } from 'node:crypto';

/** Random draws before scanning for the last free places in a nearly full list. */
const DRAWS = 32;

/**
 * A free index in [0, size), uniformly at random while the list is mostly free; undefined when every
 * index is taken (the caller opens the issuer's next list).
 */
export function findFreeIndex(
  size: number,
  isTaken: (index: number) => boolean,
  random: (bound: number) => number = randomInt,
): number | undefined {
  for (let draw = 0; draw < DRAWS; draw++) {
    const index = random(size);
    if (!isTaken(index)) return index;
  }
  // Nearly full: walk from a random start so the last places are not always the lowest.
  const start = random(size);
  for (let step = 0; step < size; step++) {
    const index = (start + step) % size;
    if (!isTaken(index)) return index;
  }
  return undefined;
}
