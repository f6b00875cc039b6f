// The notify module's work. Consumers (index.ts) write, in the delivery's transaction, the
// notice (the inbox), one queued message per channel the person chose and one webhook delivery
// per subscription — each keyed by the event id, so a redelivered event adds nothing. The
// delivery worker takes due messages outside any transaction (the embedded database has one
// connection: identity and the catalog are asked between transactions), renders, sends through
// the channel adapters and records the result.
import { randomUUID } from 'node:crypto';
import {
  CatalogApi,
  IdentityContactApi,
  type DeliveryStatus,
  type MessageView,
  type NoticeKind,
  type NoticeView,
} from '@tongban/contracts';
import { maskMobile, uuidv7, type Lang, type ModuleContext, type ModuleTrx } from '@tongban/kernel';
import { fromSubmitted, webhookPayload, type NoticeDraft } from '../domain/notices.ts';
import {
  channelsFor,
  defaultPreferences,
  messageRetryDelayMs,
  rateLimitedUntil,
  releaseAt,
  type Preferences,
} from '../domain/preferences.ts';
import {
  allDefaults,
  PLACEHOLDERS,
  renderMessage,
  type TemplateChannel,
  type TemplateText,
} from '../domain/templates.ts';
import { nextAttemptDelayMs } from '../domain/webhook-schedule.ts';
import { createFailoverSms } from './channels/failover.ts';
import { createHttpSmsGateway } from './channels/sms-http.ts';
import { createSmtpMailer } from './channels/smtp.ts';
import { ChannelError, type Mailer, type OutboundPolicy, type SmsProvider, type WebhookKey } from './channels/types.ts';
import { sendWebhook } from './channels/webhook.ts';
import { dueMessages, insertDevSms, leaseMessage, queueMessages, sentSince, updateMessage } from '../store/messages.ts';
import { findNotice, insertNotice, knownApplication, rememberApplication } from '../store/notices.ts';
import { findPreference } from '../store/preferences.ts';
import { allTemplates, seedTemplate } from '../store/templates.ts';
import {
  dueDeliveries,
  findSubscription,
  leaseDelivery,
  queueDeliveries,
  subscribersOf,
  updateDelivery,
} from '../store/webhooks.ts';
import { typed, type MessageRow, type NoticeRow, type NotifyDb, type PreferenceRow } from '../store/tables.ts';

export const emailAad = (accountId: string) => `notify.preference.email:${accountId}`;
export const webhookKeyAad = (id: string) => `notify.webhook_subscription.key:${id}`;

/** Messages sent at once by one worker. */
const SEND_CONCURRENCY = 4;
const LEASE_MS = 120_000;
const NAME_TTL_MS = 10 * 60_000;

export interface NotifyOptions {
  /** The SMS provider; unset: from config (the development sink, or the gateway pair). */
  readonly sms?: SmsProvider;
  readonly mailer?: Mailer;
  /** Jitter for the webhook schedule (tests pin it). */
  readonly random?: () => number;
}

export class Notify {
  readonly ctx: ModuleContext;
  readonly sms: SmsProvider;
  readonly mailer: Mailer | undefined;
  readonly policy: OutboundPolicy;
  readonly smsMode: 'dev' | 'gateway';
  random: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #templates = new Map<string, { version: number; text: TemplateText }>();
  #names = new Map<string, { zh: string; en: string; at: number }>();

  constructor(ctx: ModuleContext, options: NotifyOptions = {}) {
    this.ctx = ctx;
    const c = ctx.config.notify;
    const production = ctx.config.env === 'production';
    if (production && c.webhooksAllowPrivate)
      throw new Error('TONGBAN_NOTIFY_WEBHOOKS_ALLOW_PRIVATE=true is refused in production');
    this.smsMode = c.sms ?? (production ? 'gateway' : 'dev');
    if (production && this.smsMode === 'dev') throw new Error('TONGBAN_NOTIFY_SMS=dev is refused in production');
    this.policy = {
      allowPrivate: c.webhooksAllowPrivate,
      httpsOnly: production || !c.webhooksAllowPrivate,
      timeoutMs: 10_000,
      maxResponseBytes: 64 * 1024,
    };
    this.random = options.random ?? Math.random;
    this.sms = options.sms ?? this.#smsFromConfig();
    // One pooled connection set, not a connection per message (nodemailer's default).
    this.mailer =
      options.mailer ?? (c.smtpUrl ? createSmtpMailer({ url: c.smtpUrl, from: c.smtpFrom, pool: true }) : undefined);
  }

