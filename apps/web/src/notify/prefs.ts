// 消息设置's form and the API's PreferencesView (packages/contracts/src/notify.ts), both ways: what
// the form shows for an answer, the body a filled form PUTs (or what is wrong with it, by input),
// and which input an API field error (problem+json errors[].field) belongs to. Pure: no DOM, no
// React, so node --test checks it.
import type { NoticeGroup, PreferencesView } from '@tongban/contracts';
import type { MessageKey } from '../i18n/messages.ts';

export type OptionalChannel = 'sms' | 'email';

/** NOTICE_GROUPS' keys in the page's order (the contract's value is not imported: typebox stays out of the bundle). */
export const GROUPS = ['progress', 'payments', 'licences', 'security'] as const satisfies readonly NoticeGroup[];
// Every group of the contract is on the page: a group added there fails to compile here.
type Missing = Exclude<NoticeGroup, (typeof GROUPS)[number]>;
export const GROUPS_COMPLETE: [Missing] extends [never] ? true : never = true;

export interface PrefsForm {
  channels: Record<NoticeGroup, OptionalChannel[]>;
  quiet: 'off' | 'on';
  quietStart: string;
  quietEnd: string;
  language: 'zh-CN' | 'en';
  email: string;
}

/** What PUT /notify/me/preferences takes: the view without the mobile, which identity holds. */
export type PreferencesBody = Omit<PreferencesView, 'mobile'>;

export interface FormError {
  /** The id of the input (the summary links to it). */
  field: string;
  key: MessageKey;
}

export const inputIds = {
  channels: (group: NoticeGroup) => `channels-${group}`,
  quiet: 'quiet',
  quietStart: 'quiet-start',
  quietEnd: 'quiet-end',
  language: 'language',
  email: 'email',
} as const;

const ORDER: OptionalChannel[] = ['sms', 'email'];
const sorted = (channels: readonly OptionalChannel[]) => ORDER.filter((c) => channels.includes(c));

/** The form for an answer (quiet hours off show 22:00–07:00, the usual night, ready to switch on). */
export function toForm(view: PreferencesView): PrefsForm {
  return {
    channels: {
      progress: sorted(view.channels.progress),
      payments: sorted(view.channels.payments),
      licences: sorted(view.channels.licences),
      security: sorted(view.channels.security),
    },
    quiet: view.quietHours ? 'on' : 'off',
    quietStart: view.quietHours?.start ?? '22:00',
    quietEnd: view.quietHours?.end ?? '07:00',
    language: view.language,
    email: view.email ?? '',
  };
}

const HOUR_MINUTE = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
// Deliberately loose (the server checks `format: email`): something@something.something, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A time as typed (`7:05`, `07:05`, `07:05:00` from a time input) as HH:MM, or null. */
export function normaliseTime(value: string): string | null {
  const m = /^\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*$/.exec(value);
  if (!m) return null;
  const hm = `${m[1]!.padStart(2, '0')}:${m[2]!}`;
  return HOUR_MINUTE.test(hm) ? hm : null;
}

/**
 * The body a filled form PUTs, or the inputs to fix. `mobileKnown`: account security notices go by
 * SMS whenever a mobile is known (the page shows it as a fact, not a checkbox), so it is always sent.
 */
export function fromForm(
  form: PrefsForm,
  mobileKnown: boolean,
): { ok: true; body: PreferencesBody } | { ok: false; errors: FormError[] } {
  const errors: FormError[] = [];
  const email = form.email.trim();
  const emailWanted = GROUPS.some((g) => form.channels[g].includes('email'));
  if (email === '' && emailWanted) errors.push({ field: inputIds.email, key: 'notify.prefs.error.emailNeeded' });
  else if (email !== '' && (email.length > 254 || !EMAIL.test(email)))
    errors.push({ field: inputIds.email, key: 'notify.prefs.error.email' });

  let quietHours: PreferencesBody['quietHours'] = null;
  if (form.quiet === 'on') {
    const start = normaliseTime(form.quietStart);
    const end = normaliseTime(form.quietEnd);
    if (!start) errors.push({ field: inputIds.quietStart, key: 'notify.prefs.error.time' });
    if (!end) errors.push({ field: inputIds.quietEnd, key: 'notify.prefs.error.time' });
    if (start && end && start === end) errors.push({ field: inputIds.quietEnd, key: 'notify.prefs.error.sameTime' });
    if (start && end) quietHours = { start, end };
  }
  if (errors.length) return { ok: false, errors };

  const channels = Object.fromEntries(
    GROUPS.map((g) => {
      const chosen = new Set(form.channels[g]);
      if (g === 'security' && mobileKnown) chosen.add('sms');
      return [g, sorted([...chosen])];
    }),
  ) as PreferencesBody['channels'];
  return { ok: true, body: { channels, quietHours, language: form.language, email: email === '' ? null : email } };
}

/** The input an API field error is about: `body.email` → email, `body.channels.progress/1` → channels-progress … */
export function inputOfField(field: string): string {
  const path = field.replace(/^body[./]?/, '').replace(/\//g, '.');
  if (path.startsWith('email')) return inputIds.email;
  if (path.startsWith('language')) return inputIds.language;
  if (path.startsWith('quietHours.end')) return inputIds.quietEnd;
  if (path.startsWith('quietHours.start')) return inputIds.quietStart;
  if (path.startsWith('quietHours')) return inputIds.quiet;
  const group = GROUPS.find((g) => path.startsWith(`channels.${g}`));
  return inputIds.channels(group ?? 'progress');
}

/**
 * Our words for a field error notify answers (its `code`), where we have them: the e-mail channel
 * off on this platform, an address needed, quiet hours that start and end at once. Else null: the
 * page shows a general "not saved" by the input.
 */
export function fieldErrorKey(code: string, input: string): MessageKey | null {
  if (code === 'email_unavailable') return 'notify.prefs.error.emailOff';
  if (code === 'empty_window') return 'notify.prefs.error.sameTime';
  if (input === inputIds.email)
    return code === 'required' ? 'notify.prefs.error.emailNeeded' : 'notify.prefs.error.email';
  if (input === inputIds.quietStart || input === inputIds.quietEnd) return 'notify.prefs.error.time';
  return null;
}
