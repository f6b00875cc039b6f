import type { Logger } from 'pino';
import type { AnyKysely } from '../db/database.ts';
import type { Metrics } from '../metrics.ts';
import type { AnyTransaction, EventEnvelope, Subscription } from './events.ts';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

export interface DriverContext {
  readonly db: AnyKysely;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly retry: RetryPolicy;
  readonly pollIntervalMs: number;
}

/**
 * How events leave a process and reach consumers. `publish` is called by the relay inside the
 * transaction that marks the outbox rows sent; when it returns, the events must be durable.
 */
export interface BusDriver {
  readonly name: 'memory' | 'nats';
  publish(trx: AnyTransaction, events: readonly EventEnvelope[]): Promise<void>;
  subscribe(subscription: Subscription): Promise<void>;
  /** Resolves when every delivery that is due now has been attempted (tests and shutdown). */
  drain(): Promise<void>;
  /** True when nothing is waiting for this process's consumers, due or backing off. */
  idle(): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
