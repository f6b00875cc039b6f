// 对账: the channel's statement file for a day (China Standard Time) against our payments and
// refunds of that day. What the channel has and we do not is asked of the channel at once and
// counted when it confirms it (a lost notify the active query has not caught yet); the rest are
// discrepancy rows for an operator. One report per run, with `payments.reconciliation.completed`.
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@tongban/kernel';
import { chinaDate } from '../domain/assess.ts';
import { compareStatement, parseStatement, type OurEntry } from '../domain/statement.ts';
import { PaymentsError } from '../errors.ts';
import {
  discrepanciesOf,
  findReconciliation,
  insertReconciliation,
  latestReconciliation,
  paymentsBetween,
  refundsBetween,
} from '../store/payments.ts';
import { typed, type DiscrepancyRow, type ReconciliationRow } from '../store/tables.ts';
import { ChannelError } from './channel.ts';
import type { Payments } from './payments.ts';
import { queryOrder } from './settle.ts';

export interface ReconciliationReport {
  id: string;
  channel: string;
  day: string;
  matched: number;
  statementLines: number;
  completedAt: string;
  discrepancies: {
    kind: DiscrepancyRow['kind'];
    type: DiscrepancyRow['type'];
    key: string;
    orderId: string | null;
    channelTradeNo: string | null;
    oursFen: number | null;
    channelFen: number | null;
    resolution: string;
  }[];
}

const dayBounds = (day: string) => {
  const from = new Date(`${day}T00:00:00+08:00`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
};

export async function reconcile(
  payments: Payments,
  channel: string,
  day: string,
  requestedBy: string,
): Promise<ReconciliationReport> {
  if (channel !== payments.channel.name) throw new PaymentsError('PAYMENTS_UNKNOWN_CHANNEL', { channel });
  let csv: string;
  try {
    csv = await payments.channel.statement(day);
  } catch (error) {
    if (!(error instanceof ChannelError)) throw error;
    payments.ctx.log.warn({ err: error, day }, "the channel's statement could not be fetched");
    throw new PaymentsError('PAYMENTS_CHANNEL_UNAVAILABLE');
  }
  const parsed = parseStatement(csv);
  if (!parsed.ok) throw new PaymentsError('PAYMENTS_STATEMENT_INVALID', { line: parsed.line });
  const { from, to } = dayBounds(day);
  const ours = async (): Promise<OurEntry[]> => [
    ...(await paymentsBetween(payments.db, channel, from, to)).map((p) => ({
      type: 'pay' as const,
      key: p.channel_trade_no,
      orderId: p.order_id,
      tradeNo: p.channel_trade_no,
      amountFen: Number(p.amount_fen),
    })),
    ...(await refundsBetween(payments.db, channel, from, to)).map((r) => ({
      type: 'refund' as const,
      key: r.id,
      orderId: r.order_id,
      tradeNo: r.channel_trade_no,
      amountFen: Number(r.amount_fen),
    })),
  ];
  let comparison = compareStatement(parsed.lines, await ours());
  // Payments the channel took that we never heard of: asked for now, then compared again.
  const counted = new Set<string>();
  for (const d of comparison.discrepancies.filter((x) => x.kind === 'missing_ours' && x.type === 'pay')) {
    try {
      const r = await queryOrder(payments, d.orderId);
      if (r?.outcome === 'recorded') counted.add(d.key);
    } catch (error) {
      payments.ctx.log.warn(
        { err: error, orderId: d.orderId },
        'reconciliation: the query of a missing payment failed',
      );
    }
  }
  if (counted.size > 0) comparison = compareStatement(parsed.lines, await ours());
  const now = payments.now();
  const countedRows = [...counted].map((key) => {
    const line = parsed.lines.find((l) => l.type === 'pay' && l.tradeNo === key)!;
    return {
      kind: 'missing_ours' as const,
      type: 'pay' as const,
      key,
      orderId: line.orderId,
      tradeNo: key,
      oursFen: null,
      channelFen: line.amountFen,
      resolution: 'counted',
    };
  });
  const all = [...comparison.discrepancies.map((d) => ({ ...d, resolution: 'open' })), ...countedRows];
  const row: ReconciliationRow = {
    id: randomUUID(),
    channel,
    day,
    // A payment counted on the second pass matched then; it is also listed, resolved 'counted'.
    matched: comparison.matched,
    discrepancies: all.length,
    statement_lines: parsed.lines.length,
    completed_at: now,
    requested_by: requestedBy,
  };
  const rows = all.map((d) => ({
    reconciliation_id: row.id,
    kind: d.kind,
    type: d.type,
    entry_key: d.key,
    order_id: d.orderId,
    channel_trade_no: d.tradeNo,
    ours_fen: d.oursFen,
    channel_fen: d.channelFen,
    resolution: d.resolution,
  }));
  await payments.ctx.transaction(async (trx, events) => {
    await insertReconciliation(typed(trx), row, rows);
    await events.publish('payments.reconciliation.completed', {
      channel,
      day,
      matched: row.matched,
      discrepancies: row.discrepancies,
      at: now.toISOString(),
    });
  });
  return reconciliationReport(payments, row.id);
}

export async function reconciliationReport(payments: Payments, id: string): Promise<ReconciliationReport> {
  const row = await findReconciliation(payments.db, id);
  if (!row) throw new PaymentsError('PAYMENTS_RECONCILIATION_NOT_FOUND', { id });
  const discrepancies = await discrepanciesOf(payments.db, id);
  return {
    id: row.id,
    channel: row.channel,
    day: row.day,
    matched: row.matched,
    statementLines: row.statement_lines,
    completedAt: row.completed_at.toISOString(),
    discrepancies: discrepancies.map((d) => ({
      kind: d.kind,
      type: d.type,
      key: d.entry_key,
      orderId: d.order_id,
      channelTradeNo: d.channel_trade_no,
      oursFen: d.ours_fen === null ? null : Number(d.ours_fen),
      channelFen: d.channel_fen === null ? null : Number(d.channel_fen),
      resolution: d.resolution,
    })),
  };
}

/** Who the daily run's reports name. */
const DAILY = 'system:daily';

/** Yesterday's statement (CST), once it is published (after 02:00 in Beijing), when not reconciled yet. */
export async function dailyReconciliation(payments: Payments): Promise<void> {
  const now = payments.now();
  const beijingHour = new Date(now.getTime() + 8 * 3_600_000).getUTCHours();
  if (beijingHour < 2) return;
  const yesterday = chinaDate(new Date(now.getTime() - 86_400_000));
  if (await latestReconciliation(payments.db, payments.channel.name, yesterday)) return;
  try {
    await reconcile(payments, payments.channel.name, yesterday, DAILY);
  } catch (error) {
    // Another replica's daily run committed the day's report first (reconciliation_daily_once):
    // what this run counted, it counted idempotently; its report is the one to keep.
    if (!isUniqueViolation(error, 'reconciliation_daily_once')) throw error;
  }
}
