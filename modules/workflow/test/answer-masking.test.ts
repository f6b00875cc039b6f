// The masking of form answers for officers (domain/answer-masking.ts): which data elements are
// masked, the formats (the data hub's officer formats), and that a mask never holds more of the
// value than its format keeps.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DataElementView } from '@tongban/contracts';
import fc from 'fast-check';
import { maskAnswers, maskOf, maskAddress, maskBankAccount } from '../src/domain/answer-masking.ts';

const element = (id: string, extra: Partial<DataElementView> = {}): DataElementView => ({
  id,
  name: { zh: id, en: id },
  type: 'string',
  personal: true,
  ...extra,
});

describe('masking form answers for officers', () => {
  test('the catalog element says what a field is, not the form key', () => {
    assert.equal(maskOf(element('seller.idNumber', { check: 'gb11643' })), 'idNumber');
    assert.equal(maskOf(element('person.mobile')), 'mobile');
    assert.equal(maskOf(element('bank.accountNumber')), 'bankAccount');
    assert.equal(maskOf(element('household.address')), 'address');
    assert.equal(maskOf(element('company.registeredAddress', { personal: false })), undefined, 'not personal');
    assert.equal(maskOf(element('mother.name')), 'name');
    assert.equal(maskOf(element('company.legalRepName')), 'name');
    assert.equal(maskOf(element('person.name')), undefined, 'the applicant');
    assert.equal(maskOf(element('child.name')), undefined, 'the newborn');
    assert.equal(maskOf(element('mother.employerName')), undefined, 'an employer is not a person');
    assert.equal(maskOf(element('child.birthWeight', { type: 'integer' })), undefined);
    assert.equal(maskOf(undefined), undefined);
  });

  test('formats: an address up to its district, a bank account by its last four', () => {
    assert.equal(maskAddress('杭州市西湖区文三路 1 号'), '杭州市西湖区****');
    assert.equal(maskAddress('文三路 1 号'), '****');
    assert.equal(maskBankAccount('6216610100001234567'), '***************4567');
    assert.equal(maskBankAccount('12345678'), '********');
  });

  test('a bank account mask keeps its length and only its last four', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{9,30}$/), (account) => {
        const masked = maskBankAccount(account);
        assert.equal(masked.length, account.length);
        assert.equal(masked.replace(/\*/g, '').length, 4);
      }),
    );
  });

  test('empty answers and answers of other types pass; a repeated value points at its first field', () => {
    const elements = new Map([
      ['a', element('father.idNumber', { check: 'gb11643' })],
      ['b', element('person.idNumber', { check: 'gb11643' })],
      ['c', element('mother.idNumber', { check: 'gb11643' })],
    ]);
    const { form, masked } = maskAnswers({ a: '33010619900101123X', b: '33010619900101123x', c: '', d: 3 }, (k) =>
      elements.get(k),
    );
    assert.deepEqual(form, { a: '330106********123X', b: '330106********123x', c: '', d: 3 });
    assert.deepEqual(masked, { a: { mask: 'idNumber' }, b: { mask: 'idNumber', sameAs: 'a' } });
  });
});
