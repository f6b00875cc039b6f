import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { AnyKysely } from '../db/database.ts';
import type { Metrics } from '../metrics.ts';
import type { BusDriver, DriverContext } from './driver.ts';
import type { EventHandler } from './events.ts';
import { MemoryDriver } from './memory.ts';
import { NatsDriver, type NatsOptions } from './nats.ts';
import { Relay } from './relay.ts';

export interface Bus {
  readonly driver: BusDriver;
  readonly relay: Relay;
  /**
   * `db`: the consuming module's own handle, for its deliveries (see Subscription); `broadcast`:
   * every process hears it (a hint that refreshes what each process keeps).
   */
  subscribe(
    module: string,
    type: string,
    handler: EventHandler,
    db?: AnyKysely,
    options?: { readonly broadcast?: boolean },
  ): Promise<void>;
  /** Resolves once every committed event has been relayed and every delivery has finished. */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface BusOptions {
  readonly db: AnyKysely;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly config: Pick<Config, 'natsUrl' | 'natsStream' | 'natsSubjectPrefix' | 'bus'>;
  /** Modules whose outboxes this process relays. */
  readonly modules: readonly string[];
  readonly nats?: Omit<NatsOptions, 'url'>;
}

export async function createBus(options: BusOptions): Promise<Bus> {
  const { db, log, metrics, config } = options;
  const ctx: DriverContext = {
    db,
    log: log.child({ part: 'bus' }),
    metrics,
    retry: config.bus,
    pollIntervalMs: config.bus.pollIntervalMs,
  };
  const driver: BusDriver = config.natsUrl
    ? await NatsDriver.connect(ctx, {
        url: config.natsUrl,
        ...(config.natsStream ? { stream: config.natsStream } : {}),
        ...(config.natsSubjectPrefix ? { subjectPrefix: config.natsSubjectPrefix } : {}),
        ...options.nats,
      })
    : new MemoryDriver(ctx);
  const relay = new Relay({
    db,
    modules: options.modules,
    driver,
    log: ctx.log,
    metrics,
    pollIntervalMs: config.bus.pollIntervalMs,
  });

  const unpublished = async () => {
    for (const m of options.modules) {
      const row = await db
        .selectFrom(`${m}.outbox`)
        .select('seq')
        .where('published_at', 'is', null)
        .limit(1)
        .executeTakeFirst();
      if (row) return true;
    }
    return false;
  };

  return {
    driver,
    relay,
    async subscribe(module, type, handler, moduleDb, options) {
      await driver.subscribe({
        consumer: `${module}:${type}`,
        module,
        type,
        handler,
        ...(moduleDb ? { db: moduleDb } : {}),
        ...(options?.broadcast ? { broadcast: true } : {}),
      });
    },
    async settled(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await relay.runOnce();
        await driver.drain();
        if (!(await unpublished()) && (await driver.idle())) return;
        if (Date.now() > deadline) throw new Error('bus did not settle in time');
        await new Promise((resolve) => setTimeout(resolve, Math.min(50, config.bus.pollIntervalMs)));
      }
    },
    async close() {
      await relay.stop();
      await driver.close();
    },
  };
}
