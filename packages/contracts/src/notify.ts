// Notifications (消息, issue 15) as the web app and other modules rely on them: the kinds of
// notice, the channels, each message's delivery status, a person's preferences, the templates
// an operator edits and previews, and the webhook subscriptions of department systems.
// The inbox itself answers the workflow's `NoticeView` (./workflow.ts), at its new address
// `/api/notify/me/notices`.
import Type, { type Static, type TSchema } from 'typebox';
import type { ApiRoute } from './catalog.ts';

/** Where a notice can go. The inbox (站内信) always receives it; the others follow preferences. */
export const NOTIFY_CHANNELS = ['inbox', 'sms', 'email', 'webhook'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];
/** The channels a person chooses among (webhooks belong to department systems, not people). */
export const PERSONAL_CHANNELS = ['inbox', 'sms', 'email'] as const;
export type PersonalChannel = (typeof PERSONAL_CHANNELS)[number];

/** Each kind of notice, one template per kind and channel. */
export const NOTICE_KINDS = [
  'submitted',
  'counter_filed',
  'correction_requested',
  'materials_to_follow',
  'approved',
  'rejected',
  'withdrawn',
  'completed',
  'closed',
  'payment_due',
  'payment_received',
  'refund_succeeded',
  'licence_issued',
  'account_locked',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What a person sets preferences for: kinds are grouped so the page has four rows, not fourteen. */
export const NOTICE_GROUPS = {
  progress: [
    'submitted',
    'counter_filed',
    'correction_requested',
    'materials_to_follow',
    'approved',
    'rejected',
    'withdrawn',
    'completed',
    'closed',
  ],
  payments: ['payment_due', 'payment_received', 'refund_succeeded'],
  licences: ['licence_issued'],
  /** Security notices ignore quiet hours and cannot be turned off on SMS once a mobile is known. */
  security: ['account_locked'],
} as const satisfies Record<string, readonly NoticeKind[]>;
export type NoticeGroup = keyof typeof NOTICE_GROUPS;

/** A message's delivery status: queued (waiting, quiet hours or a retry), sent (handed to the provider), delivered (the provider or target confirmed it), failed (given up). */
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One message on one channel, as its recipient (and an operator) sees it; never the address in full. */
export const MessageView = Type.Object({
  id: Type.String(),
  kind: Type.Enum(NOTICE_KINDS),
  channel: Type.Enum(NOTIFY_CHANNELS),
  status: Type.Enum(DELIVERY_STATUSES),
  /** Masked: 138****5678, z***@example.cn, a webhook's host. */
  to: Type.String(),
  /** The text as sent, in the language it was sent in. */
  text: Type.String(),
  applicationId: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer({ minimum: 0 }),
  createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  failedAt: Type.Union([Type.String(), Type.Null()]),
  /** A stable code of the last failure (`smtp_rejected`, `provider_unavailable`, …), never a stack. */
  lastError: Type.Union([Type.String(), Type.Null()]),
  /** Held for quiet hours or a retry until then. */
  notBefore: Type.Union([Type.String(), Type.Null()]),
});
export type MessageView = Static<typeof MessageView>;
export const MessageListView = Type.Array(MessageView);

const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

/** `GET/PUT /api/notify/me/preferences`. */
export const PreferencesView = Type.Object({
  /** Per group, the channels besides the inbox (the inbox always receives every notice). */
  channels: Type.Object({
    progress: Type.Array(Type.Union([Type.Literal('sms'), Type.Literal('email')]), { uniqueItems: true }),
    payments: Type.Array(Type.Union([Type.Literal('sms'), Type.Literal('email')]), { uniqueItems: true }),
    licences: Type.Array(Type.Union([Type.Literal('sms'), Type.Literal('email')]), { uniqueItems: true }),
    security: Type.Array(Type.Union([Type.Literal('sms'), Type.Literal('email')]), { uniqueItems: true }),
  }),
  /** SMS and e-mail wait until the end of quiet hours (China Standard Time); null: none. Security notices do not wait. */
  quietHours: Type.Union([Type.Object({ start: HourMinute, end: HourMinute }), Type.Null()]),
  language: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]),
  /** Where e-mail goes; null: no e-mail. */
  email: Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]),
  /** The mobile identity holds, masked (read-only here: it is changed in identity). */
  mobile: Type.Union([Type.String(), Type.Null()]),
});
export type PreferencesView = Static<typeof PreferencesView>;

