// Templates (模板): per kind of notice and channel, zh-CN and English, with typed placeholders
// (GOV.UK Notify's ((name)), written {name} here as in every message catalog of the platform).
// The defaults below are version 1 of every template; an operator's versions are checked by
// `checkTemplate` before they are published. Pure: no I/O.
import { NOTICE_KINDS, type PLACEHOLDER_TYPES, type NoticeKind } from '@tongban/contracts';

export type PlaceholderType = (typeof PLACEHOLDER_TYPES)[number];
export type TemplateChannel = 'inbox' | 'sms' | 'email';
export const TEMPLATE_CHANNELS: readonly TemplateChannel[] = ['inbox', 'sms', 'email'];
export type Lang = 'zh-CN' | 'en';
export interface Localized {
  readonly zh: string;
  readonly en: string;
}
export interface Placeholder {
  readonly name: string;
  readonly type: PlaceholderType;
  readonly description: Localized;
}
export interface TemplateText {
  readonly subject: Localized | null;
  readonly body: Localized;
}

/** The longest SMS a template may make (GOV.UK Notify's 918 is for GSM; 500 Chinese characters is 8 segments). */
export const SMS_MAX_CHARS = 500;
/** The signature every SMS in China carries (短信签名), in front. */
export const SMS_SIGNATURE: Localized = { zh: '【通办】', en: '[Tongban] ' };

const P = {
  caseNumber: { name: 'caseNumber', type: 'caseNumber', description: { zh: '办件编号', en: 'Case number' } },
  matterZh: { name: 'matterZh', type: 'text', description: { zh: '事项名称（中文）', en: 'Matter name (Chinese)' } },
  matterEn: { name: 'matterEn', type: 'text', description: { zh: '事项名称（英文）', en: 'Matter name (English)' } },
  reason: { name: 'reason', type: 'text', description: { zh: '原因', en: 'Reason' } },
  amount: { name: 'amount', type: 'amountFen', description: { zh: '金额（分）', en: 'Amount (fen)' } },
  expiresAt: { name: 'expiresAt', type: 'date', description: { zh: '缴费截止时间', en: 'Pay before' } },
  identifier: { name: 'identifier', type: 'text', description: { zh: '证照编号', en: 'Licence identifier' } },
  until: { name: 'until', type: 'date', description: { zh: '锁定至', en: 'Locked until' } },
} as const satisfies Record<string, Placeholder>;

/** The placeholders each kind's event supplies: a template may use these and no other. */
export const PLACEHOLDERS: Readonly<Record<NoticeKind, readonly Placeholder[]>> = {
  submitted: [P.caseNumber],
  counter_filed: [P.caseNumber],
  correction_requested: [P.caseNumber, P.matterZh, P.matterEn, P.reason],
  materials_to_follow: [P.caseNumber, P.matterZh, P.matterEn],
  approved: [P.caseNumber, P.matterZh, P.matterEn],
  rejected: [P.caseNumber, P.matterZh, P.matterEn, P.reason],
  withdrawn: [P.caseNumber],
  completed: [P.caseNumber],
  closed: [P.caseNumber],
  payment_due: [P.caseNumber, P.matterZh, P.matterEn, P.amount, P.expiresAt],
  payment_received: [P.caseNumber, P.amount],
  refund_succeeded: [P.caseNumber, P.amount],
  licence_issued: [P.caseNumber, P.identifier],
  account_locked: [P.until],
};

