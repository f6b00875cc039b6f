// Notifications: how fast events become messages. A backlog of `workflow.application.submitted`
// events is committed to the workflow's outbox at once (N applications of M people), then the
// clock runs from the relay's first read to the last message: the relay hands each event to
// notify's consumer (one notice and one message per channel, keyed by the event id), and the
// delivery worker renders every message, asks identity for the person's mobile, writes the inbox,
// the development SMS sink, and sends each e-mail over SMTP to a real local SMTP server
// (smtp-server, accepting everything; one pooled connection) — the figure is messages per second
// from the outbox to the inbox and the SMTP server, beside the same run's pgbench on PostgreSQL.
// The database is the embedded one unless TONGBAN_TEST_DATABASE_URL names a PostgreSQL server.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { databaseLabel } from '@tongban/kernel/testing';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { startNotify } from '../apps/server/test/notify/fixtures.ts';
import { pgbench } from './harness.ts';

const EVENTS = Number(process.env.BENCH_NOTIFY_EVENTS ?? 1000);
const PEOPLE = Number(process.env.BENCH_NOTIFY_PEOPLE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

async function smtpSink(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function run(events: number, people: number) {
  const smtp = await smtpSink();
  const h = await startNotify({
    env: {
      TONGBAN_NOTIFY_SMTP_URL: smtp.url,
      TONGBAN_NOTIFY_SMS_PER_HOUR: '1000000',
      TONGBAN_NOTIFY_EMAIL_PER_HOUR: '1000000',
      TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000',
    },
  });
  try {
    const who: string[] = [];
    for (let i = 0; i < people; i++) {
      const p = await h.person();
      const put = await h.call('PUT', '/api/notify/me/preferences', p.headers, {
        channels: { progress: ['sms', 'email'], payments: ['sms'], licences: ['sms'], security: ['sms'] },
        quietHours: null,
        language: 'zh-CN',
        email: `person${i}@example.cn`,
      });
      if (put.status !== 200) throw new Error(`preferences refused: ${JSON.stringify(put.body)}`);
      who.push(p.id);
    }
    const workflow = h.p.contexts.get('workflow')!;
    // The backlog, committed before the clock starts: 200 events a transaction, as a busy workflow would.
    for (let start = 0; start < events; start += 200) {
      const batch = Array.from({ length: Math.min(200, events - start) }, (_, j) => {
        const i = start + j;
        return {
          type: 'workflow.application.submitted' as const,
          data: {
            applicationId: randomUUID(),
            caseNumber: `330100-20261207-${String(100000 + i)}`,
            applicantId: who[i % people]!,
            channel: 'online',
            actor: { kind: 'citizen', id: who[i % people]! },
            subject: { kind: 'matter', code: '330100-WJW-001', version: 1 },
            tasks: [
              { taskId: randomUUID(), matterCode: '330100-WJW-001', departmentCode: '330100-WJW', state: 'submitted' },
            ],
          },
        };
      });
      await workflow.transaction((trx) => workflow.events.publishAll(trx, batch));
    }
    const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
      Number((await query.execute(h.p.database.db)).rows[0]!.n);
    const sent = () =>
      count(sql<{ n: number }>`select count(*)::int as n from notify.message where status in ('sent', 'delivered')`);
    const t0 = performance.now();
    const expected = events * 3; // the inbox notice, the SMS, the e-mail
    let done = 0;
    for (;;) {
      await h.p.bus.settled();
      await h.n.kick();
      const notices = await count(sql<{ n: number }>`select count(*)::int as n from notify.notice`);
      done = notices + (await sent());
      if (done >= expected && smtp.received() >= events) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const failed = await count(
      sql<{ n: number }>`select count(*)::int as n from notify.message where status = 'failed'`,
    );
    return { seconds, messages: done, perSecond: done / seconds, emails: smtp.received(), failed };
  } finally {
    await h.p.dispose();
    await smtp.close();
  }
}

export async function benchNotify(): Promise<void> {
  console.log(`\n## Notifications (${databaseLabel}; ${EVENTS} events for ${PEOPLE} people)\n`);
  const r = await run(EVENTS, PEOPLE);
  console.log(
    `From the workflow's outbox to the inbox, the SMS sink and a local SMTP server: ${r.messages} messages (${r.emails} e-mails received by SMTP, ${r.failed} failed) in ${r.seconds.toFixed(2)} s: **${r.perSecond.toFixed(0)} messages/s** (${(EVENTS / r.seconds).toFixed(0)} events/s)`,
  );
  if (process.env.TONGBAN_TEST_DATABASE_URL) {
    const tpcb = await pgbench(SECONDS);
    console.log(
      `beside pgbench TPC-B on the same server, same run: ${tpcb.tps.toFixed(0)} tps (${(r.perSecond / tpcb.tps).toFixed(3)} × pgbench)`,
    );
  } else console.log('(the embedded database: set TONGBAN_TEST_DATABASE_URL for the PostgreSQL figure beside pgbench)');
}
