// Entries keep references and digests only: what an event said is provable, not repeated.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { canonicalize } from '../src/domain/canonical.ts';
import { entryFromEvent, pseudonym, subjectOf } from '../src/domain/entry.ts';

const PEPPER = 'test-pepper';
const hmac = (text: string) => createHmac('sha256', PEPPER).update(text).digest('hex');

test('a sign-in failure keeps the address as a keyed digest, the outcome as failure, and digests the whole event', () => {
  const event = {
    id: 'e-1',
    type: 'identity.sign-in.failed',
    source: 'identity',
    occurredAt: '2026-12-01T02:00:00.000Z',
    data: { accountId: 'a-1', factor: 'password', reason: 'wrong_password', ip: '203.0.113.9' },
  };
  const entry = entryFromEvent(event, PEPPER);
  assert.equal(entry.outcome, 'failure');
  assert.deepEqual(entry.subject, { kind: 'account', id: pseudonym('a-1', PEPPER) });
  assert.equal(subjectOf(event), 'a-1', 'the account is kept beside the entry, to find it');
  assert.equal(entry.digests?.ip, hmac('203.0.113.9'));
  assert.notEqual(
    entry.digests?.ip,
    createHash('sha256').update('203.0.113.9').digest('hex'),
    'not a plain hash: the IPv4 space is small',
  );
  assert.equal(entry.digests?.data, hmac(canonicalize(event.data)));
  assert.equal(JSON.stringify(entry).includes('203.0.113.9'), false);
});

test('a workflow step names the officer, the applicant as subject, the task and its transition; a free-text reason only as a digest', () => {
  const entry = entryFromEvent(
    {
      id: 'e-2',
      type: 'workflow.task.rejected',
      source: 'workflow',
      occurredAt: '2026-12-01T02:00:00.000Z',
      data: {
        applicationId: 'app-1',
        caseNumber: '330100-20261201-0000001',
        taskId: 't-1',
        matterCode: '330100-GA-001',
        departmentCode: '330100-GA',
        applicantId: 'c-1',
        action: 'reject',
        from: 'accepted',
        to: 'rejected',
        actor: { kind: 'officer', id: 'o-1' },
        reason: '张三的材料不全',
        at: '2026-12-01T02:00:00.000Z',
        seq: 9,
      },
    },
    PEPPER,
  );
  assert.deepEqual(entry.actor, { kind: 'officer', id: 'o-1' }, 'staff act in their own name');
  assert.deepEqual(entry.subject, { kind: 'account', id: pseudonym('c-1', PEPPER) });
  assert.equal(JSON.stringify(entry).includes('"c-1"'), false, 'the applicant only by pseudonym');
  assert.equal(entry.resource?.to, 'rejected');
  assert.equal(JSON.stringify(entry).includes('张三'), false);
  assert.ok(entry.digests?.reason);
});

test('a pseudonym is keyed: the same account gives the same one under one pepper, another under another, and no plain hash', () => {
  assert.equal(pseudonym('c-1', PEPPER), pseudonym('c-1', PEPPER));
  assert.notEqual(pseudonym('c-1', PEPPER), pseudonym('c-2', PEPPER));
  assert.notEqual(pseudonym('c-1', PEPPER), pseudonym('c-1', 'another-pepper'));
  assert.equal(pseudonym('c-1', PEPPER).includes(createHash('sha256').update('c-1').digest('hex').slice(0, 32)), false);
  assert.match(pseudonym('c-1', PEPPER), /^p-[0-9a-f]{32}$/);
});