/** The in-app text of each kind (the workflow's notices, moved here). */
const INBOX: Record<NoticeKind, Localized> = {
  submitted: {
    zh: '您的申请已提交，办件编号 {caseNumber}。',
    en: 'Your application has been submitted as {caseNumber}.',
  },
  counter_filed: {
    zh: '窗口工作人员已代您提交申请，办件编号 {caseNumber}，可在“我的办件”中查看。',
    en: 'A service counter filed an application for you as {caseNumber}; see it under My applications.',
  },
  correction_requested: {
    zh: '办件 {caseNumber} 的“{matterZh}”需要补正：{reason}',
    en: '{caseNumber}, {matterEn}: a correction is needed: {reason}',
  },
  materials_to_follow: {
    zh: '办件 {caseNumber} 的“{matterZh}”已容缺受理，请在办理进度中查看并尽快补交材料。',
    en: '{caseNumber}, {matterEn} was accepted with materials to follow; see its timeline for what to send.',
  },
  approved: { zh: '办件 {caseNumber} 的“{matterZh}”已办结（准予）。', en: '{caseNumber}, {matterEn}: approved.' },
  rejected: {
    zh: '办件 {caseNumber} 的“{matterZh}”不予办理：{reason}',
    en: '{caseNumber}, {matterEn}: refused: {reason}',
  },
  withdrawn: {
    zh: '您已撤回办件 {caseNumber}，各部门不再办理。',
    en: 'You withdrew {caseNumber}; the departments will not handle it further.',
  },
  completed: { zh: '办件 {caseNumber} 已全部办结。', en: 'Every part of {caseNumber} is done.' },
  closed: {
    zh: '办件 {caseNumber} 已办结，部分事项未获准予，详见办理进度。',
    en: '{caseNumber} is finished; some parts were not granted (see its timeline).',
  },
  payment_due: {
    zh: '办件 {caseNumber} 的“{matterZh}”需缴费 {amount}，请于 {expiresAt} 前完成缴费。',
    en: '{caseNumber}, {matterEn}: a fee of {amount} is due; please pay before {expiresAt}.',
  },
  payment_received: {
    zh: '办件 {caseNumber} 已收到您缴纳的 {amount}，电子票据将随后送达。',
    en: '{caseNumber}: we received your payment of {amount}; the electronic receipt follows.',
  },
  refund_succeeded: {
    zh: '办件 {caseNumber} 已退款 {amount}，款项将原路退回。',
    en: '{caseNumber}: {amount} has been refunded to the way you paid.',
  },
  licence_issued: {
    zh: '办件 {caseNumber} 的电子证照已签发，证照编号 {identifier}，可在“我的证照”中查看。',
    en: '{caseNumber}: your electronic licence {identifier} has been issued; see My licences.',
  },
  account_locked: {
    zh: '为保护您的账号安全，账号已被锁定至 {until}。如非本人操作，请联系客服。',
    en: 'To protect your account it has been locked until {until}. If this was not you, contact us.',
  },
};

/** SMS: short, signed in front. */
const SMS: Record<NoticeKind, Localized> = {
  submitted: { zh: '您的申请已提交，办件编号{caseNumber}。', en: 'Application submitted: {caseNumber}.' },
  counter_filed: {
    zh: '窗口已代您提交申请，办件编号{caseNumber}。',
    en: 'A counter filed an application for you: {caseNumber}.',
  },
  correction_requested: {
    zh: '办件{caseNumber}需要补正，请登录查看。',
    en: '{caseNumber}: a correction is needed; please sign in.',
  },
  materials_to_follow: {
    zh: '办件{caseNumber}已容缺受理，请尽快补交材料。',
    en: '{caseNumber} accepted; please send the missing materials.',
  },
  approved: { zh: '办件{caseNumber}“{matterZh}”已准予。', en: '{caseNumber} {matterEn}: approved.' },
  rejected: {
    zh: '办件{caseNumber}“{matterZh}”不予办理，请登录查看原因。',
    en: '{caseNumber} {matterEn}: refused; sign in for why.',
  },
  withdrawn: { zh: '您已撤回办件{caseNumber}。', en: 'You withdrew {caseNumber}.' },
  completed: { zh: '办件{caseNumber}已全部办结。', en: '{caseNumber} is done.' },
  closed: { zh: '办件{caseNumber}已办结，部分事项未获准予。', en: '{caseNumber} finished; some parts not granted.' },
  payment_due: {
    zh: '办件{caseNumber}需缴费{amount}，请于{expiresAt}前缴纳。',
    en: '{caseNumber}: {amount} due before {expiresAt}.',
  },
  payment_received: { zh: '办件{caseNumber}已缴费{amount}。', en: '{caseNumber}: {amount} received.' },
  refund_succeeded: { zh: '办件{caseNumber}已退款{amount}。', en: '{caseNumber}: {amount} refunded.' },
  licence_issued: {
    zh: '办件{caseNumber}电子证照已签发：{identifier}。',
    en: '{caseNumber}: licence {identifier} issued.',
  },
  account_locked: {
    zh: '您的账号已被锁定至{until}，如非本人操作请联系客服。',
    en: 'Your account is locked until {until}. Not you? Contact us.',
  },
};

