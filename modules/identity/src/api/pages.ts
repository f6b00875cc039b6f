// Server-rendered sign-in pages following the GOV.UK patterns: one thing per page, labelled
// inputs, an error summary that takes focus and links to the field, no puzzle captcha, no script
// (except the passkey page's one same-origin file, which asks the browser for the passkey).
// Focus as GOV.UK shows it: yellow with black, which stands out on white where yellow alone does not
// (WCAG 1.4.11, 3:1 against what is next to it); the transparent outline stays for forced colours.
import type { Lang } from '@tongban/kernel';
import type { DeadEnd } from '../service/provider.ts';
import { MESSAGES, type MessageKey } from './messages.ts';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface Field {
  readonly name: string;
  readonly label: MessageKey;
  readonly type: 'text' | 'password';
  readonly autocomplete: string;
  readonly inputmode?: 'numeric';
  readonly value?: string;
}

export interface PageInput {
  readonly lang: Lang;
  readonly heading: MessageKey;
  readonly action: string;
  readonly fields: readonly Field[];
  readonly error?: { readonly message: MessageKey; readonly field: string };
  /** The passkey page: where its script fetches the options from. */
  readonly passkeyOptions?: string;
  /** 长辈版, as the person chose it in the portal or here (its cookie `tongban_elder`): larger text and targets. */
  readonly elder?: boolean;
  /**
   * The step's own page, where the language and 长辈版 links go (a GET): a page shown after a post
   * has the post's address, which answers no GET.
   */
  readonly here: string;
  /** The first page of a sign-in links to registration (the portal's /register). */
  readonly registerLink?: boolean;
}

/** 长辈版 (适老化): body text 22 px, targets at least 60 px high; black on white as always. */
const ELDER_CSS =
  '.elder body{font-size:22px}.elder input,.elder button,.elder .button{min-height:60px}.elder button{min-width:12rem}.elder .switches a{display:inline-flex;align-items:center;min-height:60px;padding:0 .6rem}.read-aloud{margin:0;background:#0b0c0c}';

/** The cookie the portal keeps 长辈版 in (apps/web lib/preferences.ts), read by the sign-in pages. */
export function elderOf(cookieHeader: string | undefined): boolean {
  return /(?:^|;\s*)tongban_elder=1(?:;|$)/.test(cookieHeader ?? '');
}

