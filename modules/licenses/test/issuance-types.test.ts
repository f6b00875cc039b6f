// The licence types the module issues: every issuer code a valid unified social credit code, every
// identifier they make valid, and a licence carries only the answers its type names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidCreditCode } from '@tongban/kernel';
import { formatIdentifier, isValidIdentifier } from '../src/domain/identifier.ts';
import { LICENCE_TYPES, findLicenceType, licenceFields, type LicenceType } from '../src/domain/licence-types.ts';

const types = Object.values(LICENCE_TYPES) as LicenceType[];

test('every type has a credit-code issuer and makes valid identifiers', () => {
  for (const type of types) {
    assert.ok(isValidCreditCode(type.issuerCode), `${type.code}: ${type.issuerCode}`);
    assert.ok(
      isValidIdentifier(
        formatIdentifier({ typeCode: type.gbTypeCode, issuerCode: type.issuerCode, serial: 1, version: 1 }),
      ),
    );
  }
  assert.equal(new Set(types.map((t) => t.gbTypeCode)).size, types.length, 'type codes are distinct');
});

test('the demo city’s birth licences are known, an unknown type is not', () => {
  assert.equal(findLicenceType('birth-medical-certificate')?.departmentCode, '330100-WJW');
  assert.equal(findLicenceType('household-register')?.departmentCode, '330100-GA');
  assert.equal(findLicenceType('no-such-licence'), undefined);
});

test('a licence carries the answers its type names and nothing else', () => {
  const type = findLicenceType('birth-medical-certificate')!;
  const fields = licenceFields(type, {
    childName: '张小宝',
    childBirthDate: '2026-11-20',
    motherIdNumber: '330106199201011226',
  });
  assert.deepEqual(fields, { childName: '张小宝', childBirthDate: '2026-11-20' });
});
