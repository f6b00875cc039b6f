import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per platform instance (tests run several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tongban_' });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'tongban_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    eventsPublished: new Counter({
      name: 'tongban_bus_events_published_total',
      help: 'Events relayed from outboxes to the bus',
      labelNames: ['type'],
      registers: [registry],
    }),
    eventsRefused: new Counter({
      name: 'tongban_bus_events_refused_total',
      help: "Events refused at the outbox: a type not in the contracts' catalog or a payload that does not match it",
      labelNames: ['module', 'type'],
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'tongban_bus_deliveries_total',
      help: 'Event deliveries by consumer and outcome (processed, duplicate, failed)',
      labelNames: ['consumer', 'outcome'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'tongban_bus_dead_letters_total',
      help: 'Events given up on after the last retry',
      labelNames: ['consumer'],
      registers: [registry],
    }),
    outboxLag: new Gauge({
      name: 'tongban_bus_outbox_unpublished',
      help: 'Events written but not yet relayed, by module',
      labelNames: ['module'],
      registers: [registry],
    }),
    denialsDropped: new Counter({
      name: 'tongban_guard_denial_events_dropped_total',
      help: 'Guard denials not made events (over the per-address or overall cap in a second); still logged at debug',
      labelNames: ['cap'],
      registers: [registry],
    }),
    denialEvents: new Counter({
      name: 'tongban_guard_denial_events_total',
      help: 'Guard denials made <module>.request.denied events, by module and code',
      labelNames: ['module', 'code'],
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: 'tongban_job_runs_total',
      help: 'Scheduled job runs by outcome',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
