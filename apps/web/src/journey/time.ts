// A moment with its time of day, in the locale (China Standard Time, as the catalog's dates): the
// shared formatters give dates only (a candidate for i18n/messages.ts's Formatters).
import type { Locale } from '../i18n/messages.ts';

const formats = new Map<Locale, Intl.DateTimeFormat>();

export function dateTime(locale: Locale, iso: string): string {
  let f = formats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
    formats.set(locale, f);
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : f.format(d);
}
