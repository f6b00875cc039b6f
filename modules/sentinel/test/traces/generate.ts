// Writes the committed traces the rule tests replay: one attack per rule (attack-<rule>.jsonl) and a
// normal day of a city's traffic (normal-day.jsonl). Deterministic (a fixed seed, fixed dates), so
// `npx node modules/sentinel/test/traces/generate.ts` rewrites the same bytes; traces.test.ts checks
// that the committed files are what this script makes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Signal } from '../../src/domain/signals.ts';
import { normalDay } from './normal-day.ts';
import { attacks } from './attacks.ts';

/** One JSON object a line, fields in the Signal's order, absent ones left out. */
export function toJsonl(signals: readonly Signal[]): string {
  const order: (keyof Signal)[] = [
    'id',
    'at',
    'type',
    'ip',
    'accountId',
    'actorId',
    'actorKind',
    'sessionId',
    'factor',
    'login',
    'count',
    'departmentCode',
    'detail',
  ];
  return signals
    .map((s) => JSON.stringify(Object.fromEntries(order.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]))))
    .join('\n')
    .concat('\n');
}

/** Every trace by file name. */
export function traces(): Map<string, Signal[]> {
  const out = new Map<string, Signal[]>();
  for (const [rule, signals] of Object.entries(attacks())) out.set(`attack-${rule}.jsonl`, signals);
  out.set('normal-day.jsonl', normalDay());
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, signals] of traces()) {
    writeFileSync(join(dirname(fileURLToPath(import.meta.url)), name), toJsonl(signals));
    console.log(`${name}: ${signals.length} signals`);
  }
}
