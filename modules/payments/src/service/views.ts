// An order as its payer and its department's officers see it (the contract's PaymentOrderView).
import type { PaymentOrderView } from '@tongban/contracts';
import type { OrderRow } from '../store/tables.ts';

export function orderView(row: OrderRow): PaymentOrderView {
  return {
    id: row.id,
    applicationId: row.application_id,
    caseNumber: row.case_number,
    taskId: row.task_id,
    matterCode: row.matter_code,
    matterName: { zh: row.matter_name.zh, en: row.matter_name.en },
    departmentCode: row.department_code,
    status: row.status,
    amountFen: Number(row.amount_fen),
    refundedFen: Number(row.refunded_fen),
    items: row.items,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    paidAt: row.paid_at?.toISOString() ?? null,
    channel: row.channel,
    receipt:
      row.receipt_licence_id && row.receipt_identifier
        ? { licenceId: row.receipt_licence_id, identifier: row.receipt_identifier }
        : null,
  };
}
