// Sentinel's service: each signal through the rules in the delivery's transaction (window states
// in, changed states, alerts, responses and their events out — together), the alert queue's
// changes (each an event and an appended history entry), manual responses and lifts.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AlertEventVerb, ResponseAction, ResponseTarget } from '@tongban/contracts';
import type { EventEnvelope, ModuleContext, ModuleTrx, Principal } from '@tongban/kernel';
import { SentinelError } from '../errors.ts';
import * as store from '../store/sentinel.ts';
import { typed } from '../store/tables.ts';
import { DEFAULT_RULES, keysFor, loadRules, step, type Finding, type RuleSet } from './engine.ts';
import { normalize } from './normalize.ts';

/** Who sentinel's automatic responses are by. */
export const SENTINEL_ACTOR = { kind: 'service', id: 'sentinel' } as const;

/** What each action needs in its target. */
const NEEDS: Readonly<Record<ResponseAction, keyof ResponseTarget>> = {
  'block-address': 'ip',
  'throttle-address': 'ip',
  'step-up-session': 'sessionId',
  'revoke-sessions': 'accountId',
  'lock-account': 'accountId',
};
const ALERT_EVENTS = {
  assigned: 'sentinel.alert.assigned',
  closed: 'sentinel.alert.closed',
  reopened: 'sentinel.alert.reopened',
} as const satisfies Record<AlertEventVerb, `sentinel.alert.${AlertEventVerb}`>;
/** Identity carries these out (service/identity-calls.ts); the guard the others. */
export const IDENTITY_ACTIONS: ReadonlySet<ResponseAction> = new Set(['revoke-sessions', 'lock-account']);
/** A response without a duration (revoke-sessions is done at once) lasts this long on the board. */
const DEFAULT_SECONDS = 3600;

/** The rule set: TONGBAN_SENTINEL_RULES (a JSON file) or the shipped one; a bad file refuses to start. */
export function configuredRules(path: string | undefined): RuleSet {
  if (!path) return loadRules(DEFAULT_RULES);
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`TONGBAN_SENTINEL_RULES: cannot read ${path} as JSON: ${(error as Error).message}`);
  }
  try {
    return loadRules(input);
  } catch (error) {
    throw new Error(`TONGBAN_SENTINEL_RULES (${path}): ${(error as Error).message}`);
  }
}

type Actor = { readonly kind: string; readonly id: string };
const actorOf = (p: Principal): Actor => ({ kind: p.kind, id: p.id });

export class Sentinel {
  readonly ctx: ModuleContext;
  readonly rules: RuleSet;

  constructor(ctx: ModuleContext, rules: RuleSet) {
    this.ctx = ctx;
    this.rules = rules;
  }

  now(): Date {
    return this.ctx.clock.now();
  }

  /**
   * One event through the rules, in its delivery's transaction (with the inbox row: a redelivered
   * event is not stepped twice): the keys it touches are locked, loaded, stepped and written back,
   * and each finding becomes an alert with its responses.
   */
  async onEvent(event: EventEnvelope, mtrx: ModuleTrx): Promise<void> {
    const signal = normalize(event);
    if (!signal) return;
    const trx = typed(mtrx);
    await store.insertSignal(trx, event.type, signal);
    const keys = keysFor(signal, this.rules);
    if (keys.length === 0) return;
    await store.lockKeys(trx, keys);
    const states = await store.loadStates(trx, keys);
    const result = step(this.rules, signal, states);
    await store.saveStates(trx, result.states, this.now());
    for (const finding of result.findings) await this.raise(mtrx, finding);
  }

  async raise(mtrx: ModuleTrx, finding: Finding): Promise<string> {
    const trx = typed(mtrx);
    const id = randomUUID();
    const now = this.now();
    await store.insertAlert(trx, {
      id,
      rule_id: finding.ruleId,
      rules_version: this.rules.version,
      severity: finding.severity,
      subject_kind: finding.subject.kind,
      subject_value: finding.subject.value,
      title: finding.title,
      evidence: finding.evidence,
      raised_at: now,
      status: 'open',
      assignee: null,
      resolution: null,
      updated_at: now,
    });
    await store.appendHistory(trx, id, {
      action: 'raised',
      status: 'open',
      by: SENTINEL_ACTOR,
      assignee: null,
      reason: null,
      resolution: null,
      at: now,
    });
    await this.ctx.events.publish(mtrx, 'sentinel.alert.raised', {
      alertId: id,
      ruleId: finding.ruleId,
      rulesVersion: this.rules.version,
      severity: finding.severity,
      subject: finding.subject,
      title: finding.title,
      evidence: [...finding.evidence],
      at: now.toISOString(),
    });
    for (const plan of finding.responses) {
      if (plan.action === 'alert') continue;
      await this.applyResponse(mtrx, {
        alertId: id,
        action: plan.action,
        target: plan.target,
        durationSeconds: plan.durationSeconds ?? DEFAULT_SECONDS,
        by: SENTINEL_ACTOR,
        reason: null,
      });
    }
    return id;
  }

