// 共享授权: consumer × resource × purpose → items; each refusal says which rule it broke.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkGrant, type Grant } from '../src/domain/grants.ts';
import { consented, parseConsentItem } from '../src/domain/consent.ts';

const grants: Grant[] = [
  { id: 'g1', consumer: '330100-GA', resource: 'population', purpose: '330100-GA-001', items: ['name', 'idNumber'] },
  { id: 'g2', consumer: '330100-GA', resource: 'population', purpose: 'law:户口登记条例', items: ['name'] },
  { id: 'g3', consumer: 'tongban-workflow', resource: 'birth-record', purpose: 'BIRTH', items: ['childName'] },
];

test('grant check: the rule each request meets', () => {
  const cases = [
    [{ consumer: '330100-GA', resource: 'population', purpose: '330100-GA-001', items: ['name'] }, 'ok'],
    [{ consumer: '330100-GA', resource: 'population', purpose: '330100-GA-001', items: ['name', 'idNumber'] }, 'ok'],
    [{ consumer: '330100-MZ', resource: 'population', purpose: '330100-GA-001', items: ['name'] }, 'no_grant'],
    [{ consumer: '330100-GA', resource: 'birth-record', purpose: '330100-GA-001', items: ['name'] }, 'no_grant'],
    [{ consumer: '330100-GA', resource: 'population', purpose: 'BIRTH', items: ['name'] }, 'wrong_purpose'],
    [
      { consumer: '330100-GA', resource: 'population', purpose: '330100-GA-001', items: ['mobile'] },
      'items_outside_grant',
    ],
    [
      { consumer: '330100-GA', resource: 'population', purpose: 'law:户口登记条例', items: ['idNumber'] },
      'items_outside_grant',
    ],
  ] as const;
  for (const [request, expected] of cases) {
    const verdict = checkGrant(grants, request);
    assert.equal(verdict.ok ? 'ok' : verdict.reason, expected, JSON.stringify(request));
  }
});

test('a refusal names what is outside the grant, or the purposes granted instead', () => {
  const outside = checkGrant(grants, {
    consumer: '330100-GA',
    resource: 'population',
    purpose: '330100-GA-001',
    items: ['name', 'mobile', 'address'],
  });
  assert.deepEqual(outside.ok ? [] : outside.outside, ['mobile', 'address']);
  const wrong = checkGrant(grants, { consumer: '330100-GA', resource: 'population', purpose: 'X', items: ['name'] });
  assert.deepEqual(wrong.ok ? [] : wrong.purposes, ['330100-GA-001', 'law:户口登记条例']);
});

test('consent covers exactly the items named for the purpose', () => {
  const consents = [
    { id: 'c1', accountId: 'a', purpose: 'BIRTH', items: ['population.name', 'birth-record.childName'] },
  ];
  assert.equal(consented(consents, 'BIRTH', 'population', 'name'), true);
  assert.equal(consented(consents, 'BIRTH', 'population', 'mobile'), false);
  assert.equal(consented(consents, '330100-GA-001', 'population', 'name'), false, 'another purpose');
  assert.deepEqual(parseConsentItem('birth-record.childName'), { resource: 'birth-record', item: 'childName' });
  assert.equal(parseConsentItem('population'), undefined);
});
