// Issuance and status changes. An approved task is queued by the consumer in its delivery
// transaction (once, with the inbox row); the issuer takes it from there outside any transaction
// to ask the catalog what the matter produces — the embedded database has one connection, and a
// call into another module from inside a transaction would wait on itself — then issues in one
// transaction of its own. The licence's unique task id makes it once under redelivery, restarts
// and two replicas racing.
import { randomUUID } from 'node:crypto';
import { ScanCodes } from './scan.ts';
import { CatalogApi, RECEIPT_LICENCE_TYPE, WorkflowApi, type EventData, type LicenceStatus } from '@tongban/contracts';
import { isUniqueViolation, maskName, type ModuleContext, type TransactionEvents } from '@tongban/kernel';
import { formatIdentifier } from '../domain/identifier.ts';
import { findLicenceType, licenceFields, validUntil, type LicenceType } from '../domain/licence-types.ts';
import { transition, type OFFICER_ACTIONS, type StatusAction } from '../domain/status.ts';
import { LicenseError } from '../errors.ts';
import {
  allocateStatusIndex,
  dropPending,
  dueToExpire,
  findLicenceByTask,
  findLicenceForUpdate,
  insertLicence,
  nextSerial,
  notePendingFailure,
  pendingIssues,
  setStatus,
  statusEntries,
  findLicenceByIdentifier,
  findReceiptByOrder,
  pendingReceipts,
  dropPendingReceipt,
  notePendingReceiptFailure,
} from '../store/licences.ts';
import { typed, type LicenceRow, type LicensesDb } from '../store/tables.ts';
import { licenceView, type LicenceView } from './views.ts';

type TaskApproved = EventData<'workflow.task.approved'>;
type OrderPaid = EventData<'payments.order.paid'>;

