// The notify module's routes: the person's inbox, messages and preferences; the operator's
// templates, messages, webhooks and dead letters; the development SMS sink; the SMS gateway's
// delivery receipts.
import {
  DevSmsView,
  MessageListView,
  NoticeListView,
  PreferencesView,
  TemplateListView,
  TemplatePreviewView,
  TemplateView,
  WebhookCreatedView,
  WebhookDeadLetterView,
  WebhookSubscriptionView,
  type NoticeKind,
} from '@tongban/contracts';
import { definePolicies, maskMobile, negotiateLang, Policies, type HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import { GROUPS } from '../domain/preferences.ts';
import {
  checkTemplate,
  PLACEHOLDERS,
  renderMessage,
  sampleValues,
  smsSegments,
  type TemplateChannel,
  type TemplateText,
} from '../domain/templates.ts';
import { NotifyError } from '../errors.ts';
import { generateWebhookKey } from '../service/channels/webhook.ts';
import { verifyGatewayReceipt } from '../service/channels/failover.ts';
import {
  emailAad,
  maskEmail,
  messageView,
  newId,
  preferencesOf,
  webhookKeyAad,
  type Notify,
} from '../service/notify.ts';
import { devSms, findMessages, messagesOf, recordReceipt } from '../store/messages.ts';
import { markNoticeRead, noticesOf } from '../store/notices.ts';
import { findPreference, savePreference } from '../store/preferences.ts';
import { allTemplates, publishVersion, saveDraft, templateVersions } from '../store/templates.ts';
import type { TemplateRow, WebhookSubscriptionRow } from '../store/tables.ts';
import {
  deactivateSubscription,
  deadLetters,
  insertSubscription,
  replayDeadLetter,
  subscriptions,
} from '../store/webhooks.ts';
import {
  IdParam,
  MessagesQuery,
  MineQuery,
  NoticeQuery,
  PreferencesBody,
  PreviewBody,
  ProviderParam,
  TemplateBody,
  TemplateParams,
  WebhookBody,
} from './schemas.ts';

const policies = definePolicies({
  person: { kinds: ['citizen', 'business'], assurance: 'password' },
  operator: { kinds: ['operator'], assurance: 'mfa' },
});

function templateView(t: TemplateRow): TemplateView {
  return {
    kind: t.kind,
    channel: t.channel as TemplateView['channel'],
    version: t.version,
    subject: t.subject,
    body: t.body,
    placeholders: t.placeholders as TemplateView['placeholders'],
    publishedAt: t.published_at?.toISOString() ?? null,
    publishedBy: t.published_by,
  };
}

function subscriptionView(s: WebhookSubscriptionRow): WebhookSubscriptionView {
  return {
    id: s.id,
    url: s.url,
    kinds: s.kinds,
    departmentCode: s.department_code,
    signing: s.signing,
    active: s.active,
    createdAt: s.created_at.toISOString(),
  };
}

export function notifyRoutes(app: HttpApp, n: Notify): void {
  const db = n.db;
  // A business acts through its account; an agent acting for one reads the business's notices.
  const me = (p: { id: string; actingFor?: string }) => p.actingFor ?? p.id;

  // ——— the person's ———

  app.get(
    '/me/notices',
    {
      config: { policy: policies.person },
      schema: {
        tags: ['notify: inbox'],
        summary: 'My notices (站内信), newest first, in the language asked for',
        querystring: NoticeQuery,
        response: { 200: NoticeListView },
      },
    },
    async (req) =>
      n.noticeViews(
        await noticesOf(db, me(req.principal!), req.query.unread ?? false, req.query.limit),
        negotiateLang(req.headers['accept-language']),
      ),
  );

  app.post(
    '/me/notices/:id/read',
    {
      config: { policy: policies.person },
      schema: { tags: ['notify: inbox'], summary: 'Mark a notice read', params: IdParam },
    },
    async (req, reply) => {
      if (!(await markNoticeRead(db, req.params.id, me(req.principal!), n.now())))
        throw new NotifyError('NOTIFY_NOTICE_NOT_FOUND', { id: req.params.id });
      return reply.code(204).send();
    },
  );

  app.get(
    '/me/messages',
    {
      config: { policy: policies.person },
      schema: {
        tags: ['notify: inbox'],
        summary: 'My messages on each channel (SMS, e-mail) with their delivery status, newest first',
        querystring: MineQuery,
        response: { 200: MessageListView },
      },
    },
    async (req) => (await messagesOf(db, me(req.principal!), req.query.limit)).map(messageView),
  );

  const preferencesView = async (accountId: string): Promise<PreferencesView> => {
    const row = await findPreference(db, accountId);
    const p = preferencesOf(row);
    const email = p.email ? await n.ctx.fields.open(p.email, emailAad(accountId)) : null;
    const mobile = (await n.contact(accountId).catch(() => ({ mobile: null }))).mobile;
    const emailOn = n.emailOn;
    return {
      channels: Object.fromEntries(
        GROUPS.map((g) => [g, p.channels[g].filter((c) => emailOn || c !== 'email')]),
      ) as PreferencesView['channels'],
      quietHours: p.quietHours,
      language: p.language,
      email,
      mobile: mobile ? maskMobile(mobile) : null,
    };
  };

  app.get(
    '/me/preferences',
    {
      config: { policy: policies.person },
      schema: {
        tags: ['notify: preferences'],
        summary: 'My notification preferences: channels per kind of notice, quiet hours, language, e-mail',
        response: { 200: PreferencesView },
      },
    },
    async (req) => preferencesView(me(req.principal!)),
  );

  app.put(
    '/me/preferences',
    {
      config: { policy: policies.person },
      schema: {
        tags: ['notify: preferences'],
        summary:
          'Set my notification preferences (SMS and e-mail wait for the end of quiet hours, China Standard Time)',
        body: PreferencesBody,
        response: { 200: PreferencesView },
      },
    },
    async (req) => {
      const accountId = me(req.principal!);
      const b = req.body;
      const wantsEmail = GROUPS.some((g) => b.channels[g].includes('email'));
      if (wantsEmail && !n.emailOn)
        throw new NotifyError('NOTIFY_PREFERENCES_INVALID', { reason: 'e-mail is off on this platform' }, [
          { field: 'body.channels', code: 'email_unavailable', message: 'this platform sends no e-mail' },
        ]);
      if (wantsEmail && b.email === null)
        throw new NotifyError('NOTIFY_PREFERENCES_INVALID', { reason: 'an e-mail address is needed' }, [
          { field: 'body.email', code: 'required', message: 'give the address e-mail goes to' },
        ]);
      if (b.quietHours && b.quietHours.start === b.quietHours.end)
        throw new NotifyError('NOTIFY_PREFERENCES_INVALID', { reason: 'quiet hours start and end at once' }, [
          { field: 'body.quietHours', code: 'empty_window', message: 'start and end are the same' },
        ]);
      await savePreference(db, {
        account_id: accountId,
        channels: b.channels,
        quiet_start: b.quietHours?.start ?? null,
        quiet_end: b.quietHours?.end ?? null,
        language: b.language,
        email: b.email === null ? null : await n.ctx.fields.seal(b.email, emailAad(accountId)),
        updated_at: n.now(),
      });
      return preferencesView(accountId);
    },
  );

  // ——— the operator's ———

  app.get(
    '/messages',
    {
      config: { policy: policies.operator },
      schema: {
        tags: ['notify: operations'],
        summary: 'Messages by recipient, status and channel, newest first',
        querystring: MessagesQuery,
        response: { 200: MessageListView },
      },
    },
    async (req) => (await findMessages(db, req.query)).map(messageView),
  );

  const latest = async (kind: NoticeKind, channel: string) => {
    const [t] = await templateVersions(db, kind, channel);
    if (!t) throw new NotifyError('NOTIFY_TEMPLATE_NOT_FOUND', { kind, channel });
    return t;
  };

  app.get(
    '/templates',
    {
      config: { policy: policies.operator },
      schema: {
        tags: ['notify: templates'],
        summary: 'Every template, its latest version (a draft shows publishedAt null)',
        response: { 200: TemplateListView },
      },
    },
    async () => {
      const out: TemplateView[] = [];
      const seen = new Set<string>();
      for (const t of (await allTemplates(db)).reverse()) {
        const key = `${t.kind}:${t.channel}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(templateView(t));
      }
      return out.sort((a, b) =>
        a.kind === b.kind ? a.channel.localeCompare(b.channel) : a.kind.localeCompare(b.kind),
      );
    },
  );

  app.get(
    '/templates/:kind/:channel',
    {
      config: { policy: policies.operator },
      schema: {
        tags: ['notify: templates'],
        summary: "A template's latest version",
        params: TemplateParams,
        response: { 200: TemplateView },
      },
    },
    async (req) => templateView(await latest(req.params.kind, req.params.channel)),
  );

  app.put(
    '/templates/:kind/:channel',
    {
      config: { policy: policies.operator },
      schema: {
        tags: ['notify: templates'],
        summary: 'Save a new draft of a template (published once checked)',
        params: TemplateParams,
        body: TemplateBody,
        response: { 200: TemplateView },
      },
    },
    async (req) => {
      const { kind, channel } = req.params;
      const versions = await templateVersions(db, kind, channel);
      const published = versions.filter((v) => v.published_at).map((v) => v.version);
      const row: TemplateRow = {
        kind,
        channel,
        version: Math.max(0, ...published) + 1,
        subject: req.body.subject,
        body: req.body.body,
        placeholders: [...PLACEHOLDERS[kind]],
        created_at: n.now(),
        created_by: req.principal!.id,
        published_at: null,
        published_by: null,
      };
      await saveDraft(db, row);
      return templateView(row);
    },
  );

  app.post(
    '/templates/:kind/:channel/publish',
    {
      config: { policy: policies.operator },
      schema: {
        tags: ['notify: templates'],
        summary:
          "Publish a template's draft: every placeholder declared, both languages, an SMS at most 500 characters",
        params: TemplateParams,
        response: { 200: TemplateView },
      },
    },
    async (req) => {
      const { kind, channel } = req.params;
      const draft = (await templateVersions(db, kind, channel)).find((v) => !v.published_at);
      if (!draft) throw new NotifyError('NOTIFY_TEMPLATE_NO_DRAFT', { kind, channel });
      const problems = checkTemplate(kind, channel, { subject: draft.subject, body: draft.body });
      if (problems.length > 0)
        throw new NotifyError(
          'NOTIFY_TEMPLATE_INVALID',
          { reason: problems.map((p) => p.message).join('; ') },
          problems,
        );
      const at = n.now();
      if (!(await publishVersion(db, kind, channel, draft.version, at, req.principal!.id)))
        throw new NotifyError('NOTIFY_TEMPLATE_NO_DRAFT', { kind, channel });
      await n.reloadTemplates();
      return templateView({ ...draft, published_at: at, published_by: req.principal!.id });
    },
  );

  app.post(
    '/templates/preview',
    {
      config: { policy: policies.operator },
      schema: {
        tags: ['notify: templates'],
        summary: 'A template (as saved, or as typed) filled with sample values, with its SMS length and segments',
        body: PreviewBody,
        response: { 200: TemplatePreviewView },
      },
    },
    async (req) => {
      const { kind, channel, lang } = req.body;
      let text: TemplateText;
      if (req.body.body) text = { subject: req.body.subject ?? null, body: req.body.body };
      else {
        const t = await latest(kind, channel);
        text = { subject: t.subject, body: t.body };
      }
      const rendered = renderMessage(kind, channel as TemplateChannel, text, sampleValues(kind), lang);
      const { length, segments } = smsSegments(rendered.text);
      return { subject: rendered.subject, text: rendered.text, length, segments: channel === 'sms' ? segments : 0 };
    },
  );

  app.get(
    '/webhooks',
    {
      config: { policy: policies.operator },
      schema: {
        tags: ['notify: webhooks'],
        summary: "Department systems' webhook subscriptions",
        response: { 200: Type.Array(WebhookSubscriptionView) },
      },
    },
    async () => (await subscriptions(db)).map(subscriptionView),
  );

  app.post(
    '/webhooks',
    {
      config: { policy: policies.operator },
      schema: {
        tags: ['notify: webhooks'],
        summary: 'Subscribe a department system; its secret (or Ed25519 public key) is shown this once',
        body: WebhookBody,
        response: { 201: WebhookCreatedView },
      },
    },
    async (req, reply) => {
      // The schema checks the scheme only; `http:// ` and the like still fail to parse as a URL.
      const url = URL.parse(req.body.url);
      if (!url || !url.hostname)
        throw new NotifyError('NOTIFY_WEBHOOK_URL_REFUSED', { reason: 'not an address' }, [
          { field: 'body.url', code: 'url_invalid', message: 'not a valid http(s) address' },
        ]);
      if (n.policy.httpsOnly && url.protocol !== 'https:')
        throw new NotifyError('NOTIFY_WEBHOOK_URL_REFUSED', { reason: 'https only' }, [
          { field: 'body.url', code: 'https_required', message: 'a webhook goes over https' },
        ]);
      if (url.username || url.password)
        throw new NotifyError('NOTIFY_WEBHOOK_URL_REFUSED', { reason: 'credentials in the address' }, [
          { field: 'body.url', code: 'credentials', message: 'no user or password in the address' },
        ]);
      const id = newId();
      const { key, shown } = generateWebhookKey(req.body.signing);
      const material = key.kind === 'hmac-sha256' ? Buffer.from(key.secret).toString('base64') : key.privateKeyPem;
      const row: WebhookSubscriptionRow = {
        id,
        url: url.toString(),
        kinds: req.body.kinds,
        department_code: req.body.departmentCode,
        signing: req.body.signing,
        key_sealed: await n.ctx.fields.seal(material, webhookKeyAad(id)),
        active: true,
        created_at: n.now(),
        created_by: req.principal!.id,
      };
      await insertSubscription(db, { ...row, kinds: JSON.stringify(row.kinds) });
      return reply.code(201).send({ subscription: subscriptionView(row), secret: shown });
    },
  );

  app.get(
    '/webhooks/dead-letters',
    {
      config: { policy: policies.operator },
      schema: {
        tags: ['notify: webhooks'],
        summary: 'Webhook deliveries given up after their retries, newest first',
        response: { 200: Type.Array(WebhookDeadLetterView) },
      },
    },
    async () =>
      (await deadLetters(db, 200)).map((d) => ({
        id: d.id,
        subscriptionId: d.subscription_id,
        url: d.url,
        kind: d.kind,
        attempts: d.attempts,
        lastError: d.last_error ?? 'unknown',
        firstAttemptAt: (d.first_attempt_at ?? d.created_at).toISOString(),
        lastAttemptAt: (d.last_attempt_at ?? d.created_at).toISOString(),
        replayedAt: d.replayed_at?.toISOString() ?? null,
      })),
  );

  app.post(
    '/webhooks/dead-letters/:id/replay',
    {
      config: { policy: policies.operator },
      schema: {
        tags: ['notify: webhooks'],
        summary: 'Send a dead letter again now, with a fresh retry schedule',
        params: IdParam,
      },
    },
    async (req, reply) => {
      if (!(await replayDeadLetter(db, req.params.id, n.now())))
        throw new NotifyError('NOTIFY_DEAD_LETTER_NOT_FOUND', { id: req.params.id });
      return reply.code(202).send();
    },
  );

  app.delete(
    '/webhooks/:id',
    {
      config: { policy: policies.operator },
      schema: { tags: ['notify: webhooks'], summary: 'End a webhook subscription', params: IdParam },
    },
    async (req, reply) => {
      if (!(await deactivateSubscription(db, req.params.id)))
        throw new NotifyError('NOTIFY_WEBHOOK_NOT_FOUND', { id: req.params.id });
      return reply.code(204).send();
    },
  );

  // The development sink: what the demo's phone received. Not registered at all in production.
  if (n.smsMode === 'dev' && n.ctx.config.env !== 'production')
    app.get(
      '/dev/sms',
      {
        config: { policy: policies.operator },
        schema: {
          tags: ['notify: development'],
          summary: 'SMS the development sink received, newest first (not in production)',
          querystring: MineQuery,
          response: { 200: Type.Array(DevSmsView) },
        },
      },
      async (req) =>
        (await devSms(db, req.query.limit)).map((s) => ({
          id: s.id,
          to: s.to_number,
          text: s.text,
          at: s.at.toISOString(),
        })),
    );

  // The gateway's delivery receipts, signed with its key over timestamp + body (verifyGatewayReceipt).
  void app.register(async (plain) => {
    const scope = plain as unknown as HttpApp;
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) =>
      done(null, String(body)),
    );
    scope.post(
      '/callbacks/sms/:provider',
      {
        // The gateway's signature is the credential (a provider cannot hold a platform token).
        config: { policy: Policies.public },
        schema: {
          tags: ['notify: callbacks'],
          summary: "An SMS gateway's delivery receipt (HMAC-SHA256 over timestamp + body with the gateway's key)",
          params: ProviderParam,
        },
      },
      async (req, reply) => {
        const key = n.receiptKey(req.params.provider);
        if (!key) throw new NotifyError('NOTIFY_PROVIDER_UNKNOWN', { provider: req.params.provider });
        const raw = typeof req.body === 'string' ? req.body : '';
        if (!verifyGatewayReceipt(req.headers, raw, key, Math.floor(Date.now() / 1000)))
          throw new NotifyError('NOTIFY_RECEIPT_REFUSED');
        let receipt: { id?: unknown; status?: unknown; error?: unknown };
        try {
          receipt = JSON.parse(raw) as typeof receipt;
        } catch {
          receipt = {};
        }
        if (typeof receipt.id !== 'string' || (receipt.status !== 'delivered' && receipt.status !== 'failed'))
          throw new NotifyError('VALIDATION_FAILED', {}, [
            { field: 'body', code: 'malformed', message: 'a receipt is { id, status: delivered|failed }' },
          ]);
        await recordReceipt(
          db,
          req.params.provider,
          receipt.id,
          receipt.status,
          n.now(),
          typeof receipt.error === 'string' ? receipt.error.slice(0, 100) : null,
        );
        return reply.code(204).send();
      },
    );
  });

  void maskEmail;
}
