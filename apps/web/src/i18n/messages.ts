// Our own i18n, not i18next: two languages, flat catalogs and `{name}` placeholders need ~50 lines,
// while i18next (+ react-i18next) would add ~15 KB gzip to the portal's initial JavaScript, whose
// budget is 150 KB. Dates and numbers come from the browser's Intl, per locale.
// Pure (no DOM, no React) so that node --test can check it.
import type { consoleZh } from './console.zh-CN.ts';
import { formatFen } from '../lib/money.ts';
import { en } from './en.ts';
import type { notifyZh } from './notify.zh-CN.ts';
import type { paymentsZh } from './payments.zh-CN.ts';
import type { securityZh } from './security.zh-CN.ts';
import type { workbenchZh } from './workbench.zh-CN.ts';
import { zh, type PortalKey } from './zh-CN.ts';

/**
 * The workbench's, the console's, security operations', the payer's pages' and the notification
 * pages' keys are known to the compiler here, but their words load with their chunks.
 */
export type AreaKey =
  | keyof typeof workbenchZh
  | keyof typeof consoleZh
  | keyof typeof securityZh
  | keyof typeof paymentsZh
  | keyof typeof notifyZh;
export type MessageKey = PortalKey | AreaKey;
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/**
 * The words of every key loaded so far: the portal's from the start, an area's once its chunk is
 * imported (addMessages). An area's key is only used by that area's own components.
 */
export const catalogs = { 'zh-CN': { ...zh }, en: { ...en } } as Record<Locale, Record<MessageKey, string>>;

/** An area's messages (its own files, typed against its zh-CN file), added when its chunk loads. */
export function addMessages<K extends AreaKey>(messages: { 'zh-CN': Record<K, string>; en: Record<K, string> }): void {
  for (const locale of LOCALES) Object.assign(catalogs[locale], messages[locale]);
}

export type Params = Record<string, string | number>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The message for a key in a locale, its `{name}` placeholders filled; an unknown placeholder stays visible. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  // A key whose area has not loaded shows itself rather than nothing (a bug to see, not a crash).
  const text = catalogs[locale][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * A message about `count` things: `<key>.one` where the locale's plural rules say "one" and the
 * catalog has it (English "1 working day"), else `<key>`. Chinese has no plural forms.
 */
export function plural(locale: Locale, key: MessageKey, count: number, params?: Params): string {
  const one = `${key}.one`;
  const form =
    new Intl.PluralRules(locale).select(count) === 'one' && Object.hasOwn(catalogs['zh-CN'], one)
      ? (one as MessageKey)
      : key;
  return translate(locale, form, { ...params, count: new Intl.NumberFormat(locale).format(count) });
}

/** The placeholders a message uses, for checking that the catalogs agree. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

/** Text the catalog API gives in both languages. */
export interface LocalizedText {
  zh: string;
  en: string;
}

export function pick(text: LocalizedText, locale: Locale): string {
  return locale === 'en' ? text.en : text.zh;
}

/** The other language, for the header's switch. */
export function otherLocale(locale: Locale): Locale {
  return locale === 'en' ? 'zh-CN' : 'en';
}

export interface Formatters {
  number(n: number): string;
  /** An amount in fen (分), as yuan in the locale's currency format (integer arithmetic: lib/money.ts). */
  money(fen: number): string;
  date(iso: string): string;
}

export function formatters(locale: Locale): Formatters {
  const number = new Intl.NumberFormat(locale);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Shanghai' });
  return {
    number: (n) => number.format(n),
    money: (fen) => formatFen(locale, fen),
    date: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : date.format(d);
    },
  };
}