test('an officer recovering an account at a counter acts in their own name; a representative authorising an agent stays a pseudonym', () => {
  const at = '2026-12-01T02:00:00.000Z';
  const recovered = entryFromEvent(
    {
      id: 'e-3',
      type: 'identity.account.recovered',
      source: 'identity',
      occurredAt: at,
      data: {
        accountId: 'c-1',
        by: 'o-9',
        verified: 'in_person',
        sessionsEnded: 2,
        factorsRemoved: { totp: true, passkeys: 0 },
        mobileChanged: true,
      },
    },
    PEPPER,
  );
  assert.deepEqual(recovered.actor, { kind: 'staff', id: 'o-9' });
  assert.deepEqual(recovered.subject, { kind: 'account', id: pseudonym('c-1', PEPPER) });
  const lookedUp = entryFromEvent(
    {
      id: 'e-5',
      type: 'identity.resident.looked-up',
      source: 'identity',
      occurredAt: at,
      data: { by: 'o-7', accountId: 'c-1', found: true, region: '330106' },
    },
    PEPPER,
  );
  assert.deepEqual(lookedUp.actor, { kind: 'staff', id: 'o-7' }, 'the counter officer, in their own name');
  assert.deepEqual(lookedUp.subject, { kind: 'account', id: pseudonym('c-1', PEPPER) });
  const authorised = entryFromEvent(
    {
      id: 'e-4',
      type: 'identity.agent.authorised',
      source: 'identity',
      occurredAt: at,
      data: { businessId: 'b-1', citizenId: 'c-2', by: 'c-3' },
    },
    PEPPER,
  );
  assert.equal(JSON.stringify(authorised).includes('"c-3"'), false, 'a citizen acting is never named by account id');
});

test('crossing a sign-in throttle is recorded as denied', () => {
  const entry = entryFromEvent(
    {
      id: 'e-5',
      type: 'identity.sign-in.throttled',
      source: 'identity',
      occurredAt: '2026-12-01T02:00:00.000Z',
      data: { scope: 'address', factor: 'password', ip: '203.0.113.9', retryAfterSeconds: 60 },
    },
    PEPPER,
  );
  assert.equal(entry.outcome, 'denied');
  assert.equal(JSON.stringify(entry).includes('203.0.113.9'), false);
});

test('a data hub read names the consumer, the person by their hub key, resource, items, channel and purpose; a reveal’s reason only as a digest', () => {
  const event = {
    id: 'e-9',
    type: 'datahub.record.read',
    source: 'datahub',
    occurredAt: '2026-12-01T02:00:00.000Z',
    data: {
      readId: 'r-1',
      consumer: { kind: 'staff', id: 'officer-7', department: '330100-GA' },
      purpose: '330100-GA-001',
      resource: 'population',
      items: ['name', 'mobile'],
      subject: `pk-${'a'.repeat(32)}`,
      accountId: 'a-9',
      channel: 'reveal',
      reason: '核实申请人联系方式',
    },
  };
  const entry = entryFromEvent(event, PEPPER);
  assert.deepEqual(entry.actor, { kind: 'staff', id: 'officer-7' });
  assert.deepEqual(entry.subject, { kind: 'person', id: `pk-${'a'.repeat(32)}` });
  assert.deepEqual(entry.resource, {
    resource: 'population',
    items: 'name,mobile',
    channel: 'reveal',
    department: '330100-GA',
  });
  assert.equal(entry.purpose, '330100-GA-001');
  assert.equal(entry.digests?.reason, hmac('核实申请人联系方式'));
  assert.equal(JSON.stringify(entry).includes('核实'), false);
  assert.equal(subjectOf(event), `pk-${'a'.repeat(32)}`, 'found by the person key, not the account');
});

test('a data hub refusal is outcome denied; a citizen consumer is a pseudonym', () => {
  const entry = entryFromEvent(
    {
      id: 'e-10',
      type: 'datahub.access.denied',
      source: 'datahub',
      occurredAt: '2026-12-01T02:00:00.000Z',
      data: {
        consumer: { kind: 'citizen', id: 'a-1' },
        purpose: 'BIRTH',
        resource: 'population',
        items: ['mobile'],
        reason: 'no_grant',
      },
    },
    PEPPER,
  );
  assert.equal(entry.outcome, 'denied');
  assert.deepEqual(entry.actor, { kind: 'citizen', id: pseudonym('a-1', PEPPER) });
  assert.equal(entry.resource?.reason, 'no_grant');
});
