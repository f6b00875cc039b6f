// Replays signals through the engine the way the service does: load the states keysFor names,
// step, write back what changed (null deletes). Options model a restart (every state through
// JSON.stringify/parse at a chosen point) and a sweeper (states past their expiresAt deleted).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expiresAt, keysFor, step, type Finding } from '../../src/domain/engine.ts';
import type { RuleSet } from '../../src/domain/rules.ts';
import type { Signal } from '../../src/domain/signals.ts';

export interface ReplayOptions {
  /** Before the signal at each of these indexes, every state goes through JSON (a restart). */
  readonly restartAt?: ReadonlySet<number> | 'every';
  /** Delete states whose expiresAt has passed before each signal (true) or every n-th signal. */
  readonly sweep?: boolean | number;
}

export interface Replay {
  readonly findings: Finding[];
  readonly store: Map<string, unknown>;
}

export function replay(rules: RuleSet, signals: readonly Signal[], options: ReplayOptions = {}): Replay {
  let store = new Map<string, unknown>();
  const findings: Finding[] = [];
  signals.forEach((signal, i) => {
    if (options.restartAt === 'every' || options.restartAt?.has(i))
      store = new Map(JSON.parse(JSON.stringify([...store])) as [string, unknown][]);
    if (options.sweep === true || (typeof options.sweep === 'number' && i % options.sweep === 0))
      for (const [key, state] of store) if ((expiresAt(state) ?? '') < signal.at) store.delete(key);
    const keys = keysFor(signal, rules);
    const result = step(rules, signal, new Map(keys.map((k) => [k, store.get(k)])));
    for (const [key, state] of result.states) {
      if (!keys.includes(key)) throw new Error(`step wrote ${key}, which keysFor did not name`);
      if (state === null) store.delete(key);
      else store.set(key, state);
    }
    findings.push(...result.findings);
  });
  return { findings, store };
}

const TRACES = fileURLToPath(new URL('../traces/', import.meta.url));

export function readTrace(name: string): Signal[] {
  return readFileSync(join(TRACES, name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Signal);
}