const SUBJECTS: Record<NoticeKind, Localized> = {
  submitted: { zh: '申请已提交：{caseNumber}', en: 'Application submitted: {caseNumber}' },
  counter_filed: { zh: '窗口代办申请：{caseNumber}', en: 'Filed at a counter: {caseNumber}' },
  correction_requested: { zh: '需要补正：{caseNumber}', en: 'Correction needed: {caseNumber}' },
  materials_to_follow: { zh: '容缺受理：{caseNumber}', en: 'Accepted, materials to follow: {caseNumber}' },
  approved: { zh: '准予办理：{caseNumber}', en: 'Approved: {caseNumber}' },
  rejected: { zh: '不予办理：{caseNumber}', en: 'Refused: {caseNumber}' },
  withdrawn: { zh: '已撤回：{caseNumber}', en: 'Withdrawn: {caseNumber}' },
  completed: { zh: '已办结：{caseNumber}', en: 'Done: {caseNumber}' },
  closed: { zh: '已办结：{caseNumber}', en: 'Finished: {caseNumber}' },
  payment_due: { zh: '待缴费：{caseNumber}', en: 'Fee due: {caseNumber}' },
  payment_received: { zh: '缴费成功：{caseNumber}', en: 'Payment received: {caseNumber}' },
  refund_succeeded: { zh: '退款成功：{caseNumber}', en: 'Refunded: {caseNumber}' },
  licence_issued: { zh: '电子证照已签发：{caseNumber}', en: 'Licence issued: {caseNumber}' },
  account_locked: { zh: '账号安全提醒', en: 'Your account was locked' },
};

/** Version 1 of a template: the defaults above. */
export function defaultTemplate(kind: NoticeKind, channel: TemplateChannel): TemplateText {
  switch (channel) {
    case 'inbox':
      return { subject: null, body: INBOX[kind] };
    case 'sms':
      return { subject: null, body: SMS[kind] };
    case 'email':
      return {
        subject: SUBJECTS[kind],
        body: {
          zh: `您好：\n\n${INBOX[kind].zh}\n\n请登录通办查看详情。本邮件由系统发送，请勿回复。`,
          en: `Hello,\n\n${INBOX[kind].en}\n\nSign in to Tongban for the details. This message was sent automatically; please do not reply.`,
        },
      };
  }
}

export function allDefaults(): { kind: NoticeKind; channel: TemplateChannel; text: TemplateText }[] {
  return NOTICE_KINDS.flatMap((kind) =>
    TEMPLATE_CHANNELS.map((channel) => ({ kind, channel, text: defaultTemplate(kind, channel) })),
  );
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholder names a text uses, once each. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export type TemplateProblem = { readonly field: string; readonly code: string; readonly message: string };

/**
 * Why a template may not be published: a placeholder its kind does not supply, an empty
 * language, a stray brace, a subject on a channel without one (or none on e-mail), an SMS too long.
 */
export function checkTemplate(kind: NoticeKind, channel: TemplateChannel, t: TemplateText): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const declared = new Set(PLACEHOLDERS[kind].map((p) => p.name));
  const parts: [string, string][] = [
    ['body.zh', t.body.zh],
    ['body.en', t.body.en],
    ...(t.subject
      ? ([
          ['subject.zh', t.subject.zh],
          ['subject.en', t.subject.en],
        ] as [string, string][])
      : []),
  ];
  for (const [field, text] of parts) {
    if (text.trim() === '')
      problems.push({ field: `body.${field}`, code: 'required', message: 'both languages are needed' });
    for (const name of placeholdersIn(text))
      if (!declared.has(name))
        problems.push({
          field: `body.${field}`,
          code: 'unknown_placeholder',
          message: `{${name}} is not a placeholder of ${kind}`,
        });
    if (/[{}]/.test(text.replace(PLACEHOLDER, '')))
      problems.push({ field: `body.${field}`, code: 'unbalanced_brace', message: 'a { or } outside a placeholder' });
  }
  if (channel === 'email' && !t.subject)
    problems.push({ field: 'body.subject', code: 'required', message: 'an e-mail needs a subject' });
  if (channel !== 'email' && t.subject)
    problems.push({ field: 'body.subject', code: 'not_allowed', message: `a ${channel} message has no subject` });
  if (channel === 'sms')
    for (const lang of ['zh', 'en'] as const) {
      const longest = renderText(t.body[lang], sampleValues(kind), lang === 'zh' ? 'zh-CN' : 'en');
      const length = [...SMS_SIGNATURE[lang]].length + [...longest].length;
      if (length > SMS_MAX_CHARS)
        problems.push({
          field: `body.body.${lang}`,
          code: 'too_long',
          message: `${length} characters, at most ${SMS_MAX_CHARS}`,
        });
    }
  return problems;
}

