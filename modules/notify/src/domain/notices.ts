// Which notice an event makes, for whom, with which values: one function per consumed event
// type. Pure: what the event does not carry (a case number for payments and licences) comes from
// the projection the caller looked up.
import type { EventData, NoticeKind } from '@tongban/contracts';

export interface NoticeDraft {
  readonly kind: NoticeKind;
  readonly recipientId: string;
  readonly applicationId: string | null;
  readonly taskId: string | null;
  /** Placeholder values (and `matterCode`, whose names are looked up when rendered). */
  readonly params: Readonly<Record<string, string>>;
  /** The departments whose webhook subscriptions hear it. */
  readonly departments: readonly string[];
}

export interface KnownApplication {
  readonly caseNumber: string;
  readonly applicantId: string;
  readonly departments: readonly string[];
}

type Task = EventData<'workflow.task.approved'>;

export function fromSubmitted(e: EventData<'workflow.application.submitted'>): NoticeDraft {
  return {
    kind: e.channel === 'counter' || e.actor.kind === 'officer' ? 'counter_filed' : 'submitted',
    recipientId: e.applicantId,
    applicationId: e.applicationId,
    taskId: null,
    params: { caseNumber: e.caseNumber },
    departments: [...new Set(e.tasks.map((t) => t.departmentCode))],
  };
}

/** A task's step the applicant hears of; undefined for the steps they do not (started, claimed …). */
export function fromTask(verb: string, e: Task): NoticeDraft | undefined {
  const kind: NoticeKind | undefined =
    verb === 'approved'
      ? 'approved'
      : verb === 'rejected'
        ? 'rejected'
        : verb === 'correction-requested'
          ? 'correction_requested'
          : verb === 'accepted' && e.action === 'acceptPending'
            ? 'materials_to_follow'
            : undefined;
  if (!kind) return undefined;
  return {
    kind,
    recipientId: e.applicantId,
    applicationId: e.applicationId,
    taskId: e.taskId,
    params: { caseNumber: e.caseNumber, matterCode: e.matterCode, reason: e.reason ?? '' },
    departments: [e.departmentCode],
  };
}

export function fromApplicationEnd(
  kind: 'withdrawn' | 'completed' | 'closed',
  e: { applicationId: string; caseNumber: string; applicantId: string },
  known: KnownApplication | undefined,
): NoticeDraft {
  return {
    kind,
    recipientId: e.applicantId,
    applicationId: e.applicationId,
    taskId: null,
    params: { caseNumber: e.caseNumber },
    departments: known?.departments ?? [],
  };
}

export function fromOrderCreated(
  e: EventData<'payments.order.created'>,
  known: KnownApplication | undefined,
): NoticeDraft | undefined {
  if (e.status !== 'pending') return undefined;
  return {
    kind: 'payment_due',
    recipientId: e.payerId,
    applicationId: e.applicationId,
    taskId: e.taskId,
    params: {
      caseNumber: known?.caseNumber ?? '',
      matterCode: e.matterCode,
      amount: String(e.amountFen),
      expiresAt: e.expiresAt,
    },
    departments: known?.departments ?? [],
  };
}

/** A waived order (exempt) makes no notice: nothing was paid. */
export function fromOrderPaid(
  e: EventData<'payments.order.paid'>,
  known: KnownApplication | undefined,
): NoticeDraft | undefined {
  if (e.via === 'exempt') return undefined;
  return {
    kind: 'payment_received',
    recipientId: e.payerId,
    applicationId: e.applicationId,
    taskId: e.taskId,
    params: { caseNumber: known?.caseNumber ?? '', matterCode: e.matterCode, amount: String(e.amountFen) },
    departments: [e.departmentCode],
  };
}

export function fromRefund(
  e: EventData<'payments.refund.succeeded'>,
  known: KnownApplication | undefined,
): NoticeDraft {
  return {
    kind: 'refund_succeeded',
    recipientId: e.payerId,
    applicationId: e.applicationId,
    taskId: null,
    params: { caseNumber: known?.caseNumber ?? '', amount: String(e.amountFen) },
    departments: known?.departments ?? [],
  };
}

export function fromLicenceIssued(
  e: EventData<'licenses.licence.issued'>,
  known: KnownApplication | undefined,
): NoticeDraft {
  return {
    kind: 'licence_issued',
    recipientId: e.holderId,
    applicationId: e.applicationId,
    taskId: e.taskId,
    params: { caseNumber: known?.caseNumber ?? '', identifier: e.identifier },
    departments: [e.departmentCode],
  };
}

export function fromSecurityLocked(e: EventData<'identity.account.security-locked'>): NoticeDraft {
  return {
    kind: 'account_locked',
    recipientId: e.accountId,
    applicationId: null,
    taskId: null,
    params: { until: e.until },
    departments: [],
  };
}

/** A webhook's payload: the kind, ids, case number, department and time — no personal data beyond ids. */
export function webhookPayload(
  eventId: string,
  d: NoticeDraft,
  departmentCode: string,
  at: Date,
): Record<string, unknown> {
  return {
    type: `notify.${d.kind}`,
    eventId,
    kind: d.kind,
    applicationId: d.applicationId,
    taskId: d.taskId,
    caseNumber: d.params.caseNumber || null,
    departmentCode,
    at: at.toISOString(),
  };
}