/** A placeholder a template may use, with its type: checked when the template is published. */
export const PLACEHOLDER_TYPES = ['text', 'caseNumber', 'amountFen', 'date', 'url'] as const;
export const TemplatePlaceholderView = Type.Object({
  name: Type.String(),
  type: Type.Enum(PLACEHOLDER_TYPES),
  /** Why it is there, for the operator editing the template. */
  description: Type.Object({ zh: Type.String(), en: Type.String() }),
});

/** A template for one kind on one channel, both languages; published versions are immutable. */
export const TemplateView = Type.Object({
  kind: Type.Enum(NOTICE_KINDS),
  channel: Type.Enum(NOTIFY_CHANNELS),
  version: Type.Integer({ minimum: 1 }),
  /** The e-mail subject; null on other channels. */
  subject: Type.Union([Type.Object({ zh: Type.String(), en: Type.String() }), Type.Null()]),
  body: Type.Object({ zh: Type.String(), en: Type.String() }),
  placeholders: Type.Array(TemplatePlaceholderView),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  publishedBy: Type.Union([Type.String(), Type.Null()]),
});
export type TemplateView = Static<typeof TemplateView>;
export const TemplateListView = Type.Array(TemplateView);

/** `POST /api/notify/templates/preview`: the template (as saved, or as typed) filled with sample values. */
export const TemplatePreviewView = Type.Object({
  subject: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  /** The SMS length in characters and the number of segments it costs (70 a segment in Chinese, 67 past one). */
  length: Type.Integer({ minimum: 0 }),
  segments: Type.Integer({ minimum: 0 }),
});
export type TemplatePreviewView = Static<typeof TemplatePreviewView>;

/** A department system's webhook subscription; its signing secret is shown once, at creation. */
export const WebhookSubscriptionView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  /** The event kinds it receives. */
  kinds: Type.Array(Type.Enum(NOTICE_KINDS)),
  /** The department whose applications it hears. */
  departmentCode: Type.String(),
  signing: Type.Union([Type.Literal('hmac-sha256'), Type.Literal('ed25519')]),
  active: Type.Boolean(),
  createdAt: Type.String(),
});
export type WebhookSubscriptionView = Static<typeof WebhookSubscriptionView>;

/** A webhook delivery given up after its retries (~24 h), visible and replayable by an operator. */
export const WebhookDeadLetterView = Type.Object({
  id: Type.String(),
  subscriptionId: Type.String(),
  url: Type.String(),
  kind: Type.Enum(NOTICE_KINDS),
  attempts: Type.Integer({ minimum: 0 }),
  lastError: Type.String(),
  firstAttemptAt: Type.String(),
  lastAttemptAt: Type.String(),
  replayedAt: Type.Union([Type.String(), Type.Null()]),
});
export type WebhookDeadLetterView = Static<typeof WebhookDeadLetterView>;

/** One SMS the development sink received (non-production only): what the demo shows instead of a phone. */
export const DevSmsView = Type.Object({
  id: Type.String(),
  to: Type.String(),
  text: Type.String(),
  at: Type.String(),
});
export type DevSmsView = Static<typeof DevSmsView>;

/**
 * `GET /api/identity/services/accounts/:id/contact` (service role `identity.contact.read`, the
 * notify client only): where a person's SMS goes, and the language identity knows them in. The
 * mobile in full: only notify's delivery worker reads it, and it keeps it masked.
 */
export const AccountContactView = Type.Object({
  mobile: Type.Union([Type.String(), Type.Null()]),
  language: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
});
export type AccountContactView = Static<typeof AccountContactView>;

/** What notify calls on identity, with the schema of its answer. */
export const IdentityContactApi = {
  contact: {
    module: 'identity',
    method: 'GET',
    path: (accountId: string) => `/services/accounts/${encodeURIComponent(accountId)}/contact`,
    response: AccountContactView,
  },
} as const satisfies Record<string, ApiRoute<never, TSchema>>;

/** `GET /api/notify/webhooks` … `POST`: the subscription, and once, at creation, its secret or public key. */
export const WebhookCreatedView = Type.Object({
  subscription: WebhookSubscriptionView,
  /** `whsec_…` (HMAC-SHA256) or the Ed25519 public key (PEM): shown this once, never again. */
  secret: Type.String(),
});
export type WebhookCreatedView = Static<typeof WebhookCreatedView>;
