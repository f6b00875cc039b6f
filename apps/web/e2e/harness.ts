// The real-browser harness: the platform started the way a person starts it (`tongban serve` on
// the embedded database, a fresh data directory, the demo city seeded), Debian's Chromium driven
// by playwright-core, and the checks every page must pass — axe with the WCAG 2.2 AA tags, reflow
// at 320 px, screenshots at 1280 px and 375 px into artifacts/e2e/ (git-ignored).
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { generate } from 'otplib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'apps/server/bin/tongban.js');
export const ARTIFACTS = join(root, 'artifacts/e2e');

export type Locale = 'zh-CN' | 'en';

export interface DemoAccount {
  readonly kind: string;
  readonly login: string;
  readonly password: string;
  readonly totpSecret?: string;
  readonly name: string;
}

export interface Platform {
  /** The URL the start summary prints (http://localhost:<port>), the issuer's origin too. */
  readonly url: string;
  /** The demo accounts the start summary lists. */
  readonly accounts: readonly DemoAccount[];
  /** The end of what the server wrote (its log lines), for a failing step's evidence. */
  logTail(chars?: number): string;
  stop(): Promise<void>;
}

/** The parent's environment without Tongban or test-runner settings, so the server runs as `npm start` would. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('TONGBAN_') && k !== 'NODE_ENV' && k !== 'NODE_TEST_CONTEXT' && k !== 'NODE_OPTIONS',
    ),
  );
}

/** `  citizen   330102199203152342       password Vgi9…   TOTP secret BKYC…   (李四)` */
const ACCOUNT_LINE = /^\s+(\w+)\s+(\S+)\s+password (\S+)(?:\s+TOTP secret (\S+))?\s+\((.+)\)\s*$/;

export function parseSummary(summary: string): { url: string; accounts: DemoAccount[] } {
  const url = /^\s+URL\s+(\S+)/m.exec(summary)?.[1];
  assert.ok(url, `the start summary names no URL:\n${summary}`);
  const accounts = summary
    .split('\n')
    .map((line) => ACCOUNT_LINE.exec(line))
    .filter((m) => m !== null)
    .map(([, kind, login, password, totpSecret, name]) => ({
      kind: kind!,
      login: login!,
      password: password!,
      name: name!,
      ...(totpSecret ? { totpSecret } : {}),
    }));
  return { url, accounts };
}

/**
 * `tongban serve` on a fresh data directory, port 0; resolves once the start summary (which the
 * server prints only when it listens) has listed the demo accounts.
 */