  #smsFromConfig(): SmsProvider {
    if (this.smsMode === 'dev') return devSink(this);
    const c = this.ctx.config.notify;
    if (!c.smsGatewayUrl) throw new Error('TONGBAN_NOTIFY_SMS=gateway needs TONGBAN_NOTIFY_SMS_GATEWAY_URL');
    // The gateways are the operator's configuration, not a caller's: they may sit on a private
    // network (no address check), but go over https in production.
    const policy: OutboundPolicy = {
      allowPrivate: true,
      httpsOnly: this.ctx.config.env === 'production',
      timeoutMs: 5_000,
      maxResponseBytes: 64 * 1024,
    };
    const gateways = [
      createHttpSmsGateway({
        name: 'primary',
        url: c.smsGatewayUrl,
        apiKey: this.ctx.secret('notify-sms-gateway-key'),
        policy,
      }),
    ];
    if (c.smsFallbackUrl)
      gateways.push(
        createHttpSmsGateway({
          name: 'fallback',
          url: c.smsFallbackUrl,
          apiKey: this.ctx.secret('notify-sms-fallback-key'),
          policy,
        }),
      );
    return createFailoverSms(gateways, { now: () => Date.now() });
  }

  /** The key a provider's delivery receipts are signed with, by provider name. */
  receiptKey(provider: string): string | undefined {
    if (this.smsMode !== 'gateway') return undefined;
    if (provider === 'primary') return this.ctx.secret('notify-sms-gateway-key');
    if (provider === 'fallback' && this.ctx.config.notify.smsFallbackUrl)
      return this.ctx.secret('notify-sms-fallback-key');
    return undefined;
  }

  get db(): NotifyDb {
    return typed(this.ctx.db);
  }

  get emailOn(): boolean {
    return this.mailer !== undefined;
  }

  now(): Date {
    return this.ctx.clock.now();
  }

  // ——— life ———

  /** Version 1 of every template (the defaults), once; then the published ones into memory. */
  async seedTemplates(): Promise<void> {
    const at = this.now();
    for (const d of allDefaults())
      await seedTemplate(this.db, {
        kind: d.kind,
        channel: d.channel,
        version: 1,
        subject: d.text.subject,
        body: d.text.body,
        placeholders: [...PLACEHOLDERS[d.kind]],
        created_at: at,
        created_by: 'system',
        published_at: at,
        published_by: 'system',
      });
    await this.reloadTemplates();
  }

  async reloadTemplates(): Promise<void> {
    const latest = new Map<string, { version: number; text: TemplateText }>();
    for (const t of await allTemplates(this.db)) {
      if (!t.published_at) continue;
      const key = `${t.kind}:${t.channel}`;
      const seen = latest.get(key);
      if (!seen || seen.version < t.version)
        latest.set(key, { version: t.version, text: { subject: t.subject, body: t.body } });
    }
    this.#templates = latest;
  }

  template(kind: NoticeKind, channel: TemplateChannel): TemplateText {
    const t = this.#templates.get(`${kind}:${channel}`);
    if (t) return t.text;
    const d = allDefaults().find((x) => x.kind === kind && x.channel === channel)!;
    return d.text;
  }

  start(): void {
    const every = this.ctx.config.notify.workerIntervalMs;
    this.#timer = setInterval(
      () => void this.kick().catch((e) => this.ctx.log.error({ err: e }, 'notify worker failed')),
      every,
    );
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
    await this.mailer?.close();
  }

  /** Sends what is due now: messages, then webhooks; one run at a time per process (leases cover replicas). */
  kick(): Promise<void> {
    this.#running ??= (async () => {
      await this.deliverMessages();
      await this.deliverWebhooks();
    })().finally(() => (this.#running = undefined));
    return this.#running;
  }

  // ——— consuming ———

  /** The submitted application's projection (case number, applicant, departments), then its notice. */
  async onSubmitted(trx: ModuleTrx, eventId: string, data: Parameters<typeof fromSubmitted>[0]): Promise<void> {
    await rememberApplication(typed(trx), {
      applicationId: data.applicationId,
      caseNumber: data.caseNumber,
      applicantId: data.applicantId,
      departments: [...new Set(data.tasks.map((t) => t.departmentCode))],
      matterCodes: data.tasks.map((t) => t.matterCode),
    });
    await this.queue(trx, eventId, fromSubmitted(data));
  }

  known(trx: ModuleTrx, applicationId: string | null) {
    return knownApplication(typed(trx), applicationId);
  }

  /**
   * One event's notice: the inbox row, the messages of the channels the person chose, the
   * webhook deliveries — once. A redelivery finds the notice and writes nothing more.
   */
  async queue(trx: ModuleTrx, eventId: string, draft: NoticeDraft | undefined): Promise<void> {
    if (!draft) return;
    const db = typed(trx);
    const now = this.now();
    const noticeId = uuidv7();
    const fresh = await insertNotice(db, {
      id: noticeId,
      event_id: eventId,
      recipient_id: draft.recipientId,
      kind: draft.kind,
      application_id: draft.applicationId,
      task_id: draft.taskId,
      params: { ...draft.params },
      created_at: now,
    });
    if (!fresh) return;
    const prefs = preferencesOf(await findPreference(db, draft.recipientId));
    const notBefore = releaseAt(now, prefs.quietHours, draft.kind);
    await queueMessages(
      db,
      channelsFor(prefs, draft.kind, this.emailOn).map((channel) => ({
        id: uuidv7(),
        notice_id: noticeId,
        event_id: eventId,
        channel,
        recipient_id: draft.recipientId,
        kind: draft.kind,
        application_id: draft.applicationId,
        status: 'queued' as const,
        last_error: null,
        not_before: notBefore.getTime() > now.getTime() ? notBefore : null,
        lease_until: null,
        provider: null,
        provider_message_id: null,
        lang: prefs.language,
        created_at: now,
        sent_at: null,
        delivered_at: null,
        failed_at: null,
      })),
    );
    const subscribers = await subscribersOf(db, draft.kind, draft.departments);
    await queueDeliveries(
      db,
      subscribers.map((s) => ({
        id: uuidv7(),
        event_id: eventId,
        subscription_id: s.id,
        kind: draft.kind,
        body: JSON.stringify(webhookPayload(eventId, draft, s.department_code, now)),
        status: 'pending' as const,
        next_attempt_at: now,
        lease_until: null,
        last_error: null,
        created_at: now,
        first_attempt_at: null,
        last_attempt_at: null,
        delivered_at: null,
        dead_at: null,
        replayed_at: null,
      })),
    );
  }

  // ——— rendering ———

  /** A matter's names from the catalog, cached for ten minutes; the code itself when the catalog cannot say. */
  async matterNames(code: string | undefined): Promise<{ zh: string; en: string }> {
    if (!code) return { zh: '', en: '' };
    const cached = this.#names.get(code);
    if (cached && Date.now() - cached.at < NAME_TTL_MS) return cached;
    try {
      if (!this.ctx.modules.locate('catalog')) return { zh: code, en: code };
      const m = await this.ctx.modules.call(CatalogApi.latestMatter, [code]);
      const names = { zh: m.name.zh, en: m.name.en, at: Date.now() };
      this.#names.set(code, names);
      return names;
    } catch (error) {
      this.ctx.log.warn({ err: error, code }, 'matter name not found: the code is shown');
      return { zh: code, en: code };
    }
  }

  async valuesOf(params: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    const names = await this.matterNames(params.matterCode);
    return { ...params, matterZh: names.zh, matterEn: names.en };
  }

  /** The inbox as its reader sees it, in their language. */
  async noticeViews(rows: readonly NoticeRow[], lang: Lang): Promise<NoticeView[]> {
    const language = lang === 'en' ? 'en' : 'zh-CN';
    const out: NoticeView[] = [];
    for (const n of rows) {
      const values = await this.valuesOf(n.params);
      out.push({
        id: n.id,
        kind: n.kind,
        applicationId: n.application_id ?? '',
        taskId: n.task_id,
        text: renderMessage(n.kind, 'inbox', this.template(n.kind, 'inbox'), values, language).text,
        createdAt: n.created_at.toISOString(),
        read: n.read_at !== null,
      });
    }
    return out;
  }

  // ——— delivering ———

  async contact(accountId: string): Promise<{ mobile: string | null }> {
    if (!this.ctx.modules.locate('identity')) return { mobile: null };
    try {
      return await this.ctx.modules.call(IdentityContactApi.contact, [accountId], { auth: 'service' });
    } catch (error) {
      if ((error as { problem?: { status?: number } }).problem?.status === 404) return { mobile: null };
      throw error;
    }
  }

  async deliverMessages(): Promise<void> {
    for (;;) {
      const now = this.now();
      const due = await dueMessages(this.db, now, 20);
      if (due.length === 0) return;
      let progressed = false;
      // A few recipients at once: each send waits mostly on a provider, identity or SMTP, not on us.
      // One recipient's messages on one channel go in turn, so the rate limit counts what was sent
      // before. Each is leased first, so no two workers (or replicas) send the same message.
      const one = async (m: MessageRow) => {
        if (!(await leaseMessage(this.db, m, now, new Date(now.getTime() + LEASE_MS)))) return;
        progressed = true;
        await this.deliverOne(m).catch(async (error) => {
          this.ctx.log.error({ err: error, messageId: m.id }, 'message not delivered; retried');
          await this.#retryOrFail(m, 'internal_error', true);
        });
      };
      const lanes = new Map<string, MessageRow[]>();
      for (const m of due) {
        const key = `${m.recipient_id}\u0000${m.channel}`;
        lanes.set(key, [...(lanes.get(key) ?? []), m]);
      }
      const queue = [...lanes.values()];
      const lane = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) for (const m of next) await one(m);
      };
      await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, lane));
      if (!progressed) return;
    }
  }

  private async deliverOne(m: MessageRow): Promise<void> {
    const now = this.now();
    const perHour = m.channel === 'sms' ? this.ctx.config.notify.smsPerHour : this.ctx.config.notify.emailPerHour;
    const held = rateLimitedUntil(
      await sentSince(this.db, m.recipient_id, m.channel, new Date(now.getTime() - 3600_000)),
      perHour,
      now,
      m.kind,
    );
    if (held) {
      await updateMessage(this.db, m.id, { not_before: held, lease_until: null, last_error: 'rate_limited' });
      return;
    }
    const notice = await findNotice(this.db, m.notice_id);
    if (!notice) throw new Error(`message ${m.id} has no notice`);
    const values = await this.valuesOf(notice.params);
    const rendered = renderMessage(m.kind, m.channel, this.template(m.kind, m.channel), values, m.lang);
    let to: string | null;
    let masked: string;
    if (m.channel === 'sms') {
      to = (await this.contact(m.recipient_id)).mobile;
      masked = to ? maskMobile(to) : '';
    } else {
      const pref = await findPreference(this.db, m.recipient_id);
      to = pref?.email ? await this.ctx.fields.open(pref.email, emailAad(m.recipient_id)) : null;
      masked = to ? maskEmail(to) : '';
    }
    if (!to) {
      await updateMessage(this.db, m.id, {
        status: 'failed',
        failed_at: now,
        last_error: 'no_address',
        lease_until: null,
        text: rendered.text,
      });
      return;
    }
    await updateMessage(this.db, m.id, { to_masked: masked, text: rendered.text, attempts: m.attempts + 1 });
    try {
      let provider: string;
      let providerMessageId: string;
      if (m.channel === 'sms') {
        ({ provider, providerMessageId } = await this.sms.send({ to, text: rendered.text, messageId: m.id }));
      } else {
        if (!this.mailer) throw new ChannelError('email_off', false);
        provider = 'smtp';
        ({ providerMessageId } = await this.mailer.send({
          to,
          subject: rendered.subject ?? '',
          text: rendered.text,
          messageId: m.id,
          lang: m.lang,
        }));
      }
      const at = this.now();
      // The development sink and SMTP's 250 are as far as we can know: delivered (the sink) or sent.
      const status: DeliveryStatus = provider === 'dev' ? 'delivered' : 'sent';
      await updateMessage(this.db, m.id, {
        status,
        sent_at: at,
        ...(status === 'delivered' ? { delivered_at: at } : {}),
        provider,
        provider_message_id: providerMessageId,
        last_error: null,
        lease_until: null,
        not_before: null,
      });
    } catch (error) {
      const code = error instanceof ChannelError ? error.code : 'internal_error';
      const retryable = error instanceof ChannelError ? error.retryable : true;
      this.ctx.log.warn({ messageId: m.id, code, retryable }, 'message not sent');
      await this.#retryOrFail({ ...m, attempts: m.attempts + 1 }, code, retryable);
    }
  }

  async #retryOrFail(m: MessageRow, code: string, retryable: boolean): Promise<void> {
    const now = this.now();
    const delay = retryable ? messageRetryDelayMs(m.attempts) : null;
    if (delay === null)
      await updateMessage(this.db, m.id, { status: 'failed', failed_at: now, last_error: code, lease_until: null });
    else
      await updateMessage(this.db, m.id, {
        not_before: new Date(now.getTime() + delay),
        last_error: code,
        lease_until: null,
      });
  }

  async deliverWebhooks(): Promise<void> {
    for (;;) {
      const now = this.now();
      const due = await dueDeliveries(this.db, now, 20);
      if (due.length === 0) return;
      let progressed = false;
      for (const d of due) {
        if (!(await leaseDelivery(this.db, d, now, new Date(now.getTime() + LEASE_MS)))) continue;
        progressed = true;
        const sub = await findSubscription(this.db, d.subscription_id);
        const attempts = d.attempts + 1;
        const first = d.first_attempt_at ?? now;
        if (!sub || !sub.active) {
          await updateDelivery(this.db, d.id, {
            status: 'dead',
            attempts,
            last_error: 'subscription_removed',
            dead_at: now,
            first_attempt_at: first,
            last_attempt_at: now,
            lease_until: null,
          });
          continue;
        }
        const key: WebhookKey =
          sub.signing === 'hmac-sha256'
            ? {
                kind: 'hmac-sha256',
                secret: Buffer.from(await this.ctx.fields.open(sub.key_sealed, webhookKeyAad(sub.id)), 'base64'),
              }
            : { kind: 'ed25519', privateKeyPem: await this.ctx.fields.open(sub.key_sealed, webhookKeyAad(sub.id)) };
        try {
          await sendWebhook(
            // Signed at the wall clock: the receiver checks its replay window against its own.
            { url: sub.url, id: d.id, timestamp: Math.floor(Date.now() / 1000), body: d.body, key },
            this.policy,
          );
          await updateDelivery(this.db, d.id, {
            status: 'delivered',
            attempts,
            delivered_at: this.now(),
            first_attempt_at: first,
            last_attempt_at: now,
            last_error: null,
            lease_until: null,
          });
        } catch (error) {
          const code = error instanceof ChannelError ? error.code : 'internal_error';
          const retryable = error instanceof ChannelError ? error.retryable : true;
          const delay = retryable ? nextAttemptDelayMs(attempts, this.random) : null;
          await updateDelivery(this.db, d.id, {
            attempts,
            last_error: code,
            first_attempt_at: first,
            last_attempt_at: now,
            lease_until: null,
            ...(delay === null
              ? { status: 'dead' as const, dead_at: now }
              : { next_attempt_at: new Date(now.getTime() + delay) }),
          });
        }
      }
      if (!progressed) return;
    }
  }
}

