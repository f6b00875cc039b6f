// The NATS JetStream driver, for the cluster shape: events cross processes through one stream.
// Publishing waits for JetStream's acknowledgement and sets the message id to the event id, so a
// relay that republishes after a crash is deduplicated by the stream; consumers are durable,
// acknowledge only after the inbox transaction commits, and are redelivered with backoff.
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type Consumer,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { BusDriver, DriverContext } from './driver.ts';
import {
  backoffMs,
  describeError,
  processOnce,
  recordDeadLetter,
  type EventEnvelope,
  type Subscription,
} from './events.ts';

export interface NatsOptions {
  readonly url: string;
  /** Stream name and subject prefix; tests use their own to stay apart. */
  readonly stream?: string;
  readonly subjectPrefix?: string;
}

export class NatsDriver implements BusDriver {
  readonly name = 'nats' as const;
  readonly #ctx: DriverContext;
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #stream: string;
  readonly #prefix: string;
  readonly #consumers: { durable: string; messages: ConsumerMessages; loop: Promise<void> }[] = [];
  /** Broadcast subscriptions: an ordered (ephemeral) consumer per process, and how many it has handled. */
  readonly #broadcasts: { consumer: Consumer; messages: ConsumerMessages; loop: Promise<void>; handled(): number }[] =
    [];

  private constructor(ctx: DriverContext, nc: NatsConnection, jsm: JetStreamManager, stream: string, prefix: string) {
    this.#ctx = ctx;
    this.#nc = nc;
    this.#jsm = jsm;
    this.#js = jetstream(nc);
    this.#stream = stream;
    this.#prefix = prefix;
  }

  static async connect(ctx: DriverContext, options: NatsOptions): Promise<NatsDriver> {
    const nc = await connect({ servers: options.url, name: 'tongban', maxReconnectAttempts: -1 });
    const jsm = await jetstreamManager(nc);
    const stream = options.stream ?? 'TONGBAN';
    const prefix = options.subjectPrefix ?? 'tongban';
    const config = {
      subjects: [`${prefix}.>`],
      duplicate_window: nanos(10 * 60_000),
      max_age: nanos(14 * 24 * 3_600_000),
    };
    try {
      await jsm.streams.info(stream);
      await jsm.streams.update(stream, config);
    } catch {
      await jsm.streams.add({ name: stream, ...config });
    }
    return new NatsDriver(ctx, nc, jsm, stream, prefix);
  }

  async publish(_trx: unknown, events: readonly EventEnvelope[]): Promise<void> {
    await Promise.all(
      events.map((event) =>
        this.#js.publish(`${this.#prefix}.${event.type}`, JSON.stringify(event), { msgID: event.id }),
      ),
    );
  }

