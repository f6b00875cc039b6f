// Passkeys in a real browser, with Chromium's virtual authenticator (CDP WebAuthn domain: a
// platform authenticator that verifies the user): a citizen adds one on "my account", then signs
// in with password and passkey — the sign-in page's script, which no other test runs in a browser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkA11y, newPage, shoot, signInOnIdentity, useStack, type DemoAccount } from './harness.ts';
import { h1, words } from './journey.steps.ts';

const stack = useStack();
/** A platform authenticator (fingerprint, face, screen lock) that verifies the user and answers at once. */
const AUTHENTICATOR = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
} as const;

describe('passkeys', () => {
  test('a citizen adds a passkey on my account, then signs in with password and passkey', async () => {
    const citizen = stack.platform.accounts.find((a): a is DemoAccount => a.kind === 'citizen' && !!a.totpSecret);
    assert.ok(citizen, 'a demo citizen with an authenticator (adding a passkey needs multi-factor)');
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { ...AUTHENTICATOR },
      });

      await page.goto(`${stack.platform.url}/portal/login?return=${encodeURIComponent('/account')}&assurance=mfa`);
      await signInOnIdentity(page, citizen);
      await h1(page, words('zh-CN', 'journey.account.title'));
      await page.getByText(words('zh-CN', 'journey.passkeys.none')).waitFor();
      await page.getByRole('button', { name: words('zh-CN', 'journey.passkeys.add') }).click();
      await page
        .getByText(words('zh-CN', 'journey.passkeys.item', { n: 1 }), { exact: true })
        .first()
        .waitFor();
      assert.equal(
        await page.getByRole('status').first().innerText(),
        words('zh-CN', 'journey.passkeys.addedNow'),
        'the page says it was added',
      );
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      assert.equal(credentials.length, 1, 'the authenticator holds the new passkey');
      await checkA11y(page, 'my account with a passkey');
      await shoot(page, 'account-passkey-zh-CN');

      // Another browser (no identity session there), the same passkey on its authenticator: after
      // the password, the passkey is asked for (preferred over the authenticator code).
      const other = await newPage(stack.browser, 'zh-CN');
      try {
        const cdp2 = await other.context.newCDPSession(other.page);
        await cdp2.send('WebAuthn.enable');
        const second = await cdp2.send('WebAuthn.addVirtualAuthenticator', {
          options: { ...AUTHENTICATOR },
        });
        await cdp2.send('WebAuthn.addCredential', {
          authenticatorId: second.authenticatorId,
          credential: credentials[0]!,
        });
        const next = other.page;
        await next.goto(`${stack.platform.url}/portal/login?return=${encodeURIComponent('/account')}`);
        await next.locator('#login').fill(citizen.login);
        await next.locator('#password').fill(citizen.password);
        await next.getByRole('button', { name: '继续' }).click();
        await next.getByRole('heading', { level: 1, name: '使用通行密钥' }).waitFor();
        await checkA11y(next, 'the passkey sign-in page');
        await shoot(next, 'sign-in-passkey-zh-CN');
        await next.getByRole('button', { name: '使用通行密钥' }).click();
        await h1(next, words('zh-CN', 'journey.account.title'));
        const after = await cdp2.send('WebAuthn.getCredentials', { authenticatorId: second.authenticatorId });
        assert.ok((after.credentials[0]?.signCount ?? 0) > credentials[0]!.signCount, 'the passkey signed the sign-in');
      } finally {
        await other.context.close();
      }
    } finally {
      await context.close();
    }
  });
});
