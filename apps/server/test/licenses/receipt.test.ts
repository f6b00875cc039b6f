// Issue 15: a paid order's electronic receipt (非税收入票据) is a licence — issued by the finance
// department to the payer, once per order however often payments.order.paid is delivered, beside
// the licence the task's matter produces — and it shows in the holder's licences and verifies like
// any other. The payments module is written in parallel: a stand-in named `payments` publishes here.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import { RECEIPT_LICENCE_TYPE, type EventData } from '@tongban/contracts';
import identity from '@tongban/identity';
import { defineModule } from '@tongban/kernel';
import { databaseLabel } from '@tongban/kernel/testing';
import licenses, { isValidIdentifier } from '@tongban/licenses';
import workflow from '@tongban/workflow';
import { sql } from 'kysely';
import { approveBirthCertificate, startWorkflow, type Harness } from '../workflow/fixtures.ts';

const payments = defineModule({
  name: 'payments',
  title: { zh: '统一支付（测试替身）', en: 'Payments (test double)' },
  secrets: ['payments-service-key'],
});

describe(`receipts as licences (${databaseLabel})`, () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: [catalog, identity, workflow, licenses, payments], identity: true });
  });
  after(() => h.p.dispose());

  const issuer = () => h.p.instanceOf(licenses);
  const publishPaid = async (data: EventData<'payments.order.paid'>) => {
    await h.p.contexts.get('payments')!.transaction((_trx, events) => events.publish('payments.order.paid', data));
    await h.p.bus.settled();
    await issuer().kick();
    await h.p.bus.settled();
  };
  const paid = (payerId: string, taskId: string, overrides: Partial<EventData<'payments.order.paid'>> = {}) => ({
    orderId: `po-${randomUUID()}`,
    applicationId: randomUUID(),
    taskId,
    matterCode: '330100-GA-003',
    departmentCode: '330100-GA',
    payerId,
    amountFen: 2000,
    channel: 'simulator',
    channelTradeNo: 'T2026120100001',
    via: 'notify' as const,
    items: [
      { code: 'id-card-fee', name: { zh: '居民身份证工本费', en: 'Resident identity card fee' }, amountFen: 2000 },
    ],
    paidAt: h.clock.now().toISOString(),
    caseNumber: '330100-20261201-0000001',
    payerName: '张三',
    ...overrides,
  });
  const issuedEvents = async (orderTask: string) =>
    (
      await sql<{ type_code: string; task_id: string }>`
        select data->>'typeCode' as type_code, data->>'taskId' as task_id from licenses.outbox
        where type = 'licenses.licence.issued' and data->>'taskId' = ${orderTask}`.execute(issuer().db)
    ).rows;

  test('a paid order issues one receipt to the payer, by 财政局, under two deliveries of the same paid event', async () => {
    const event = paid('c-receipt', randomUUID());
    await publishPaid(event);
    await publishPaid(event); // the same settlement delivered again (a second event id, same order)
    const mine = await h.call('GET', '/api/licenses/me', await h.citizen('c-receipt'));
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.equal(mine.body.licences.length, 1, JSON.stringify(mine.body));
    const detail = await h.call('GET', `/api/licenses/${mine.body.licences[0].id}`, await h.citizen('c-receipt'));
    assert.equal(detail.status, 200, JSON.stringify(detail.body));
    const receipt = detail.body;
    assert.equal(receipt.type.code, RECEIPT_LICENCE_TYPE);
    assert.deepEqual(receipt.type.name, { zh: '非税收入票据', en: 'Non-tax revenue receipt' });
    assert.equal(receipt.departmentCode, '330100-CZ');
    assert.equal(receipt.holder.name, '张*', 'the payer, masked');
    assert.ok(isValidIdentifier(receipt.identifier), receipt.identifier);
    assert.deepEqual(await issuedEvents(event.taskId), [{ type_code: RECEIPT_LICENCE_TYPE, task_id: event.taskId }]);

    // Its fields: amount in yuan text and fen, order, case, items, the department that collected it.
    const row = await sql<{ fields: string }>`select fields from licenses.licence where id = ${receipt.id}`.execute(
      issuer().db,
    );
    const fields = JSON.parse(
      await issuer().ctx.fields.open(row.rows[0]!.fields, `licenses.licence.fields:${receipt.id}`),
    );
    assert.equal(fields.amountYuan, '20.00');
    assert.equal(fields.amountFen, 2000);
    assert.equal(fields.orderId, event.orderId);
    assert.equal(fields.caseNumber, '330100-20261201-0000001');
    assert.equal(fields.collectingDepartment, '330100-GA');
    assert.equal(fields.payerName, '张*');
    assert.equal(fields.items[0].amountYuan, '20.00');

    // It verifies like any other licence: its scan code checks out at the public verifier.
    const code = await h.call('GET', `/api/licenses/${receipt.id}/scan-code`, await h.citizen('c-receipt'));
    assert.equal(code.status, 200, JSON.stringify(code.body));
    const verdict = await h.call('POST', '/api/licenses/verify', {}, { code: code.body.code });
    assert.equal(verdict.status, 200, JSON.stringify(verdict.body));
    assert.equal(verdict.body.valid, true, JSON.stringify(verdict.body));
  });

  test("a waived order (nothing paid) issues no receipt; another citizen does not see the payer's", async () => {
    const waived = paid('c-waived', randomUUID(), { amountFen: 0, channel: 'exempt', via: 'exempt', items: [] });
    delete (waived as { channelTradeNo?: string }).channelTradeNo;
    await publishPaid(waived);
    assert.deepEqual((await h.call('GET', '/api/licenses/me', await h.citizen('c-waived'))).body.licences, []);
    assert.deepEqual((await h.call('GET', '/api/licenses/me', await h.citizen('c-nosy'))).body.licences, []);
  });

  test("a receipt is a second licence for a task: the matter's own licence is still issued once beside it", async () => {
    const taskId = await approveBirthCertificate(h, 'c-both');
    await h.p.bus.settled();
    await issuer().kick();
    await publishPaid(paid('c-both', taskId, { matterCode: '330100-WJW-001', departmentCode: '330100-WJW' }));
    // The approval heard again: the matter's licence stays one.
    await issuer().issue({
      taskId,
      applicationId: 'a-replayed',
      caseNumber: 'x',
      matterCode: '330100-WJW-001',
      departmentCode: '330100-WJW',
      applicantId: 'c-both',
      action: 'approve',
      from: 'reviewed',
      to: 'approved',
      actor: { kind: 'officer', id: 'o' },
      at: new Date().toISOString(),
      seq: 1,
    });
    const types = (await h.call('GET', '/api/licenses/me', await h.citizen('c-both'))).body.licences
      .map((l: { type: { code: string } }) => l.type.code)
      .sort();
    assert.deepEqual(types, ['birth-medical-certificate', RECEIPT_LICENCE_TYPE]);
  });
});