  async subscribe(sub: Subscription): Promise<void> {
    if (sub.broadcast) return this.#subscribeEveryProcess(sub);
    const durable = sub.consumer.replace(/[^A-Za-z0-9_-]/g, '_');
    await this.#jsm.consumers.add(this.#stream, {
      durable_name: durable,
      filter_subject: `${this.#prefix}.${sub.type}`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(30_000),
    });
    const consumer = await this.#js.consumers.get(this.#stream, durable);
    const messages = await consumer.consume({ max_messages: 64 });
    const loop = (async () => {
      for await (const msg of messages) {
        let event: EventEnvelope;
        try {
          event = msg.json<EventEnvelope>();
        } catch (error) {
          // Not one of ours (no JSON): redelivering it cannot help.
          this.#ctx.log.error(
            { consumer: sub.consumer, error: describeError(error) },
            'a message that is not an event; dropped',
          );
          msg.term();
          continue;
        }
        // #handle catches the handler's and the database's errors (a lost connection is
        // retried by redelivery); this guard keeps anything else from ending the loop.
        await this.#handle(sub, event, msg.info.deliveryCount, {
          ack: () => msg.ack(),
          retry: (ms) => msg.nak(ms),
          giveUp: () => msg.term(),
        }).catch((error: unknown) => {
          this.#ctx.log.error(
            { consumer: sub.consumer, eventId: event.id, error: describeError(error) },
            'event delivery failed; it will be redelivered',
          );
        });
      }
    })().catch((error: unknown) => {
      // An unhandled rejection here would end the process; the consumer stops, /readyz's bus ping tells.
      this.#ctx.log.error({ consumer: sub.consumer, error: describeError(error) }, 'the NATS consumer loop ended');
    });
    this.#consumers.push({ durable, messages, loop });
  }

  /**
   * An ordered consumer of this process's own (ephemeral: the server removes it once the process
   * is gone), from new messages on: every replica hears each event. The handler runs in a
   * transaction of the module's for its ConsumerContext, but nothing records the delivery.
   */
  async #subscribeEveryProcess(sub: Subscription): Promise<void> {
    const consumer = await this.#js.consumers.get(this.#stream, {
      filter_subjects: `${this.#prefix}.${sub.type}`,
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await consumer.consume({ max_messages: 64 });
    const db = sub.db ?? this.#ctx.db;
    let handled = 0;
    const loop = (async () => {
      for await (const msg of messages) {
        try {
          const event = msg.json<EventEnvelope>();
          const log = this.#ctx.log.child({ consumer: sub.consumer, eventId: event.id });
          await db.transaction().execute((trx) => sub.handler(event, { trx, log, attempt: 1 }));
          this.#ctx.metrics.deliveries.inc({ consumer: sub.consumer, outcome: 'processed' });
        } catch (error) {
          // Not redelivered: a broadcast is a hint, and what it refreshes expires by itself.
          this.#ctx.metrics.deliveries.inc({ consumer: sub.consumer, outcome: 'failed' });
          this.#ctx.log.error({ consumer: sub.consumer, error: describeError(error) }, 'a broadcast event failed');
        } finally {
          handled++;
        }
      }
    })().catch((error: unknown) => {
      this.#ctx.log.error({ consumer: sub.consumer, error: describeError(error) }, 'the NATS consumer loop ended');
    });
    this.#broadcasts.push({ consumer, messages, loop, handled: () => handled });
  }

  async #handle(
    sub: Subscription,
    event: EventEnvelope,
    attempt: number,
    msg: { ack(): void; retry(ms: number): void; giveUp(): void },
  ) {
    const { log, metrics, retry } = this.#ctx;
    const db = sub.db ?? this.#ctx.db;
    try {
      const { result } = await processOnce(
        db,
        sub,
        event,
        log.child({ consumer: sub.consumer, eventId: event.id }),
        attempt,
      );
      metrics.deliveries.inc({ consumer: sub.consumer, outcome: result });
      msg.ack();
    } catch (error) {
      metrics.deliveries.inc({ consumer: sub.consumer, outcome: 'failed' });
      const reason = describeError(error);
      if (attempt >= retry.maxAttempts) {
        try {
          await recordDeadLetter(db, sub, event, reason, attempt);
          metrics.deadLetters.inc({ consumer: sub.consumer });
          log.error(
            { consumer: sub.consumer, eventId: event.id, type: event.type, attempts: attempt, error: reason },
            'event dead-lettered after the last retry',
          );
          msg.giveUp();
        } catch (deadLetterError) {
          log.error(
            { error: describeError(deadLetterError) },
            'could not record a dead letter; leaving the event for redelivery',
          );
          msg.retry(retry.backoffMaxMs);
        }
        return;
      }
      const delay = backoffMs(attempt, retry.backoffBaseMs, retry.backoffMaxMs);
      log.warn(
        { consumer: sub.consumer, eventId: event.id, attempts: attempt, retryInMs: delay, error: reason },
        'event handler failed; will retry',
      );
      msg.retry(delay);
    }
  }

  /** True when every consumer of this process has nothing waiting and nothing unacknowledged. */
  async idle(): Promise<boolean> {
    for (const { durable } of this.#consumers) {
      const info = await this.#jsm.consumers.info(this.#stream, durable);
      if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
    }
    for (const b of this.#broadcasts) {
      // Received by this process but not yet handled, or still on the server.
      if (b.messages.getReceived() > b.handled()) return false;
      if ((await b.consumer.info(true)).num_pending > 0) return false;
    }
    return true;
  }

  async drain(): Promise<void> {}

  async ping(): Promise<void> {
    await this.#nc.flush();
  }

  async close(): Promise<void> {
    for (const c of [...this.#consumers, ...this.#broadcasts]) c.messages.stop();
    await Promise.allSettled([...this.#consumers, ...this.#broadcasts].map((c) => c.loop));
    await this.#nc.drain();
  }

  /** Removes this driver's stream: for tests that made their own. */
  async deleteStream(): Promise<void> {
    await this.#jsm.streams.delete(this.#stream);
  }
}
