// Every event type the code publishes has a schema in packages/contracts (EVENT_CATALOG): the
// sources are read for the types they publish — `publish(trx, '<type>', …)`, identity's
// `audit`/`securityEvent` helpers, the workflow's process-table `event:` fields and its
// `workflow.application.${outcome}` — and each must be in the catalog.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EVENT_CATALOG } from '@tongban/contracts';
import { RECORDED_EVENTS } from '@tongban/ledger';

const MODULES = new URL('../../../modules/', import.meta.url);
const TYPE = String.raw`([a-z]+\.[a-z][a-z-]*\.[a-z][a-z-]*)`;
const PUBLISHED = [
  // `publish(trx, '<type>', …)`, and `events.publish('<type>', …)` inside ctx.transaction
  new RegExp(String.raw`(?:publish|audit|securityEvent)(?:<[^>]*>)?\((?:[^,()']+,\s*)?'${TYPE}'`, 'g'),
  new RegExp(String.raw`\bevent:\s*'${TYPE}'`, 'g'),
];
/** Types built from a template, and what the template can give (engine.ts finishes an application). */
const TEMPLATES: Readonly<Record<string, readonly string[]>> = {
  'workflow.application.${outcome}': ['workflow.application.completed', 'workflow.application.closed'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' || e.name === 'node_modules' ? [] : sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The event types a source publishes, and any template it builds a type from that the table above does not know. */
export function publishedIn(text: string): { types: string[]; unknownTemplates: string[] } {
  const types = PUBLISHED.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
  const unknownTemplates: string[] = [];
  for (const m of text.matchAll(/publish\([^,()]+,\s*`([^`]*)`/g)) {
    const known = TEMPLATES[m[1]!];
    if (known) types.push(...known);
    else unknownTemplates.push(m[1]!);
  }
  return { types, unknownTemplates };
}

test('the scanner finds what a publish names, and a template it cannot expand', () => {
  const found = publishedIn(
    "await ctx.events.publish<X>(trx, 'catalog.thing.happened', {}); await this.#o.publish(trx, `workflow.${kind}.done`, {});" +
      " await ctx.transaction((trx, events) => events.publish('identity.thing.done', {}));",
  );
  assert.deepEqual(found, {
    types: ['catalog.thing.happened', 'identity.thing.done'],
    unknownTemplates: ['workflow.${kind}.done'],
  });
});

test('every event type published anywhere has a schema in packages/contracts', () => {
  const published = new Map<string, string>();
  const templates: string[] = [];
  for (const file of sources(MODULES.pathname)) {
    const { types, unknownTemplates } = publishedIn(readFileSync(file, 'utf8'));
    for (const type of types) published.set(type, file);
    templates.push(...unknownTemplates.map((t) => `${t} in ${file}`));
  }
  assert.ok(
    published.size >= 30,
    `the scan found only ${published.size} published types: is it still reading the sources?`,
  );
  assert.deepEqual(templates, [], 'an event type built from a template: list what it can give in TEMPLATES');
  const missing = [...published]
    .filter(([type]) => !(type in EVENT_CATALOG))
    .map(([type, file]) => `${type} (${file})`);
  assert.deepEqual(missing, [], 'published without a schema in EVENT_CATALOG');
});

test('the ledger records every identity, data hub, workflow, licence and sentinel event of the catalog (the guard denials aside), computed from it', () => {
  const expected = Object.keys(EVENT_CATALOG)
    .filter((t) =>
      ['identity.', 'datahub.', 'workflow.', 'licenses.', 'sentinel.'].some((prefix) => t.startsWith(prefix)),
    )
    .filter((t) => !t.endsWith('.request.denied'))
    .sort();
  assert.deepEqual([...RECORDED_EVENTS].sort(), expected);
  assert.ok(
    expected.includes('workflow.task.withdrawn') &&
      expected.includes('identity.account.recovered') &&
      expected.includes('datahub.record.read') &&
      expected.includes('licenses.licence.status-changed'),
  );
});
