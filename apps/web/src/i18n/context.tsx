import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { applyLocale, saveLocale } from '../lib/preferences.ts';
import {
  formatters,
  pick,
  plural,
  translate,
  type Formatters,
  type Locale,
  type LocalizedText,
  type MessageKey,
  type Params,
} from './messages.ts';

export interface I18n extends Formatters {
  locale: Locale;
  t(key: MessageKey, params?: Params): string;
  /** A message with a count: the locale's plural form (`<key>.one`) and the count formatted. */
  n(key: MessageKey, count: number, params?: Params): string;
  /** The locale's half of a text the catalog API gives in both languages. */
  text(value: LocalizedText): string;
  setLocale(locale: Locale): void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ initial, children }: { initial: Locale; children: ReactNode }) {
  const [locale, setLocaleState] = useState(initial);
  const setLocale = useCallback((next: Locale) => {
    saveLocale(next);
    applyLocale(next);
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      locale,
      t: (key, params) => translate(locale, key, params),
      n: (key, count, params) => plural(locale, key, count, params),
      text: (v) => pick(v, locale),
      setLocale,
      ...formatters(locale),
    }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