/** A placeholder's value as the text shows it: fen as yuan, times in China Standard Time. */
export function formatValue(type: PlaceholderType, value: string, lang: Lang): string {
  switch (type) {
    case 'amountFen': {
      const fen = Number(value);
      if (!Number.isSafeInteger(fen)) return value;
      const yuan = `${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
      return lang === 'zh-CN' ? `${yuan}元` : `CNY ${yuan}`;
    }
    case 'date': {
      const d = new Date(value);
      if (Number.isNaN(d.getTime())) return value;
      const cst = new Date(d.getTime() + 8 * 3600_000).toISOString();
      return `${cst.slice(0, 10)} ${cst.slice(11, 16)}`;
    }
    default:
      return value;
  }
}

/** Fills a text's placeholders; an unknown or missing one stays empty (a template is checked before it is published). */
export function renderText(
  text: string,
  values: Readonly<Record<string, string>>,
  lang: Lang,
  types?: ReadonlyMap<string, PlaceholderType>,
): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) return '';
    return formatValue(types?.get(name) ?? 'text', value, lang);
  });
}

export function placeholderTypes(kind: NoticeKind): Map<string, PlaceholderType> {
  return new Map(PLACEHOLDERS[kind].map((p) => [p.name, p.type]));
}

/** Sample values for a preview, by type. */
export function sampleValues(kind: NoticeKind): Record<string, string> {
  const byType: Record<PlaceholderType, string> = {
    text: '示例 Sample',
    caseNumber: '3301002026120100001',
    amountFen: '12550',
    date: '2026-12-01T02:00:00.000Z',
    url: 'https://tongban.example.gov.cn/',
  };
  const values: Record<string, string> = {};
  for (const p of PLACEHOLDERS[kind]) values[p.name] = byType[p.type];
  if (values.matterZh) values.matterZh = '出生医学证明';
  if (values.matterEn) values.matterEn = 'Birth medical certificate';
  return values;
}

/** The SMS segments a text costs: one of 70 characters, or 67 each once it is longer (concatenated SMS). */
export function smsSegments(text: string): { length: number; segments: number } {
  const length = [...text].length;
  if (length === 0) return { length, segments: 0 };
  return { length, segments: length <= 70 ? 1 : Math.ceil(length / 67) };
}

/** A whole rendered message on a channel: the SMS signed, the e-mail with its subject. */
export function renderMessage(
  kind: NoticeKind,
  channel: TemplateChannel,
  t: TemplateText,
  values: Readonly<Record<string, string>>,
  lang: Lang,
): { subject: string | null; text: string } {
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  const types = placeholderTypes(kind);
  const body = renderText(t.body[key], values, lang, types);
  return {
    subject: t.subject ? renderText(t.subject[key], values, lang, types) : null,
    text: channel === 'sms' ? `${SMS_SIGNATURE[key]}${body}` : body,
  };
}