/** The cookie as the web app writes it (no secret: a display preference, readable by the portal's script). */
export function elderCookie(on: boolean, secure: boolean): string {
  return `tongban_elder=${on ? '1' : '0'}; Path=/; Max-Age=31536000; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The portal's header (black, its name and tagline), so the sign-in reads as the same service. */
const BRAND_CSS =
  'body{margin:0;max-width:none;padding:0}main{max-width:32rem;margin:2rem auto;padding:0 1rem}.brand{background:#0b0c0c;color:#fff;padding:.8rem 1rem;border-bottom:8px solid #1d70b8}.brand__inner{max-width:32rem;margin:0 auto}.brand a{color:#fff;font-weight:700;font-size:1.3em;text-decoration:none;margin-right:.6rem}.brand a:focus{color:#0b0c0c}';

function brand(t: (key: MessageKey) => string): string {
  return `<header class="brand"><div class="brand__inner"><a href="/">${t('brand')}</a><span>${t('tagline')}</span></div></header>`;
}

const htmlTag = (lang: Lang, elder: boolean | undefined) =>
  `<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"${elder ? ' class="elder"' : ''}>`;

export function signInPage(input: PageInput): string {
  const t = (key: MessageKey) => escape(MESSAGES[key][input.lang]);
  const other = input.lang === 'zh' ? 'en' : 'zh';
  const summary = input.error
    ? `<div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
  <h2 id="error-summary-title">${t('errorSummary')}</h2>
  <ul><li><a href="#${escape(input.error.field)}">${t(input.error.message)}</a></li></ul>
</div>`
    : '';
  const fields = input.fields
    .map((f) => {
      const invalid = input.error?.field === f.name;
      return `<div class="field${invalid ? ' field--error' : ''}">
  <label for="${f.name}">${t(f.label)}</label>
  ${invalid ? `<p id="${f.name}-error" class="error-message">${t(input.error!.message)}</p>` : ''}
  <input id="${f.name}" name="${f.name}" type="${f.type}" autocomplete="${f.autocomplete}"${f.inputmode ? ` inputmode="${f.inputmode}"` : ''}${invalid ? ` aria-invalid="true" aria-describedby="${f.name}-error"` : ''}${f.value ? ` value="${escape(f.value)}"` : ''} required>
</div>`;
    })
    .join('\n');
  return `<!doctype html>
${htmlTag(input.lang, input.elder)}
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.error ? `${t('errorSummary')}: ` : ''}${t('title')}</title>
<style>
body{font:18px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c}
label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;width:100%;box-sizing:border-box;min-height:48px;padding:.4rem;border:2px solid #0b0c0c}
input:focus{outline:3px solid #fd0;outline-offset:0;box-shadow:inset 0 0 0 2px #0b0c0c}
a:focus{outline:3px solid transparent;background:#fd0;color:#0b0c0c;box-shadow:0 -2px #fd0,0 4px #0b0c0c;text-decoration:none}
button:focus{outline:3px solid transparent;background:#fd0;color:#0b0c0c;box-shadow:0 2px 0 #0b0c0c}
button{font:inherit;min-height:48px;min-width:8rem;margin-top:1.5rem;background:#00703c;color:#fff;border:0;padding:.5rem 1rem}
.error-summary{border:4px solid #d4351c;padding:1rem}.error-summary a{color:#d4351c;font-weight:600}
.field--error{border-left:5px solid #d4351c;padding-left:.8rem}.switches a{margin-right:1.2rem}.register{margin-top:2rem}a{color:#1d70b8}.error-message{color:#d4351c;font-weight:600;margin:.2rem 0}
${BRAND_CSS}${ELDER_CSS}
</style></head>
<body>${brand(t)}<main>
<p class="switches"><a href="${escape(`${input.here}?lang=${other}`)}" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${t('language')}</a>
<a href="${escape(`${input.here}?lang=${input.lang}&elder=${input.elder ? '0' : '1'}`)}">${t(input.elder ? 'elderOff' : 'elderOn')}</a>${
    input.elder
      ? `\n<button type="button" id="read-aloud" class="read-aloud" aria-pressed="false" data-stop="${escape(t('readAloudStop'))}" hidden>${t('readAloud')}</button>`
      : ''
  }</p>
${summary}
<h1>${t(input.heading)}</h1>
${
  input.passkeyOptions
    ? `<p>${t('passkeyHint')}</p>
<form id="passkey-form" method="post" action="${escape(input.action)}" data-options="${escape(input.passkeyOptions)}" novalidate>
<input type="hidden" id="credential" name="credential" value="">
<button id="passkey-button" type="submit"${input.error ? '' : ' autofocus'}>${t('passkeyButton')}</button>
</form>
<noscript><p>${t('passkeyNoScript')}</p></noscript>
<script src="/api/identity/static/passkey.js" defer></script>`
    : `<form method="post" action="${escape(input.action)}" novalidate>
${fields}
<button type="submit">${t('continue')}</button>
</form>${input.registerLink ? `\n<p class="register">${t('noAccount')} <a href="/register">${t('register')}</a></p>` : ''}`
}
</main>${input.elder ? '<script src="/api/identity/static/read-aloud.js" defer></script>' : ''}</body></html>`;
}

/**
 * Where a sign-in cannot go on (an expired or cookieless page, an unknown client, an unregistered
 * redirect_uri): a page that says why in the person's language and where to start again — never
 * the client's unverified redirect, only the portal on the issuer's own origin.
 */
export function deadEndPage(input: {
  readonly lang: Lang;
  readonly reason: DeadEnd;
  readonly startAgain: string;
  readonly code?: string;
  readonly elder?: boolean;
}): string {
  const t = (key: MessageKey) => escape(MESSAGES[key][input.lang]);
  return `<!doctype html>
${htmlTag(input.lang, input.elder)}
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('deadEndTitle')} — ${t('title')}</title>
<style>body{font:18px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c}
a{color:#1d70b8}a:focus{outline:3px solid transparent;background:#fd0;color:#0b0c0c;box-shadow:0 -2px #fd0,0 4px #0b0c0c;text-decoration:none}.button{display:inline-block;min-height:48px;margin-top:1rem;padding:.6rem 1rem;background:#00703c;color:#fff;text-decoration:none;box-sizing:border-box}
.code{color:#505a5f;font-size:.9em}${BRAND_CSS}${ELDER_CSS}</style></head>
<body>${brand(t)}<main>
<h1>${t('deadEndTitle')}</h1>
<p>${t(input.reason)}</p>
<p><a class="button" href="${escape(input.startAgain)}">${t('deadEndStartAgain')}</a></p>
${input.code ? `<p class="code">${t('deadEndCode')}: ${escape(input.code)}</p>` : ''}
</main></body></html>`;
}

/** The sign-out confirmation around oidc-provider's form: both languages, no third-party fonts, a real button. */
export function logoutPage(form: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>退出登录 Sign out — 通办</title><style>body{font:18px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}button{font:inherit;min-height:48px;margin:.5rem .5rem 0 0;padding:.5rem 1rem}</style></head>
<body><main><h1>退出登录？<span lang="en"> Sign out?</span></h1>${form}
<button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">退出 <span lang="en">Sign out</span></button>
<button type="submit" form="op.logoutForm">保持登录 <span lang="en">Stay signed in</span></button></main></body></html>`;
}

/**
 * 朗读本页 in 长辈版: reads the page's main content with the browser's speech synthesis, in the
 * page's language; the button stays hidden where the browser cannot speak (or runs no script).
 */
export const READ_ALOUD_SCRIPT = `'use strict';
(function () {
  var button = document.getElementById('read-aloud');
  if (!button || !('speechSynthesis' in window) || !('SpeechSynthesisUtterance' in window)) return;
  var start = button.textContent;
  var stop = button.getAttribute('data-stop');
  var set = function (on) { button.setAttribute('aria-pressed', on ? 'true' : 'false'); button.textContent = on ? stop : start; };
  button.hidden = false;
  button.addEventListener('click', function () {
    if (button.getAttribute('aria-pressed') === 'true') { speechSynthesis.cancel(); set(false); return; }
    var main = document.querySelector('main');
    var text = '';
    main.childNodes.forEach(function (n) { if (n.nodeType === 1 && n.classList.contains('switches')) return; text += ' ' + (n.innerText || n.textContent || ''); });
    text = text.trim();
    if (!text) return;
    var u = new SpeechSynthesisUtterance(text);
    u.lang = document.documentElement.lang; u.rate = 0.9;
    u.onend = u.onerror = function () { set(false); };
    speechSynthesis.cancel(); speechSynthesis.speak(u); set(true);
  });
  window.addEventListener('pagehide', function () { speechSynthesis.cancel(); });
})();
`;
