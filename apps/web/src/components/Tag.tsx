import type { ReactNode } from 'react';

export type TagColour = 'blue' | 'grey' | 'green' | 'yellow' | 'red';

/** A short status; its words carry the meaning, the colour only repeats it. */
export function Tag({ colour = 'blue', children }: { colour?: TagColour; children: ReactNode }) {
  return <strong className={`tag tag--${colour}`}>{children}</strong>;
}
