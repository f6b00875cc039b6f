// 安全运营 — security operations (issue 14): every module's security events in, normalized into
// signals and correlated by the rules (src/domain) over windows kept in the database; findings
// become alerts and responses — the guard's (block, throttle, step-up: every process's risk board
// hears them) and identity's (lock, revoke: called after the commit) — reversible by a security
// operator; the alert queue, and the SIEM export (JSON lines, RFC 5424 syslog over TCP/TLS).
import { defineModule, type ConsumerTable, type EventHandler } from '@tongban/kernel';
import { sentinelRoutes } from './api/routes.ts';
import { SentinelErrors } from './errors.ts';
import { IdentityCalls } from './service/identity-calls.ts';
import { SIGNAL_EVENTS } from './service/normalize.ts';
import { configuredRules, Sentinel } from './service/sentinel.ts';
import { forwardAlerts } from './service/syslog.ts';

export interface SentinelInstance {
  readonly sentinel: Sentinel;
  readonly identityCalls: IdentityCalls;
}

export default defineModule<SentinelInstance>({
  name: 'sentinel',
  title: { zh: '安全运营', en: 'Security operations' },
  dependsOn: ['identity'],
  // It watches every module's security events: a split of the others on the in-process bus does not need it.
  observer: true,
  migrations: new URL('./store/migrations/', import.meta.url),
  errors: SentinelErrors,
  // Its own authority towards identity (lock, unlock, revoke: role identity.respond there).
  secrets: ['sentinel-service-key'],
  start(ctx) {
    // A bad rule file refuses to start, naming the field (RulesInvalid).
    const sentinel = new Sentinel(ctx, configuredRules(ctx.config.sentinel.rules));
    const identityCalls = new IdentityCalls(ctx);
    identityCalls.start();
    ctx.log.info({ rulesVersion: sentinel.rules.version }, 'sentinel rules loaded');
    return { sentinel, identityCalls };
  },
  stop: (i) => i.identityCalls.stop(),
  routes: (app, _ctx, i) => sentinelRoutes(app, i.sentinel),
  consumers: Object.fromEntries(
    SIGNAL_EVENTS.map((type) => [
      type,
      (event: Parameters<EventHandler>[0], c: Parameters<EventHandler>[1], i: SentinelInstance) =>
        i.sentinel.onEvent(event, c.trx),
    ]),
  ) as ConsumerTable<SentinelInstance>,
  jobs: [
    {
      name: 'syslog-forward',
      everyMs: 2000,
      run: async ({ trx, config }) => {
        if (!config.sentinel.syslogUrl) return;
        await forwardAlerts(trx, {
          url: config.sentinel.syslogUrl,
          ...(config.sentinel.syslogCa ? { ca: config.sentinel.syslogCa } : {}),
        });
      },
    },
  ],
});

export { configuredRules, Sentinel } from './service/sentinel.ts';
export { normalize, SIGNAL_EVENTS } from './service/normalize.ts';
export { frame, syslogMessage } from './service/syslog.ts';