/** Fen as yuan text, by integer arithmetic only: 2000 → '20.00'. */
export function yuan(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** What a receipt (非税收入票据) carries: the payment's particulars, sealed like any licence's fields. */
export function receiptFields(event: OrderPaid, payerNameMasked: string | null): Record<string, unknown> {
  return {
    amountFen: event.amountFen,
    amountYuan: yuan(event.amountFen),
    orderId: event.orderId,
    ...(event.caseNumber ? { caseNumber: event.caseNumber } : {}),
    items: event.items.map((i) => ({
      code: i.code,
      name: i.name,
      amountFen: i.amountFen,
      amountYuan: yuan(i.amountFen),
    })),
    ...(payerNameMasked ? { payerName: payerNameMasked } : {}),
    // 执收单位: the department whose fee it was; the receipt's issuer is the finance department.
    collectingDepartment: event.departmentCode,
    channel: event.channel,
    ...(event.channelTradeNo ? { channelTradeNo: event.channelTradeNo } : {}),
    paidAt: event.paidAt,
  };
}

/** Where the issuer learns what it needs beyond the event; the integrator may wire others. */
export interface IssueSources {
  /** The licence type the matter produces (the catalog's `producesLicence.type`), if any. */
  producedType(matterCode: string): Promise<string | undefined>;
  /** The application's form answers, for the licence's fields and the holder's name; undefined: none. */
  answers(taskId: string): Promise<Readonly<Record<string, unknown>> | undefined>;
}

/**
 * The catalog's latest version of the matter (the approval names no version), and the approved
 * task's answers from the workflow (its service route for licences, with this module's own token).
 */
export function catalogSources(ctx: ModuleContext): IssueSources {
  return {
    producedType: async (code) => (await ctx.modules.call(CatalogApi.latestMatter, [code])).producesLicence?.type,
    answers: async (taskId) =>
      (await ctx.modules.call(WorkflowApi.approvedTaskAnswers, [taskId], { auth: 'service' })).answers,
  };
}

/** The additional data of a licence's sealed answers: they open in its own row only. */
export const fieldsAad = (id: string) => `licenses.licence.fields:${id}`;

/** One status list per issuing department: a verifier fetches the issuer's list it trusts. */
export const statusListOf = (departmentCode: string) => `sl-${departmentCode}`;

export class Licenses {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  readonly ctx: ModuleContext;
  readonly sources: IssueSources;

  readonly scan: ScanCodes;

  constructor(ctx: ModuleContext, sources: IssueSources = catalogSources(ctx)) {
    this.scan = new ScanCodes(ctx);
    this.ctx = ctx;
    this.sources = sources;
  }

  get db(): LicensesDb {
    return typed(this.ctx.db);
  }

  /** Every slot of a status list with its licence's status, in index order: what the status-list credential encodes. */
  statusEntries(listId: string): Promise<{ index: number; status: LicenceStatus }[]> {
    return statusEntries(this.db, listId);
  }

  /** The licence a scan code or a verifier names, as the world may see it; undefined when none has that identifier. */
  async findByIdentifier(identifier: string): Promise<LicenceView | undefined> {
    const row = await findLicenceByIdentifier(this.db, identifier);
    return row && licenceView(row);
  }

  start(everyMs = 1000): void {
    this.timer = setInterval(
      () => void this.kick().catch((e) => this.ctx.log.error(e, 'licence issuer failed')),
      everyMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Issues what is queued now; one run at a time per process (the unique task id covers replicas). */
  kick(): Promise<void> {
    this.running ??= this.issuePending().finally(() => (this.running = undefined));
    return this.running;
  }

  private async issuePending(): Promise<void> {
    await this.issuePendingReceipts();
    for (const row of await pendingIssues(this.db, 50)) {
      const event = row.event as TaskApproved;
      try {
        await this.issue(event);
      } catch (error) {
        // A matter the catalog no longer knows will never produce a licence: not retried for ever.
        if ((error as { problem?: { code?: string } }).problem?.code === 'CATALOG_MATTER_NOT_FOUND') {
          this.ctx.log.warn({ taskId: row.task_id }, 'approved task of a matter the catalog does not know: no licence');
          await dropPending(this.db, row.task_id);
          continue;
        }
        this.ctx.log.warn({ err: error, taskId: row.task_id }, 'licence not issued yet; retried');
        await notePendingFailure(this.db, row.task_id, String((error as Error).message ?? error));
      }
    }
  }

  /** Issues the licence an approved task produces, once; answers the licence, or undefined when the matter produces none. */
  async issue(event: TaskApproved) {
    const typeCode = await this.sources.producedType(event.matterCode);
    const type = typeCode === undefined ? undefined : findLicenceType(typeCode);
    if (typeCode !== undefined && type === undefined)
      this.ctx.log.warn(
        { typeCode, matterCode: event.matterCode },
        'the matter names a licence type this module does not know',
      );
    const answers = type ? ((await this.sources.answers(event.taskId)) ?? {}) : {};
    try {
      return await this.issueOnce(event, type, answers);
    } catch (error) {
      // Another replica issued it between our check and our insert: theirs is the licence.
      if (!isUniqueViolation(error, 'licence_task_id_key')) throw error;
      const done = await findLicenceByTask(this.db, event.taskId);
      if (!done) throw error;
      await dropPending(this.db, event.taskId);
      return licenceView(done);
    }
  }

  private issueOnce(event: TaskApproved, type: LicenceType | undefined, answers: Readonly<Record<string, unknown>>) {
    return this.ctx.transaction(async (trx, events) => {
      const db = typed(trx);
      const done = await findLicenceByTask(db, event.taskId);
      if (!type || done) {
        await dropPending(db, event.taskId);
        return done && licenceView(done);
      }
      const now = this.ctx.clock.now();
      const serial = await nextSerial(db, type.gbTypeCode, type.issuerCode);
      const listId = statusListOf(type.departmentCode);
      const index = await allocateStatusIndex(db, listId);
      const holderName = type.holderNameField ? answers[type.holderNameField] : undefined;
      const id = randomUUID();
      const row: LicenceRow = {
        id,
        identifier: formatIdentifier({ typeCode: type.gbTypeCode, issuerCode: type.issuerCode, serial, version: 1 }),
        type_code: type.code,
        issuer_code: type.issuerCode,
        serial,
        version: 1,
        department_code: type.departmentCode,
        holder_id: event.applicantId,
        holder_name_masked: typeof holderName === 'string' && holderName !== '' ? maskName(holderName) : null,
        matter_code: event.matterCode,
        application_id: event.applicationId,
        task_id: event.taskId,
        order_id: null,
        fields: await this.ctx.fields.seal(JSON.stringify(licenceFields(type, answers)), fieldsAad(id)),
        status: 'valid',
        valid_from: now,
        valid_until: validUntil(type.validity, now),
        status_list_id: listId,
        status_index: index,
        issued_at: now,
      };
      await insertLicence(db, row);
      await dropPending(db, event.taskId);
      await publishIssued(events, row, now);
      return licenceView(row);
    });
  }

  private async issuePendingReceipts(): Promise<void> {
    for (const row of await pendingReceipts(this.db, 50)) {
      try {
        await this.issueReceipt(row.event as OrderPaid);
      } catch (error) {
        this.ctx.log.warn({ err: error, orderId: row.order_id }, 'receipt not issued yet; retried');
        await notePendingReceiptFailure(this.db, row.order_id, String((error as Error).message ?? error));
      }
    }
  }

  /**
   * 非税收入票据: the receipt of a paid order, issued once per order (its unique order id) to the
   * payer by the finance department, for the order's task. Its fields — amount, items, order and
   * case, payer, the department that collected — come from the payment itself: nothing to ask
   * another module. Answers the receipt, or undefined when nothing was paid (a waived order).
   */
  async issueReceipt(event: OrderPaid): Promise<LicenceView | undefined> {
    try {
      return await this.issueReceiptOnce(event);
    } catch (error) {
      // Another replica issued it between our check and our insert: theirs is the receipt.
      if (!isUniqueViolation(error, 'licence_order_id_key')) throw error;
      const done = await findReceiptByOrder(this.db, event.orderId);
      if (!done) throw error;
      await dropPendingReceipt(this.db, event.orderId);
      return licenceView(done);
    }
  }

  private issueReceiptOnce(event: OrderPaid) {
    return this.ctx.transaction(async (trx, events) => {
      const db = typed(trx);
      const done = await findReceiptByOrder(db, event.orderId);
      const type = findLicenceType(RECEIPT_LICENCE_TYPE)!;
      if (done || event.amountFen <= 0) {
        await dropPendingReceipt(db, event.orderId);
        return done && licenceView(done);
      }
      const now = this.ctx.clock.now();
      const serial = await nextSerial(db, type.gbTypeCode, type.issuerCode);
      const listId = statusListOf(type.departmentCode);
      const index = await allocateStatusIndex(db, listId);
      const id = randomUUID();
      const payerNameMasked = event.payerName?.trim() ? maskName(event.payerName.trim()) : null;
      const row: LicenceRow = {
        id,
        identifier: formatIdentifier({ typeCode: type.gbTypeCode, issuerCode: type.issuerCode, serial, version: 1 }),
        type_code: type.code,
        issuer_code: type.issuerCode,
        serial,
        version: 1,
        department_code: type.departmentCode,
        holder_id: event.payerId,
        holder_name_masked: payerNameMasked,
        matter_code: event.matterCode,
        application_id: event.applicationId,
        task_id: event.taskId,
        order_id: event.orderId,
        fields: await this.ctx.fields.seal(JSON.stringify(receiptFields(event, payerNameMasked)), fieldsAad(id)),
        status: 'valid',
        valid_from: now,
        valid_until: null,
        status_list_id: listId,
        status_index: index,
        issued_at: now,
      };
      await insertLicence(db, row);
      await dropPendingReceipt(db, event.orderId);
      await publishIssued(events, row, now);
      return licenceView(row);
    });
  }

  /** An officer's suspend, reinstate or revoke: one transaction, one appended action, one event. */
  changeStatus(
    id: string,
    action: (typeof OFFICER_ACTIONS)[number],
    reason: string | undefined,
    actor: { kind: string; id: string },
  ) {
    return this.ctx.transaction(async (trx, events) => {
      const licence = await findLicenceForUpdate(typed(trx), id);
      if (!licence) throw new LicenseError('LICENSES_NOT_FOUND', { id });
      return this.apply(trx, events, licence, action, reason, actor);
    });
  }

  private async apply(
    trx: Parameters<Parameters<ModuleContext['transaction']>[0]>[0],
    events: Parameters<Parameters<ModuleContext['transaction']>[0]>[1],
    licence: LicenceRow,
    action: StatusAction,
    reason: string | undefined,
    actor: { kind: string; id: string },
  ) {
    const result = transition(licence.status, action, reason);
    if (!result.ok) {
      if (result.problem === 'reason_required')
        throw new LicenseError('LICENSES_REASON_REQUIRED', {}, [
          { field: 'body.reason', code: 'required', message: 'a reason is required' },
        ]);
      throw new LicenseError('LICENSES_STATUS_NOT_ALLOWED', { status: licence.status, action });
    }
    const at = this.ctx.clock.now();
    const trimmed = reason?.trim() || undefined;
    await setStatus(typed(trx), licence, result.to, {
      action,
      reason: trimmed ?? null,
      actorKind: actor.kind,
      actorId: actor.id,
      at,
    });
    await events.publish('licenses.licence.status-changed', {
      licenceId: licence.id,
      identifier: licence.identifier,
      holderId: licence.holder_id,
      departmentCode: licence.department_code,
      action,
      from: licence.status,
      to: result.to,
      code: result.code,
      ...(trimmed === undefined ? {} : { reason: trimmed }),
      actor,
      statusList: { id: licence.status_list_id, index: Number(licence.status_index) },
      at: at.toISOString(),
    });
    return licenceView({ ...licence, status: result.to });
  }

  /** The expiry job: every licence past its validity becomes expired, each its own action and event. */
  async expireDue(trx: Parameters<Parameters<ModuleContext['transaction']>[0]>[0]): Promise<number> {
    const due = await dueToExpire(typed(trx), this.ctx.clock.now(), 200);
    for (const licence of due) {
      await this.apply(
        trx,
        { publish: (type, data) => this.ctx.events.publish(trx, type, data) },
        licence,
        'expire',
        undefined,
        { kind: 'system', id: 'licenses.expiry' },
      );
    }
    return due.length;
  }
}

/** `licenses.licence.issued` for a licence just inserted, in its transaction: a matter's licence or a receipt alike. */
function publishIssued(events: TransactionEvents, row: LicenceRow, now: Date) {
  return events.publish('licenses.licence.issued', {
    licenceId: row.id,
    identifier: row.identifier,
    typeCode: row.type_code,
    holderId: row.holder_id,
    departmentCode: row.department_code,
    applicationId: row.application_id,
    taskId: row.task_id,
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until?.toISOString() ?? null,
    statusList: { id: row.status_list_id, index: row.status_index },
    at: now.toISOString(),
  });
}
