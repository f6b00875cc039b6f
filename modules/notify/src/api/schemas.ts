// Request schemas of the notify module's routes (the answers are the contracts' views).
import { DELIVERY_STATUSES, NOTICE_KINDS } from '@tongban/contracts';
import Type from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
export const IdParam = Type.Object({ id: Uuid });

export const NoticeQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean()),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
  },
  { additionalProperties: false },
);

export const MineQuery = Type.Object(
  { limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
  { additionalProperties: false },
);

export const MessagesQuery = Type.Object(
  {
    recipient: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })),
    status: Type.Optional(Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)))),
    channel: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('email')])),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

const Kind = Type.Union(NOTICE_KINDS.map((k) => Type.Literal(k)));
const TemplateChannel = Type.Union([Type.Literal('inbox'), Type.Literal('sms'), Type.Literal('email')]);
export const TemplateParams = Type.Object({ kind: Kind, channel: TemplateChannel });

const Text = Type.String({ maxLength: 4000 });
const Localized = Type.Object({ zh: Text, en: Text }, { additionalProperties: false });
export const TemplateBody = Type.Object(
  { subject: Type.Union([Localized, Type.Null()]), body: Localized },
  { additionalProperties: false },
);

export const PreviewBody = Type.Object(
  {
    kind: Kind,
    channel: TemplateChannel,
    lang: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]),
    subject: Type.Optional(Type.Union([Localized, Type.Null()])),
    body: Type.Optional(Localized),
  },
  { additionalProperties: false },
);

const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const Channels = Type.Array(Type.Union([Type.Literal('sms'), Type.Literal('email')]), {
  uniqueItems: true,
  maxItems: 2,
});
export const PreferencesBody = Type.Object(
  {
    channels: Type.Object(
      { progress: Channels, payments: Channels, licences: Channels, security: Channels },
      { additionalProperties: false },
    ),
    quietHours: Type.Union([
      Type.Object({ start: HourMinute, end: HourMinute }, { additionalProperties: false }),
      Type.Null(),
    ]),
    language: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]),
    email: Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]),
  },
  { additionalProperties: false },
);

export const WebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://' }),
    kinds: Type.Array(Kind, { minItems: 1, uniqueItems: true }),
    departmentCode: Type.String({ pattern: '^[0-9A-Za-z-]{2,40}$' }),
    signing: Type.Union([Type.Literal('hmac-sha256'), Type.Literal('ed25519')]),
  },
  { additionalProperties: false },
);

export const ProviderParam = Type.Object({ provider: Type.String({ pattern: '^[a-z][a-z0-9-]{0,30}$' }) });
