// Where each prefilled element comes from: every source names a real item of its registry, links
// are read before the rows they lead to, and fallbacks apply in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assemble,
  ELEMENT_SOURCES,
  ROLE_SOURCES,
  rowsToRead,
  type Access,
  type SourceRole,
  type SourceRow,
} from '../src/domain/prefill.ts';
import { REGISTRIES } from '../src/domain/registries.ts';

const allOk: Access = { item: () => 'ok' };
const row = (values: Record<string, string | number | null>): SourceRow => ({
  values,
  collectedAt: '2026-11-28T02:00:00.000Z',
  department: 'D',
  verified: true,
});

test('every element source names an item of its registry', () => {
  for (const [element, candidates] of Object.entries(ELEMENT_SOURCES)) {
    for (const c of candidates) {
      const resource = REGISTRIES.find((r) => r.code === ROLE_SOURCES[c.role].resource);
      assert.ok(
        resource?.items.some((i) => i.key === c.item),
        `${element}: ${c.role}.${c.item}`,
      );
    }
  }
});

test('the mother’s row is read after the birth record that names her, with the linking item', () => {
  const reads = rowsToRead(['mother.name', 'person.name'], allOk);
  assert.deepEqual(
    reads.map((r) => r.role),
    ['self', 'birth', 'mother'],
  );
  assert.deepEqual(reads.find((r) => r.role === 'birth')!.items, ['motherIdNumber', 'motherName']);
});

test('a parent without a population row falls back to the birth record’s name', () => {
  const rows = new Map<SourceRole, SourceRow | undefined>([
    ['birth', row({ motherName: '李四', motherIdNumber: '330102199203152345' })],
    ['mother', undefined],
  ]);
  const out = assemble(['mother.name'], allOk, rows);
  assert.deepEqual(
    out.values.map((v) => [v.element, v.value, v.source.resource]),
    [['mother.name', '李四', 'birth-record']],
  );
});

test('no consent → consent needed (the first granted candidate); no grant → missing and recorded; unknown → missing', () => {
  const access: Access = {
    item: (resource, item) => (resource === 'population' ? (item === 'name' ? 'no_consent' : 'no_grant') : 'ok'),
  };
  const out = assemble(['person.name', 'person.mobile', 'bank.branch'], access, new Map());
  assert.deepEqual(out.consentNeeded, [{ element: 'person.name', resource: 'population', item: 'name' }]);
  assert.deepEqual(out.missing, ['person.mobile', 'bank.branch']);
  assert.deepEqual([...out.ungranted], [['population', ['mobile']]]);
});