/** The development sink: the SMS is written to notify.dev_sms, which the demo shows (GET /dev/sms). */
function devSink(n: Notify): SmsProvider {
  return {
    name: 'dev',
    async send(m) {
      await insertDevSms(n.db, { id: m.messageId, to_number: maskMobile(m.to), text: m.text, at: n.now() });
      return { provider: 'dev', providerMessageId: m.messageId };
    },
  };
}

export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

export function preferencesOf(row: PreferenceRow | undefined): Preferences {
  if (!row) return defaultPreferences();
  const d = defaultPreferences(row.language);
  return {
    channels: { ...d.channels, ...row.channels },
    quietHours: row.quiet_start && row.quiet_end ? { start: row.quiet_start, end: row.quiet_end } : null,
    language: row.language,
    email: row.email,
  };
}

export function messageView(m: MessageRow): MessageView {
  return {
    id: m.id,
    kind: m.kind,
    channel: m.channel,
    status: m.status,
    to: m.to_masked,
    text: m.text,
    applicationId: m.application_id,
    attempts: m.attempts,
    createdAt: m.created_at.toISOString(),
    sentAt: m.sent_at?.toISOString() ?? null,
    deliveredAt: m.delivered_at?.toISOString() ?? null,
    failedAt: m.failed_at?.toISOString() ?? null,
    lastError: m.last_error,
    notBefore: m.not_before?.toISOString() ?? null,
  };
}

export const newId = () => randomUUID();
