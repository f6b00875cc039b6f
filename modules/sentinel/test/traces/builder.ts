// What the trace generators share: a seeded generator (mulberry32) and Beijing time.
import type { Signal } from '../../src/domain/signals.ts';

export interface Random {
  /** [0, 1) */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seeded(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

/** Milliseconds of a wall-clock time in Asia/Shanghai (UTC+8 all year, no daylight saving). */
export function beijing(year: number, month: number, day: number, hour: number, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour - 8, minute, second);
}

export type Draft = Omit<Signal, 'id' | 'at'> & { readonly t: number };

/** Sorts by time (stable) and gives each signal its id `<prefix>-000001…` and ISO instant. */
export function finish(prefix: string, drafts: readonly Draft[]): Signal[] {
  return [...drafts]
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.t - b.d.t || a.i - b.i)
    .map(({ d }, n) => {
      const { t, ...rest } = d;
      return { id: `${prefix}-${String(n + 1).padStart(6, '0')}`, at: new Date(t).toISOString(), ...rest };
    });
}