  async applyResponse(
    mtrx: ModuleTrx,
    r: {
      alertId: string | null;
      action: ResponseAction;
      target: ResponseTarget;
      durationSeconds: number;
      by: Actor;
      reason: string | null;
    },
  ): Promise<string> {
    const needs = NEEDS[r.action];
    if (!r.target[needs]) throw new SentinelError('SENTINEL_TARGET_INVALID', { action: r.action, needs });
    // Only what the action acts on: a lock names the account, not the address that tried it.
    const target = { [needs]: r.target[needs] } as ResponseTarget;
    const id = randomUUID();
    const now = this.now();
    const until = new Date(now.getTime() + r.durationSeconds * 1000);
    await store.insertResponse(typed(mtrx), {
      id,
      alert_id: r.alertId,
      action: r.action,
      target,
      applied_at: now,
      until,
      by_kind: r.by.kind,
      by_id: r.by.id,
      reason: r.reason,
      delivery_state: IDENTITY_ACTIONS.has(r.action) ? 'pending' : null,
      delivery_error: null,
    });
    if (IDENTITY_ACTIONS.has(r.action)) {
      const reason = r.reason ?? `sentinel alert ${r.alertId ?? id}`;
      await store.queueIdentityCall(typed(mtrx), {
        responseId: id,
        call: r.action === 'lock-account' ? 'lock' : 'revoke',
        body:
          r.action === 'lock-account'
            ? {
                accountId: target.accountId,
                until: until.toISOString(),
                reason,
                ...(r.alertId ? { alertId: r.alertId } : {}),
              }
            : { accountId: target.accountId, reason },
        at: now,
      });
    }
    await this.ctx.events.publish(mtrx, 'sentinel.response.applied', {
      responseId: id,
      alertId: r.alertId,
      action: r.action,
      target,
      until: until.toISOString(),
      by: { kind: r.by.kind, id: r.by.id },
      ...(r.reason ? { reason: r.reason } : {}),
      at: now.toISOString(),
    });
    return id;
  }

  manualResponse(
    principal: Principal,
    body: { action: ResponseAction; target: ResponseTarget; durationSeconds: number; reason: string },
  ): Promise<string> {
    return this.ctx.transaction((trx) =>
      this.applyResponse(trx, { ...body, alertId: null, by: actorOf(principal), reason: body.reason }),
    );
  }

  async lift(principal: Principal, responseId: string, reason: string): Promise<void> {
    await this.ctx.transaction(async (mtrx) => {
      const trx = typed(mtrx);
      const row = await store.findResponse(trx, responseId);
      if (!row) throw new SentinelError('SENTINEL_RESPONSE_NOT_FOUND', { id: responseId });
      const now = this.now();
      const state = responseState(row, now);
      if (state !== 'active') throw new SentinelError('SENTINEL_RESPONSE_NOT_ACTIVE', { state });
      if (!(await store.insertLift(trx, { responseId, at: now, by: actorOf(principal), reason })))
        throw new SentinelError('SENTINEL_RESPONSE_NOT_ACTIVE', { state: 'lifted' });
      // A lifted lock is unlocked at identity; revoked sessions stay ended (nothing to give back).
      if (row.action === 'lock-account')
        await store.queueIdentityCall(trx, {
          responseId,
          call: 'unlock',
          body: { accountId: row.target.accountId, reason },
          at: now,
        });
      await this.ctx.events.publish(mtrx, 'sentinel.response.lifted', {
        responseId,
        alertId: row.alert_id,
        action: row.action as ResponseAction,
        target: row.target,
        by: actorOf(principal),
        reason,
        at: now.toISOString(),
      });
    });
  }

  /** assign / close / reopen: checked against the current state, appended, published. */
  async changeAlert(
    principal: Principal,
    alertId: string,
    change:
      | { action: 'assigned'; assignee: string }
      | { action: 'closed'; reason: string; resolution: 'true-positive' | 'false-positive' | 'benign' }
      | { action: 'reopened'; reason: string },
  ): Promise<void> {
    await this.ctx.transaction(async (mtrx) => {
      const trx = typed(mtrx);
      const alert = await store.findAlert(trx, alertId, true);
      if (!alert) throw new SentinelError('SENTINEL_ALERT_NOT_FOUND', { id: alertId });
      const allowed = change.action === 'reopened' ? alert.status === 'closed' : alert.status !== 'closed';
      if (!allowed) throw new SentinelError('SENTINEL_ALERT_STATE', { status: alert.status, action: change.action });
      const now = this.now();
      const status =
        change.action === 'assigned'
          ? 'assigned'
          : change.action === 'closed'
            ? 'closed'
            : alert.assignee
              ? 'assigned'
              : 'open';
      const assignee = change.action === 'assigned' ? change.assignee : alert.assignee;
      const resolution = change.action === 'closed' ? change.resolution : null;
      const reason = change.action === 'assigned' ? null : change.reason;
      await store.appendHistory(trx, alertId, {
        action: change.action,
        status,
        by: actorOf(principal),
        assignee,
        reason,
        resolution,
        at: now,
      });
      await this.ctx.events.publish(mtrx, ALERT_EVENTS[change.action], {
        alertId,
        action: change.action,
        status,
        by: actorOf(principal),
        ...(assignee ? { assignee } : {}),
        ...(reason ? { reason } : {}),
        ...(resolution ? { resolution } : {}),
        at: now.toISOString(),
      });
    });
  }
}

export function responseState(
  row: { lift_at: Date | null; until: Date | string | null },
  now: Date,
): 'active' | 'lifted' | 'expired' {
  if (row.lift_at) return 'lifted';
  if (row.until && new Date(row.until).getTime() <= now.getTime()) return 'expired';
  return 'active';
}
