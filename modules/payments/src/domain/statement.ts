// 对账: the channel's daily statement file (CSV like Alipay's bill) and its comparison with what
// we recorded. Pure: parsing and matching only; the service fetches, queries and stores.
import { yuanToFen } from './amounts.ts';

export const STATEMENT_HEADER = 'trade_no,out_trade_no,out_request_no,type,amount,time';

export interface StatementLine {
  /** The channel's trade number. */
  tradeNo: string;
  /** Our order id. */
  orderId: string;
  /** Our refund id for a refund line; empty for a payment. */
  refundId: string;
  type: 'pay' | 'refund';
  amountFen: number;
  time: string;
}

export type ParsedStatement = { ok: true; lines: StatementLine[] } | { ok: false; line: number; problem: string };

/** The statement's lines; the first that is not well formed is named (the whole file is then refused). */
export function parseStatement(csv: string): ParsedStatement {
  const rows = csv.split(/\r?\n/).filter((r) => r.trim() !== '' && !r.startsWith('#'));
  if (rows[0] !== STATEMENT_HEADER) return { ok: false, line: 1, problem: 'header' };
  const lines: StatementLine[] = [];
  for (let i = 1; i < rows.length; i++) {
    const cells = rows[i]!.split(',');
    if (cells.length !== 6) return { ok: false, line: i + 1, problem: 'columns' };
    const [tradeNo, orderId, refundId, type, amount, time] = cells as [string, string, string, string, string, string];
    const amountFen = yuanToFen(amount);
    if (!tradeNo || !orderId || (type !== 'pay' && type !== 'refund') || amountFen === undefined)
      return { ok: false, line: i + 1, problem: 'value' };
    if (type === 'refund' && !refundId) return { ok: false, line: i + 1, problem: 'refund without out_request_no' };
    lines.push({ tradeNo, orderId, refundId, type, amountFen, time });
  }
  return { ok: true, lines };
}

/** One of ours on the day: a payment (key: the trade number) or a refund (key: our refund id). */
export interface OurEntry {
  type: 'pay' | 'refund';
  key: string;
  orderId: string;
  tradeNo: string | null;
  amountFen: number;
}

export type DiscrepancyKind = 'missing_ours' | 'missing_channel' | 'amount_differs';

export interface Discrepancy {
  kind: DiscrepancyKind;
  type: 'pay' | 'refund';
  key: string;
  orderId: string;
  tradeNo: string | null;
  oursFen: number | null;
  channelFen: number | null;
}

export interface Comparison {
  matched: number;
  discrepancies: Discrepancy[];
}

/** Each line matched with ours by type and key; what is on one side only, or differs in amount, is a discrepancy. */
export function compareStatement(lines: readonly StatementLine[], ours: readonly OurEntry[]): Comparison {
  const keyOf = (type: string, key: string) => `${type}:${key}`;
  const mine = new Map(ours.map((o) => [keyOf(o.type, o.key), o]));
  const discrepancies: Discrepancy[] = [];
  let matched = 0;
  const seen = new Set<string>();
  for (const line of lines) {
    const key = line.type === 'pay' ? line.tradeNo : line.refundId;
    const k = keyOf(line.type, key);
    seen.add(k);
    const our = mine.get(k);
    if (!our) {
      discrepancies.push({
        kind: 'missing_ours',
        type: line.type,
        key,
        orderId: line.orderId,
        tradeNo: line.tradeNo,
        oursFen: null,
        channelFen: line.amountFen,
      });
    } else if (our.amountFen !== line.amountFen) {
      discrepancies.push({
        kind: 'amount_differs',
        type: line.type,
        key,
        orderId: our.orderId,
        tradeNo: line.tradeNo,
        oursFen: our.amountFen,
        channelFen: line.amountFen,
      });
    } else matched += 1;
  }
  for (const our of ours)
    if (!seen.has(keyOf(our.type, our.key)))
      discrepancies.push({
        kind: 'missing_channel',
        type: our.type,
        key: our.key,
        orderId: our.orderId,
        tradeNo: our.tradeNo,
        oursFen: our.amountFen,
        channelFen: null,
      });
  return { matched, discrepancies };
}
