// Rows as the API shows them (packages/contracts/src/sentinel.ts).
import type {
  AlertDetailView,
  AlertExportLine,
  AlertHistoryEntry,
  AlertView,
  EvidenceView,
  ResponseView,
} from '@tongban/contracts';
import type { ModuleDb, ModuleTrx } from '@tongban/kernel';
import * as store from '../store/sentinel.ts';
import { typed } from '../store/tables.ts';
import { responseState } from './sentinel.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

export function alertView(row: store.AlertRow): AlertView {
  return {
    id: row.id,
    ruleId: row.rule_id,
    rulesVersion: row.rules_version,
    severity: row.severity as AlertView['severity'],
    subject: { kind: row.subject_kind as AlertView['subject']['kind'], value: row.subject_value },
    title: row.title,
    status: row.status as AlertView['status'],
    assignee: row.assignee,
    resolution: row.resolution as AlertView['resolution'],
    raisedAt: iso(row.raised_at),
    updatedAt: iso(row.updated_at),
    evidenceCount: row.evidence.length,
  };
}

export function responseView(row: store.ResponseWithLift, now: Date): ResponseView {
  return {
    id: row.id,
    alertId: row.alert_id,
    action: row.action as ResponseView['action'],
    target: row.target,
    state: responseState(row, now),
    appliedAt: iso(row.applied_at),
    until: row.until ? iso(row.until) : null,
    by: { kind: row.by_kind, id: row.by_id },
    reason: row.reason,
    lifted: row.lift_at
      ? { at: iso(row.lift_at), by: { kind: row.lift_by_kind!, id: row.lift_by_id! }, reason: row.lift_reason! }
      : null,
    delivery: row.delivery_state
      ? {
          state: row.delivery_state as 'pending' | 'done' | 'failed',
          attempts: Number(row.delivery_attempts),
          lastError: row.delivery_error,
        }
      : null,
  };
}

export async function alertDetail(db: ModuleDb | ModuleTrx, row: store.AlertRow, now: Date): Promise<AlertDetailView> {
  const t = typed(db);
  const [signals, responses, history] = await Promise.all([
    store.signalsById(t, row.evidence),
    store.responsesOf(t, row.id),
    store.historyOf(t, row.id),
  ]);
  const byId = new Map(signals.map((s) => [s.event_id, s]));
  const evidence: EvidenceView[] = row.evidence.flatMap((id) => {
    const s = byId.get(id);
    if (!s) return [];
    const signal = s.signal as Record<string, unknown>;
    const str = (k: string) => (typeof signal[k] === 'string' ? (signal[k] as string) : null);
    return [
      {
        eventId: id,
        eventType: s.event_type,
        signal: s.type,
        at: iso(s.at),
        ip: str('ip'),
        accountId: str('accountId'),
        actorId: str('actorId'),
        sessionId: str('sessionId'),
        detail: str('detail'),
      },
    ];
  });
  return {
    alert: alertView(row),
    evidence,
    responses: responses.map((r) => responseView(r, now)),
    history: history.map((h): AlertHistoryEntry => ({
      seq: h.seq,
      action: h.action as AlertHistoryEntry['action'],
      status: h.status as AlertHistoryEntry['status'],
      by: { kind: h.by_kind, id: h.by_id },
      assignee: h.assignee,
      reason: h.reason,
      resolution: h.resolution as AlertHistoryEntry['resolution'],
      at: iso(h.at),
    })),
  };
}

/** One SIEM line: the alert, the signal ids it cites, the responses it set off. */
export async function exportLine(db: ModuleDb | ModuleTrx, row: store.AlertRow): Promise<AlertExportLine> {
  const responses = await store.responsesOf(typed(db), row.id);
  return {
    cursor: String(row.seq),
    alert: alertView(row),
    evidence: [...row.evidence],
    responses: responses.map((r) => ({ id: r.id, action: r.action as ResponseView['action'], target: r.target })),
  };
}
