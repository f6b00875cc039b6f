// Walks the sign-in pages for a password-only account, for tests that build their own
// authorization request.
import assert from 'node:assert/strict';
import { Browser, formAction } from './browser.ts';
import type { TestAccount } from './fixtures.ts';

/** Signs in through the pages and returns the URL the provider redirected to (unfetched). */
export async function signInAt(authorizationUrl: URL | string, account: TestAccount, redirect: string): Promise<URL> {
  const browser = new Browser();
  const page = await browser.follow(authorizationUrl, redirect);
  assert.equal(page.response?.status, 200, 'the sign-in page is shown');
  const next = await browser.follow(formAction(await page.response!.text(), page.url), redirect, {
    form: { login: account.login, password: account.password },
  });
  assert.ok(next.url.href.startsWith(redirect), `sign-in ends at the redirect URI, not ${next.url.href}`);
  return next.url;
}