/** `env`: settings a test file needs beyond `npm start`'s (e.g. a trusted proxy, to speak from other addresses). */
export async function startPlatform(env: Record<string, string> = {}): Promise<Platform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tongban-e2e-'));
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bin, 'serve'], {
    cwd: root,
    env: {
      ...cleanEnv(),
      TONGBAN_DATA_DIR: dataDir,
      TONGBAN_PORT: '0',
      // TONGBAN_E2E_LOG_LEVEL=info shows more when a browser test needs explaining.
      TONGBAN_LOG_LEVEL: process.env['TONGBAN_E2E_LOG_LEVEL'] ?? 'warn',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  let tail = '';
  const keep = (chunk: string) => (tail = (tail + chunk).slice(-200_000));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    keep(chunk);
  });
  const exited = once(child, 'exit');
  const summary = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      keep(chunk);
      // The summary ends with the officers' count line after the accounts.
      if (/^\s+URL\s/m.test(stdout) && /officers in all/.test(stdout)) resolve(stdout);
    });
    void exited.then(([code]) =>
      reject(new Error(`tongban serve exited (${String(code)}) before it was ready:\n${stdout}\n${stderr}`)),
    );
  });
  const { url, accounts } = parseSummary(summary);
  return {
    url,
    accounts,
    logTail: (chars = 4000) => tail.slice(-chars),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The flags the project runs Chromium with (as root, in a container, offline). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
] as const;

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  assert.ok(existsSync(path), `no Chromium at ${path}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return path;
}

/**
 * Debian's Chromium. playwright-core gives every launch a fresh profile of its own (a mkdtemp
 * --user-data-dir it deletes on close) and refuses one passed in `args`, so none is passed here.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS], headless: true });
}

/** A context as a person in `locale` has it: the browser's language sets Accept-Language. */
export async function newPage(browser: Browser, locale: Locale): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

/**
 * Several people's browsers at once (a citizen, each department's officer, an operator): each
 * `open()` is a fresh context (its own cookies: its own sign-in); `close()` ends them all.
 */
export function people(browser: Browser, locale: Locale = 'zh-CN'): { open(): Promise<Page>; close(): Promise<void> } {
  const contexts: BrowserContext[] = [];
  return {
    async open() {
      const { context, page } = await newPage(browser, locale);
      contexts.push(context);
      return page;
    },
    async close() {
      for (const c of contexts.splice(0)) await c.close();
    },
  };
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

/** axe with the WCAG 2.2 AA tags; fails with every violation, the elements it found and how to fix them. */
export async function checkA11y(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags([...WCAG_TAGS]).analyze();
  const report = violations.map(
    (v) =>
      `- ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n  ${v.helpUrl}\n` +
      v.nodes.map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n'),
  );
  assert.equal(
    violations.length,
    0,
    `axe found ${violations.length} violation(s) on ${label} (${page.url()}):\n${report.join('\n')}`,
  );
}

/** WCAG 1.4.10 Reflow: at 320 CSS px the page scrolls in one direction only. */
export async function checkReflow(page: Page, label: string): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const width = await page.evaluate('document.documentElement.scrollWidth');
  // What sticks out the furthest, so a failure says where to look (a string: no DOM types here).
  const culprit =
    Number(width) <= 320
      ? ''
      : await page.evaluate(`(() => {
          let worst = null, right = 0;
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > right + 0.5) { right = r.right; worst = el; }
          }
          if (!worst) return '';
          const cls = typeof worst.className === 'string' && worst.className ? '.' + worst.className.split(' ').join('.') : '';
          return worst.tagName.toLowerCase() + cls + ' (right edge ' + Math.round(right) + ' px): ' + (worst.textContent || '').trim().slice(0, 80);
        })()`);
  if (before) await page.setViewportSize(before);
  assert.ok(
    Number(width) <= 320,
    `${label} scrolls sideways at 320 px (content is ${String(width)} px wide; widest: ${String(culprit)})`,
  );
}

export const SHOT_WIDTHS = [1280, 375] as const;

/** Full-page PNGs at 1280 px and 375 px: artifacts/e2e/<name>-1280.png and -375.png. */
export async function shoot(page: Page, name: string): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const before = page.viewportSize();
  const files: string[] = [];
  for (const width of SHOT_WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const path = join(ARTIFACTS, `${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    files.push(path);
  }
  if (before) await page.setViewportSize(before);
  return files;
}

const LANG_OF: Record<Locale, string> = { 'zh-CN': 'zh-CN', en: 'en' };
/** A language switch is named in the language it switches to (GOV.UK's pattern), whatever the page's language. */
const SWITCH_NAME: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

/**
 * Switches the page's language with its own control — a link or button named "English" or "中文"
 * — and waits until the document says it is in that language (`<html lang>`).
 */
export async function switchLanguage(page: Page, to: Locale): Promise<void> {
  const control = page
    .getByRole('link', { name: SWITCH_NAME[to], exact: true })
    .or(page.getByRole('button', { name: SWITCH_NAME[to], exact: true }))
    .first();
  await control.click();
  await page.locator(`html[lang="${LANG_OF[to]}"]`).waitFor({ state: 'attached' });
}

/**
 * Turns 长辈版 elder mode on or off with the page's own toggle in the header — a button named
 * "长辈版" / "Elder mode" while it is off and "标准版" / "Standard" while it is on — and waits
 * until the document says so (`<html class="elder">`).
 */
