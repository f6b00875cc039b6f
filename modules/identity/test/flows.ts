// A relying party walking the real sign-in pages, for tests that need tokens from identity.
import assert from 'node:assert/strict';
import type { TestPlatform } from '@tongban/kernel/testing';
import * as client from 'openid-client';
import { ACR_MFA, API_AUDIENCE } from '../src/service/provider.ts';
import { Browser, formAction } from './browser.ts';
import { registerBrowserClient, totpNow, type TestAccount } from './fixtures.ts';

export const REDIRECT = 'http://rp.example.test/callback';

export interface RelyingParty {
  readonly config: client.Configuration;
  /** Signs in through the pages; returns the tokens and the browser holding the session cookie. */
  signIn(
    account: TestAccount,
    options?: { at?: Date; mfa?: boolean },
  ): Promise<{ tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers; browser: Browser }>;
  /** An access token for the platform APIs (RFC 8707 resource), from a refresh token. */
  apiToken(refreshToken: string): Promise<{ accessToken: string; refreshToken: string }>;
}

export async function relyingParty(p: TestPlatform, clientId: string): Promise<RelyingParty> {
  const { issuer } = (await p.app.inject({ url: '/api/identity/keys' })).json() as { issuer: string };
  await registerBrowserClient(p, clientId, REDIRECT);
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  return {
    config,
    async signIn(account, options = {}) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid profile offline_access',
        state,
        ...(options.mfa ? { acr_values: ACR_MFA } : {}),
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const browser = new Browser();
      const page = await browser.follow(url, REDIRECT);
      let next = await browser.follow(formAction(await page.response!.text(), page.url), REDIRECT, {
        form: { login: account.login, password: account.password },
      });
      if (account.totpSecret) {
        next = await browser.follow(formAction(await next.response!.text(), next.url), REDIRECT, {
          form: { code: await totpNow(account.totpSecret, options.at) },
        });
      } else if (options.mfa && account.mobile) {
        next = await browser.follow(formAction(await next.response!.text(), next.url), REDIRECT, {
          form: { code: await lastSmsCode(p, account.mobile) },
        });
      }
      assert.ok(next.url.href.startsWith(REDIRECT), `sign-in ends at the relying party, not ${next.url.href}`);
      const tokens = await client.authorizationCodeGrant(config, next.url, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      return { tokens, browser };
    },
    async apiToken(refreshToken) {
      const r = await client.refreshTokenGrant(config, refreshToken, { resource: API_AUDIENCE });
      return { accessToken: r.access_token, refreshToken: r.refresh_token! };
    },
  };
}

/** The code in the newest development SMS to this mobile. */
export async function lastSmsCode(p: TestPlatform, mobile: string): Promise<string> {
  const sms = await p.database.db
    .selectFrom('identity.dev_sms')
    .select('text')
    .where('mobile', '=', mobile)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const code = /(\d{6})/.exec(String(sms?.text ?? ''))?.[1];
  assert.ok(code, `an SMS code was sent to ${mobile}`);
  return code;
}
