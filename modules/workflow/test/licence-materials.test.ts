// 免证办's pure rules (domain/licence-materials.ts): which materials a licence issued earlier in the
// same case fills in, which materials name the holder's own licence, and why such a licence cannot
// stand (not hers, not valid now, of another type).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BundleVersionView, MatterVersionView } from '@tongban/contracts';
import {
  caseLicenceSlots,
  holderLicenceProblem,
  holderLicenceRefs,
  licenceIdentifierOf,
  type HeldLicence,
  type HolderLicenceRef,
} from '../src/domain/licence-materials.ts';
import type { Subject } from '../src/domain/plan.ts';

const t = (zh: string, en = zh) => ({ zh, en });
const material = (code: string, licenceType?: string) => ({
  code,
  name: t(code),
  required: true,
  ...(licenceType ? { licenceType } : {}),
});
const matter = (code: string, over: Partial<MatterVersionView>) =>
  ({ code, version: 1, departmentCode: 'D', materials: [], ...over }) as unknown as MatterVersionView;

const certificate = matter('CERT', {
  producesLicence: { type: 'birth-medical-certificate', name: t('出生医学证明', 'Medical Certificate of Birth') },
});
const registration = matter('REG', {
  materials: [material('birth-certificate', 'birth-medical-certificate'), material('household', 'household-register')],
});
const vaccination = matter('VAC', { materials: [material('birth-certificate', 'birth-medical-certificate')] });
const bundle: Subject = {
  kind: 'bundle',
  bundle: {
    code: 'BIRTH',
    items: [
      { matterCode: 'CERT', dependsOn: [] },
      { matterCode: 'REG', dependsOn: ['CERT'] },
      { matterCode: 'VAC', dependsOn: ['CERT'] },
    ],
  } as unknown as BundleVersionView,
  matters: new Map([certificate, registration, vaccination].map((m) => [m.code, m])),
};

test('a licence an earlier matter of the case issues fills each material asking for it, once per code', () => {
  assert.deepEqual(caseLicenceSlots(bundle, []), [
    {
      code: 'birth-certificate',
      typeCode: 'birth-medical-certificate',
      typeName: { zh: '出生医学证明', en: 'Medical Certificate of Birth' },
      producedBy: 'CERT',
    },
  ]);
  // Given by the applicant: hers stands, nothing is awaited. Alone, no prerequisite issues it.
  assert.deepEqual(caseLicenceSlots(bundle, [{ code: 'birth-certificate', ref: 'doc:x' }]), []);
  assert.deepEqual(caseLicenceSlots({ kind: 'matter', matter: registration }, []), []);
});

test('only `lic:<identifier>` names a licence; older free-form refs and uploads do not', () => {
  assert.equal(licenceIdentifierOf('lic:1.2.156.3005.2.1001.X.1.001.K'), '1.2.156.3005.2.1001.X.1.001.K');
  for (const ref of ['licence:resident-id-card:mother', 'doc:abc', 'lic:', 'lic:a b']) {
    assert.equal(licenceIdentifierOf(ref), undefined, ref);
  }
  assert.deepEqual(
    holderLicenceRefs(bundle, [
      { code: 'household', ref: 'doc:1' },
      { code: 'birth-certificate', ref: 'lic:ID-1' },
      { code: 'other', ref: 'lic:ID-2' },
    ]),
    [
      { index: 1, code: 'birth-certificate', identifier: 'ID-1', licenceType: 'birth-medical-certificate' },
      { index: 2, code: 'other', identifier: 'ID-2', licenceType: undefined },
    ],
  );
});

test("a holder's licence stands only when hers, valid now and of the material's type", () => {
  const now = new Date('2026-12-01T02:00:00Z');
  const ref: HolderLicenceRef = {
    index: 0,
    code: 'birth-certificate',
    identifier: 'ID-1',
    licenceType: 'birth-medical-certificate',
  };
  const held: HeldLicence = {
    licenceId: 'l1',
    identifier: 'ID-1',
    typeCode: 'birth-medical-certificate',
    typeName: t('出生医学证明'),
    status: 'valid',
    validFrom: '2026-11-20T00:00:00Z',
    validUntil: null,
  };
  const code = (h: HeldLicence | undefined, r = ref) => holderLicenceProblem(r, h, now, 'f')?.code;
  assert.equal(code(held), undefined);
  assert.equal(code(undefined), 'licence_not_yours');
  assert.equal(code({ ...held, status: 'revoked' }), 'licence_not_valid');
  assert.equal(code({ ...held, status: 'suspended' }), 'licence_not_valid');
  assert.equal(code({ ...held, validUntil: '2026-12-01T02:00:00Z' }), 'licence_not_valid', 'expired at its end');
  assert.equal(code({ ...held, validFrom: '2026-12-02T00:00:00Z' }), 'licence_not_valid', 'not valid yet');
  assert.equal(code({ ...held, typeCode: 'household-register' }), 'licence_wrong_type');
  assert.equal(code(held, { ...ref, licenceType: undefined }), 'licence_not_accepted');
});