export async function setElderMode(page: Page, on: boolean): Promise<void> {
  const isOn = async () => (await page.locator('html.elder').count()) > 0;
  if ((await isOn()) !== on)
    await page
      .getByRole('banner')
      .getByRole('button', { name: on ? /长辈版|elder mode/i : /标准版|standard/i })
      .click();
  await page.locator(on ? 'html.elder' : 'html:not(.elder)').waitFor({ state: 'attached' });
}

/** A platform and a browser for one test file: started before its tests, stopped after them. */
export function useStack(env: Record<string, string> = {}): { readonly platform: Platform; readonly browser: Browser } {
  const stack = {} as { platform: Platform; browser: Browser };
  before(async () => {
    [stack.platform, stack.browser] = await Promise.all([startPlatform(env), launchBrowser()]);
  });
  after(async () => {
    await stack.browser?.close();
    await stack.platform?.stop();
  });
  return stack;
}

/** The demo account of a kind (and, for officers, a login suffix such as '330100-ga'). */
export function account(platform: Platform, kind: string, login?: string): DemoAccount {
  const found = platform.accounts.find((a) => a.kind === kind && (login === undefined || a.login.endsWith(login)));
  assert.ok(found, `the start summary lists no ${kind} account${login ? ` ${login}` : ''}`);
  return found;
}

/**
 * Signs in on identity's pages, which the page must be on (after a "sign in" link or a redirect):
 * login and password, then the authenticator code when the account has one. An authenticator code
 * is accepted once: an account that signs in twice within 30 s waits for the next code.
 */
export async function signInOnIdentity(page: Page, who: DemoAccount, locale: Locale = 'zh-CN'): Promise<void> {
  const words = locale === 'en' ? { next: 'Continue' } : { next: '继续' };
  await page.locator('#login').fill(who.login);
  await page.locator('#password').fill(who.password);
  await page.getByRole('button', { name: words.next }).click();
  if (who.totpSecret) {
    await page.locator('#code').waitFor();
    await page.locator('#code').fill(await freshCode(who.totpSecret));
    await page.locator('#code').press('Enter');
  }
}

const usedCodes = new Set<string>();
/** An authenticator code not used before in this run (identity accepts each code once). */
async function freshCode(secret: string): Promise<string> {
  for (;;) {
    const code = await generate({ secret });
    if (!usedCodes.has(`${secret}:${code}`)) {
      usedCodes.add(`${secret}:${code}`);
      return code;
    }
    // The next code comes with the next 30-second step: wait for that moment, not a guess.
    await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 50));
  }
}

/** The element that has keyboard focus, described for assertions: tag, id, name, text. */
export async function focused(page: Page): Promise<{ tag: string; id: string; name: string; text: string }> {
  return page.evaluate(
    `(() => { const e = document.activeElement; return { tag: e ? e.tagName.toLowerCase() : '', id: e?.id ?? '', name: e?.getAttribute('name') ?? '', text: (e?.textContent ?? '').trim() }; })()`,
  ) as Promise<{ tag: string; id: string; name: string; text: string }>;
}

/** WCAG 2.4.7 Focus Visible: the focused element draws a visible outline or a box shadow. */
export async function checkFocusVisible(page: Page, label: string): Promise<void> {
  const style = (await page.evaluate(
    `(() => { const s = getComputedStyle(document.activeElement); return { outline: s.outlineStyle, width: s.outlineWidth, color: s.outlineColor, shadow: s.boxShadow }; })()`,
  )) as { outline: string; width: string; color: string; shadow: string };
  // A transparent outline (kept for forced-colours mode) shows nothing by itself.
  const transparent = style.color === 'transparent' || /rgba\(.*,\s*0\)$/.test(style.color);
  const outlined = style.outline !== 'none' && parseFloat(style.width) > 0 && !transparent;
  const visible = outlined || style.shadow !== 'none';
  assert.ok(visible, `${label}: the focused element shows no focus indicator (${JSON.stringify(style)})`);
}
