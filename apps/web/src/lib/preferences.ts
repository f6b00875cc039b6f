// The display preferences a visitor chooses: language and 长辈版 (elder mode). They are no
// secret, so localStorage keeps them; tokens never go there (the BFF's cookie holds the session).
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/messages.ts';

const LANG = 'tongban.lang';
const ELDER = 'tongban.elder';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: the defaults, for this visit
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage disabled or full: the choice lasts for this visit only
  }
}

export function savedLocale(): Locale {
  const value = read(LANG);
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

export function saveLocale(locale: Locale): void {
  write(LANG, locale);
}

/** 长辈版 is also a cookie, so that identity's server-rendered sign-in pages follow it (no script there). */
const ELDER_COOKIE = 'tongban_elder';

/** 长辈版 as the cookie says, if it says (the sign-in pages switch it there too), else as stored. */
export function savedElder(): boolean {
  let cookie: string | undefined;
  try {
    cookie = /(?:^|;\s*)tongban_elder=([01])(?:;|$)/.exec(document.cookie)?.[1];
  } catch {
    cookie = undefined; // cookies disabled
  }
  return (cookie ?? read(ELDER)) === '1';
}

export function saveElder(on: boolean): void {
  write(ELDER, on ? '1' : '0');
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${ELDER_COOKIE}=${on ? '1' : '0'}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}

/** Puts the language on <html lang>: screen readers, speech, fonts and line breaking follow it. */
export function applyLocale(locale: Locale): void {
  document.documentElement.lang = locale;
}

/** Elder mode is a class on <html>: the style sheet does the rest. */
export function applyElder(on: boolean): void {
  document.documentElement.classList.toggle('elder', on);
}
