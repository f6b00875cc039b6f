import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applicationOutcome,
  checkMaterials,
  fieldMap,
  matterForm,
  nextSteps,
  type Subject,
  type TaskLike,
} from '../src/domain/plan.ts';
import type { MatterVersion } from '../src/service/catalog.ts';

const t = (matterCode: string, state: TaskLike['state'], dependsOn: string[] = []): TaskLike => ({
  matterCode,
  state,
  dependsOn,
});

test('a waiting task starts when all its prerequisites are approved, not before', () => {
  assert.deepEqual(nextSteps([t('A', 'approved'), t('B', 'approved'), t('C', 'waiting', ['A', 'B'])]).start, ['C']);
  assert.deepEqual(nextSteps([t('A', 'approved'), t('B', 'accepted'), t('C', 'waiting', ['A', 'B'])]).start, []);
  assert.deepEqual(nextSteps([t('A', 'waiting')]).start, ['A'], 'no prerequisites: starts at once');
});

test('a refused prerequisite ends its dependants, and theirs in the next round', () => {
  const round1 = nextSteps([
    t('A', 'rejected'),
    t('B', 'waiting', ['A']),
    t('C', 'waiting', ['B']),
    t('D', 'submitted'),
  ]);
  assert.deepEqual(round1.cancel, [{ matterCode: 'B', because: 'A' }]);
  const round2 = nextSteps([
    t('A', 'rejected'),
    t('B', 'cancelled', ['A']),
    t('C', 'waiting', ['B']),
    t('D', 'submitted'),
  ]);
  assert.deepEqual(round2.cancel, [{ matterCode: 'C', because: 'B' }]);
});

test('an application is completed when every task is approved, closed when all finished otherwise', () => {
  assert.equal(applicationOutcome([t('A', 'approved'), t('B', 'reviewed')]), 'in_progress');
  assert.equal(applicationOutcome([t('A', 'approved'), t('B', 'approved')]), 'completed');
  assert.equal(applicationOutcome([t('A', 'rejected'), t('B', 'cancelled')]), 'closed');
});

const matter = (code: string, materials: MatterVersion['materials'], producesLicence?: string): MatterVersion => ({
  code,
  version: 1,
  publishedAt: '2026-01-01T00:00:00.000Z',
  name: { zh: code, en: code },
  description: { zh: code, en: code },
  departmentCode: 'D',
  fees: [],
  lifeEvents: [],
  legalDays: 5,
  promisedDays: 1,
  materials,
  form: {
    type: 'object',
    properties: {
      childName: { 'x-data-element': 'child.name' },
      relation: { 'x-data-element': 'child.applicantRelation' },
    },
  },
  ...(producesLicence
    ? { producesLicence: { type: producesLicence, name: { zh: producesLicence, en: producesLicence } } }
    : {}),
});

test('免证办: a material is exempt only when a prerequisite issues its licence, not the matter itself or a sibling', () => {
  const cert = matter('CERT', [], 'birth-cert');
  const register = matter(
    'REG',
    [
      {
        code: 'birth-certificate',
        name: { zh: '出生医学证明', en: 'Birth certificate' },
        required: true,
        licenceType: 'birth-cert',
      },
      {
        code: 'household-register',
        name: { zh: '户口簿', en: 'Household register' },
        required: true,
        licenceType: 'hukou',
      },
    ],
    'hukou',
  );
  const insure = matter('INS', [
    {
      code: 'household-register',
      name: { zh: '户口簿', en: 'Household register' },
      required: true,
      licenceType: 'hukou',
    },
  ]);
  const sibling = matter('SIB', [
    {
      code: 'household-register',
      name: { zh: '户口簿', en: 'Household register' },
      required: true,
      licenceType: 'hukou',
    },
  ]);
  const subject: Subject = {
    kind: 'bundle',
    bundle: {
      code: 'B',
      version: 1,
      publishedAt: '2026-01-01T00:00:00.000Z',
      name: { zh: 'B', en: 'B' },
      description: { zh: 'B', en: 'B' },
      lifeEvent: 'birth',
      promisedDays: 5,
      matterVersions: {},
      form: { type: 'object', properties: {} },
      items: [
        { matterCode: 'CERT', dependsOn: [] },
        { matterCode: 'REG', dependsOn: ['CERT'] },
        { matterCode: 'INS', dependsOn: ['REG'] },
        { matterCode: 'SIB', dependsOn: ['CERT'] },
      ],
    },
    matters: new Map([cert, register, insure, sibling].map((m) => [m.code, m])),
  };
  const fields = checkMaterials(subject, []).map((e) => e.field);
  assert.deepEqual(
    fields,
    ['materials.household-register'],
    'REG must bring the parents’ register, SIB too; INS gets it from REG',
  );
  assert.deepEqual(checkMaterials(subject, [{ code: 'household-register', ref: 'x' }]), []);
  assert.deepEqual(
    checkMaterials(subject, [
      { code: 'x', ref: '1' },
      { code: 'household-register', ref: '2' },
      { code: 'household-register', ref: '3' },
    ]).map((e) => e.code),
    ['unknown_material', 'duplicate_material'],
  );
});

test('in a bundle a matter’s fields live under their data elements; its rules still read its own keys', () => {
  const m = matter('M', []);
  assert.deepEqual(
    [...fieldMap(m, 'bundle').entries()],
    [
      ['childName', 'child.name'],
      ['relation', 'child.applicantRelation'],
    ],
  );
  assert.deepEqual(
    [...fieldMap(m, 'matter').entries()],
    [
      ['childName', 'childName'],
      ['relation', 'relation'],
    ],
  );
  assert.deepEqual(matterForm(m, 'bundle', { 'child.name': '小宝', 'child.applicantRelation': '1', other: 'x' }), {
    childName: '小宝',
    relation: '1',
  });
});
