// The journey's model (src/journey/model.ts): a form's questions grouped one page each by their
// data elements, the materials a bundle still needs once earlier matters issue their licences,
// where a group stands, and the values a text box gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Matter } from '../src/lib/catalog.ts';
import {
  consentItems,
  formKeyOf,
  groupStatus,
  materialsNeeded,
  questionGroups,
  toValue,
  type Prefill,
  type Subject,
} from '../src/journey/model.ts';

const name = (zh: string) => ({ zh, en: zh });

function matter(code: string, over: Partial<Matter>): Matter {
  return {
    code,
    name: name(code),
    description: name(code),
    departmentCode: 'D',
    legalDays: 5,
    promisedDays: 1,
    fees: [],
    materials: [],
    form: { type: 'object', properties: {} },
    lifeEvents: [],
    version: 1,
    publishedAt: '2026-01-01T00:00:00Z',
    ...over,
  } as Matter;
}

const certificate = matter('CERT', {
  materials: [{ code: 'mother-id', name: name('母亲身份证'), required: true, licenceType: 'id-card' }],
  producesLicence: { type: 'birth-cert', name: name('出生医学证明') },
  elements: {
    'child.name': { id: 'child.name', name: name('新生儿姓名'), type: 'string', maxLength: 50 },
    'child.gender': {
      id: 'child.gender',
      name: name('性别'),
      type: 'code',
      values: [
        { code: '1', name: name('男') },
        { code: '2', name: name('女') },
      ],
    },
    'child.applicantRelation': { id: 'child.applicantRelation', name: name('关系'), type: 'code' },
    'person.name': { id: 'person.name', name: name('申请人姓名'), type: 'string' },
  },
});
const registration = matter('REG', {
  materials: [
    { code: 'birth-cert', name: name('出生医学证明'), required: true, licenceType: 'birth-cert' },
    { code: 'marriage', name: name('结婚证'), required: false },
    { code: 'household', name: name('户口簿'), required: true },
  ],
});

const subject: Subject = {
  kind: 'bundle',
  code: 'BIRTH',
  name: name('出生一件事'),
  promisedDays: 5,
  form: {
    type: 'object',
    properties: {
      'child.name': { 'x-data-element': 'child.name', type: 'string' },
      'child.gender': { 'x-data-element': 'child.gender', type: 'string' },
      'child.applicantRelation': { 'x-data-element': 'child.applicantRelation', type: 'string' },
      'bank.branch': {
        'x-data-element': 'bank.branch',
        type: 'string',
        title: '银行网点',
        'x-title-en': 'Bank branch',
      },
      'person.name': { 'x-data-element': 'person.name', type: 'string' },
    } as Subject['form']['properties'],
    required: ['child.name', 'person.name'],
  },
  matters: [certificate, registration],
  dependsOn: { CERT: [], REG: ['CERT'] },
};

test('questions are grouped by their data element, applicant first; the relationship goes with the applicant', () => {
  const groups = questionGroups(subject);
  assert.deepEqual(
    groups.map((g) => [g.id, g.questions.map((q) => q.key)]),
    [
      ['person', ['child.applicantRelation', 'person.name']],
      ['child', ['child.name', 'child.gender']],
      ['bank', ['bank.branch']],
    ],
  );
  const gender = groups[1]!.questions[1]!;
  assert.equal(gender.type, 'code');
  assert.equal(gender.values?.length, 2);
  assert.equal(groups[1]!.questions[0]!.required, true);
  // No element in the matters: the form's own titles.
  assert.deepEqual(groups[2]!.questions[0]!.label, { zh: '银行网点', en: 'Bank branch' });
});

test('a licence an earlier matter of the bundle issues is not asked for; optional materials are not either', () => {
  assert.deepEqual(
    materialsNeeded(subject).map((m) => m.code),
    ['mother-id', 'household'],
  );
  // Alone, the registration needs the certificate.
  const alone: Subject = { ...subject, kind: 'matter', matters: [registration], dependsOn: {} };
  assert.deepEqual(
    materialsNeeded(alone).map((m) => m.code),
    ['birth-cert', 'household'],
  );
});

test('a group is verified when the registry locked all of it, completed when every required answer is given', () => {
  const [person, child] = questionGroups(subject);
  // Where the data hub says a value came from (the contract's PrefillSource: every part named).
  const registry = (item: string) => ({
    resource: 'population',
    department: '330100-GA',
    collectedAt: '2026-01-01T00:00:00Z',
    item,
  });
  const locked = (keys: string[]): Prefill => ({
    status: 'filled',
    at: '',
    problem: null,
    consentNeeded: [],
    missing: [],
    fields: Object.fromEntries(keys.map((k) => [k, { element: k, source: registry(k), verified: true, locked: true }])),
  });
  assert.equal(groupStatus(person!, {}, locked(['child.applicantRelation', 'person.name'])), 'verified');
  assert.equal(groupStatus(person!, { 'person.name': '李四' }, locked(['person.name'])), 'completed');
  assert.equal(groupStatus(child!, { 'child.gender': '1' }, null), 'inProgress');
  assert.equal(groupStatus(child!, {}, null), 'notStarted');
  assert.equal(groupStatus(child!, { 'child.name': '张小宝' }, null), 'completed');
});

test('a text box gives numbers for numeric questions, nothing when empty; API fields name form keys', () => {
  const q = { key: 'w', element: 'child.birthWeight', label: name('w'), required: true };
  assert.equal(toValue({ ...q, type: 'integer' }, ' 3400 '), 3400);
  assert.equal(toValue({ ...q, type: 'integer' }, '3.4kg'), '3.4kg');
  assert.equal(toValue({ ...q, type: 'string' }, '  '), undefined);
  assert.equal(toValue({ ...q, type: 'boolean' }, 'true'), true);
  assert.equal(formKeyOf('form.child.name'), 'child.name');
  assert.equal(formKeyOf('materials.0.code'), undefined);
});

test('consent is asked once per resource item', () => {
  const prefill = {
    consentNeeded: [
      { element: 'mother.name', resource: 'population', item: 'name' },
      { element: 'father.name', resource: 'population', item: 'name' },
      { element: 'child.name', resource: 'birth-record', item: 'childName' },
    ],
  } as Prefill;
  assert.deepEqual(consentItems(prefill), ['population.name', 'birth-record.childName']);
  assert.deepEqual(consentItems(null), []);
});
