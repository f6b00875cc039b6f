// Prefill with provenance and the lock (pure): how the hub's answer lands in a form, and which
// changes the lock refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PrefillValue, PrefillView } from '@tongban/contracts';
import {
  applyPrefill,
  keysByElement,
  lockedChanges,
  prefillFields,
  prefillUnavailable,
  verifiedOf,
} from '../src/domain/prefill.ts';
import { firstRuleThatHolds } from '../src/domain/rules.ts';

const AT = '2026-12-01T02:00:00.000Z';
const source = (resource: string, item: string) => ({
  resource,
  department: resource === 'population' ? '330100-GA' : '330100-WJW',
  collectedAt: '2026-11-20T08:00:00Z',
  item,
});
const value = (element: string, v: unknown, verified = true, resource = 'population'): PrefillValue => ({
  element,
  value: v,
  source: source(resource, element.split('.')[1]!),
  verified,
});
const answer = (values: PrefillValue[], rest: Partial<PrefillView> = {}): PrefillView => ({
  values,
  consentNeeded: [],
  missing: [],
  ...rest,
});

// A matter's form where two keys bind one element (the mother is also the applicant).
const keys = keysByElement({
  motherName: { 'x-data-element': 'mother.name' },
  motherIdNumber: { 'x-data-element': 'mother.idNumber' },
  applicantIdNumber: { 'x-data-element': 'mother.idNumber' },
  childBirthDate: { 'x-data-element': 'child.birthDate' },
  relation: { 'x-data-element': 'child.applicantRelation' },
});
const always = () => true;

test('a verified value fills every key of its element, replaces what was typed, and is locked there', () => {
  const { form, prefill } = applyPrefill(
    { motherIdNumber: '110101199003070014', relation: '2' },
    answer([value('mother.idNumber', '330106199201011226')]),
    keys,
    always,
    AT,
  );
  assert.deepEqual(form, {
    motherIdNumber: '330106199201011226',
    applicantIdNumber: '330106199201011226',
    relation: '2',
  });
  assert.deepEqual(Object.keys(prefillFields(prefill)).sort(), ['applicantIdNumber', 'motherIdNumber']);
  assert.equal(prefillFields(prefill).motherIdNumber!.locked, true);
  assert.deepEqual(prefillFields(prefill).motherIdNumber!.source, source('population', 'idNumber'));
  assert.deepEqual(lockedChanges(form, prefill), []);
  // The lock is by element: changing either key is refused, naming the key, in both languages.
  const changed = lockedChanges({ ...form, applicantIdNumber: '110101199003070014' }, prefill, 'en');
  assert.deepEqual(
    changed.map((e) => [e.field, e.code]),
    [['form.applicantIdNumber', 'locked_value_changed']],
  );
  assert.match(changed[0]!.message, /verified by an authoritative source \(population\)/);
  assert.match(lockedChanges({ ...form, motherIdNumber: '' }, prefill, 'zh')[0]!.message, /已由权威部门核验/);
  // Removed is changed too.
  const { motherIdNumber: _dropped, ...without } = form;
  assert.deepEqual(
    lockedChanges(without, prefill).map((e) => e.field),
    ['form.motherIdNumber'],
  );
});

test('an unverified value fills only empty keys and is not locked', () => {
  const { form, prefill } = applyPrefill(
    { motherName: '李梅' },
    answer([value('mother.name', '李四', false), value('child.birthDate', '2026-11-20', false)]),
    keys,
    always,
    AT,
  );
  assert.deepEqual(form, { motherName: '李梅', childBirthDate: '2026-11-20' });
  assert.deepEqual(
    prefill.values.map((v) => [v.element, v.keys]),
    [['child.birthDate', ['childBirthDate']]],
  );
  assert.deepEqual(lockedChanges({ ...form, childBirthDate: '2026-11-21' }, prefill), []);
  assert.deepEqual(verifiedOf(prefill), {});
});

test('of two values for one element the verified one wins; elements the form does not bind are ignored', () => {
  const { form, prefill } = applyPrefill(
    {},
    answer([value('mother.name', '李某', false), value('mother.name', '李四'), value('company.name', 'x')]),
    keys,
    always,
    AT,
  );
  assert.deepEqual(form, { motherName: '李四' });
  assert.deepEqual(verifiedOf(prefill), { 'mother.name': '李四' });
});

test('a value the form would refuse is not filled but listed missing; consent and missing are kept for the form only', () => {
  const { form, prefill } = applyPrefill(
    {},
    answer([value('child.birthDate', '2026-02-30', true, 'birth-record')], {
      consentNeeded: [
        { element: 'mother.name', resource: 'population', item: 'name' },
        { element: 'company.name', resource: 'enterprise', item: 'name' },
      ],
      missing: ['child.applicantRelation', 'property.address'],
    }),
    keys,
    (key, v) => !(key === 'childBirthDate' && v === '2026-02-30'),
    AT,
  );
  assert.deepEqual(form, {});
  assert.deepEqual(prefill.values, []);
  assert.deepEqual([...prefill.missing].sort(), ['child.applicantRelation', 'child.birthDate']);
  assert.deepEqual(
    prefill.consentNeeded.map((c) => c.element),
    ['mother.name'],
  );
});

test('a hub that cannot be asked leaves the form alone and keeps what an earlier prefill locked', () => {
  const first = applyPrefill({}, answer([value('mother.idNumber', '330106199201011226')]), keys, always, AT).prefill;
  const later = prefillUnavailable(first, 'UPSTREAM_UNAVAILABLE', AT);
  assert.equal(later.status, 'unavailable');
  assert.equal(later.problem, 'UPSTREAM_UNAVAILABLE');
  assert.deepEqual(later.values, first.values);
  assert.equal(lockedChanges({ motherIdNumber: 'x', applicantIdNumber: '330106199201011226' }, later).length, 1);
  assert.deepEqual(prefillUnavailable(null, 'DATAHUB_X', AT).values, []);
  assert.deepEqual(lockedChanges({ anything: 1 }, null), []);
});

test('秒批 rules read verified values by data element: the hospital record matching the form approves', () => {
  const { form, prefill } = applyPrefill(
    {},
    answer([
      value('mother.idNumber', '330106199201011226'),
      value('child.birthDate', '2026-11-20', true, 'birth-record'),
    ]),
    keys,
    always,
    AT,
  );
  const rule = {
    id: 'hospital-record-matches',
    name: { zh: '医院出生记录一致', en: 'The hospital record matches' },
    when: '"child.birthDate" in verified && verified["mother.idNumber"] == form.motherIdNumber && verified["child.birthDate"] == form.childBirthDate',
  };
  const inputs = (verified: Record<string, unknown>, f: Record<string, unknown> = form) => ({
    form: f,
    applicant: { id: 'c-1', kind: 'citizen', channel: 'online' },
    prerequisites: {},
    verified,
  });
  assert.equal(firstRuleThatHolds([rule], inputs(verifiedOf(prefill))).fired?.id, 'hospital-record-matches');
  const verdict = firstRuleThatHolds([rule], inputs({}));
  assert.equal(verdict.fired, undefined, 'no hospital record: an officer decides');
  assert.deepEqual(!verdict.fired && verdict.failures, [], 'and the rule did not fail to evaluate');
  assert.equal(
    firstRuleThatHolds([rule], inputs(verifiedOf(prefill), { ...form, childBirthDate: '2026-11-21' })).fired,
    undefined,
  );
});
