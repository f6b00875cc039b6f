// 安全运营 at /security as a security operator's browser gets it: an address probes the API
// (25 refused requests, through the trusted proxy as if from elsewhere), sentinel's probing rule
// raises an alert and throttles that address; the security operator signs in (password +
// authenticator code), finds the alert in the queue, triages it — assigns it to themself, is
// told a reason is needed, closes it with one — then takes a manual block of another address
// and lifts it with a reason. No WCAG 2.2 AA violations in zh-CN, English and 长辈版.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  account,
  checkA11y,
  checkReflow,
  focused,
  newPage,
  setElderMode,
  shoot,
  signInOnIdentity,
  switchLanguage,
  useStack,
} from './harness.ts';

// The browser speaks from 127.0.0.1; the probe says it comes from a documentation address, through
// the proxy the platform is told to trust. Behind a proxy the public URL is set, as in production
// (without it the portal's discovery saw another issuer: a gap noted in docs/security.md).
const port = await new Promise<number>((resolve) => {
  const probeServer = createServer().listen(0, () => {
    const { port: free } = probeServer.address() as AddressInfo;
    probeServer.close(() => resolve(free));
  });
});
const stack = useStack({
  TONGBAN_HTTP_TRUST_PROXY: '127.0.0.1,::1',
  TONGBAN_PORT: String(port),
  TONGBAN_PUBLIC_URL: `http://localhost:${port}`,
});
const PROBE = '203.0.113.50';
const BLOCKED = '198.51.100.7';

async function probe(): Promise<void> {
  for (let i = 0; i < 25; i++) {
    const r = await fetch(`${stack.platform.url}/api/workflow/applications`, {
      headers: { 'x-forwarded-for': PROBE, accept: 'application/json' },
    });
    await r.arrayBuffer();
    assert.ok(r.status === 401 || r.status === 429, `a refusal, not ${r.status}`);
  }
}

/** The queue, read again until sentinel's alert is there (it comes through the bus, not this request). */
async function waitForAlert(page: Page, name: RegExp): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await page.goto(`${stack.platform.url}/security`);
    await page.getByRole('heading', { level: 1, name: '告警队列' }).waitFor();
    await page.locator('main .loading').waitFor({ state: 'detached' });
    if ((await page.getByRole('link', { name }).count()) > 0) return;
    assert.ok(attempt < 40, `no alert ${name} in the queue:\n${stack.platform.logTail()}`);
    await page.waitForEvent('requestfinished', { timeout: 500 }).catch(() => undefined);
  }
}

/**
 * What the guard answers an address, asked again until `wanted` holds: a response reaches the
 * guard through the outbox and the bus after sentinel's answer (issue 14 measured < 100 ms; the
 * requirement is 1 s), so the first request after the page says "done" may still be early.
 */
async function guardAnswers(ip: string, wanted: (status: number) => boolean, what: string): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const r = await fetch(`${stack.platform.url}/api/catalog/matters`, { headers: { 'x-forwarded-for': ip } });
    await r.arrayBuffer();
    if (wanted(r.status)) return r.status;
    assert.ok(Date.now() < deadline, `${what}: still ${r.status} after 5 s`);
    // Nothing outside the platform's process can await its bus: ask again shortly, within the deadline.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('security operations at /security', () => {
  test('signed out it offers to sign in; a citizen is told it is for security operators', async () => {
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      await page.goto(`${stack.platform.url}/security`);
      await page.getByRole('heading', { level: 1, name: '安全运营' }).waitFor();
      await checkA11y(page, '/security signed out');
      await page.getByRole('main').getByRole('button', { name: '登录', exact: true }).click();
      await signInOnIdentity(page, account(stack.platform, 'citizen'));
      await page.getByRole('heading', { level: 1, name: '本页面仅供安全运营人员使用' }).waitFor();
      await checkA11y(page, '/security refused to a citizen');
      const refused = await page.evaluate(`fetch('/portal/api/sentinel/alerts').then((r) => r.status)`);
      assert.equal(refused, 403, 'the API refuses a citizen the alert queue');
    } finally {
      await context.close();
    }
  });

  test('a probe is alerted and throttled; the security operator triages it, blocks an address by hand and lifts it', async () => {
    await probe();
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      await page.goto(`${stack.platform.url}/security`);
      await page.getByRole('main').getByRole('button', { name: '登录', exact: true }).click();
      await signInOnIdentity(page, account(stack.platform, 'security'));
      await waitForAlert(page, /反复越权访问/);
      await checkA11y(page, 'the alert queue in zh-CN');
      await checkReflow(page, 'the alert queue in zh-CN');
      await shoot(page, 'security-queue');

      await page
        .getByRole('link', { name: /反复越权访问/ })
        .first()
        .click();
      await page.getByRole('heading', { level: 1, name: /反复越权访问/ }).waitFor();
      const main = page.getByRole('main');
      await main.getByText(`地址 ${PROBE}`).first().waitFor();
      await main.getByRole('rowheader', { name: '限流地址' }).waitFor();
      await checkA11y(page, 'an alert in zh-CN');
      await shoot(page, 'security-alert');

      await main.getByRole('button', { name: '分派给我' }).click();
      await main
        .getByText(/已分派给/)
        .first()
        .waitFor();
      // Closing without a reason: the error summary takes focus and links to the fields.
      await main.getByRole('button', { name: '关闭告警' }).click();
      const summary = page.getByRole('alert');
      await summary.getByRole('link', { name: '请填写理由' }).waitFor();
      assert.equal((await focused(page)).tag, 'div', 'the error summary has focus');
      await checkA11y(page, "an alert's error summary in zh-CN");
      await shoot(page, 'security-alert-error');
      await main.getByRole('radio', { name: '确认攻击' }).check();
      await page.locator('#close-reason').fill('扫描器探测接口，已限流');
      await main.getByRole('button', { name: '关闭告警' }).click();
      await main.getByText('告警已关闭。').waitFor();
      await main.getByRole('button', { name: '重新打开' }).waitFor();

      await switchLanguage(page, 'en');
      await page.getByRole('heading', { level: 1, name: /Repeated access denials/ }).waitFor();
      await checkA11y(page, 'a closed alert in English');
      await setElderMode(page, true);
      await checkA11y(page, 'a closed alert in English, 长辈版');
      await shoot(page, 'security-alert-closed-en-elder');
      await setElderMode(page, false);
      await switchLanguage(page, 'zh-CN');

      // A manual block, then lifted with a reason.
      await page.getByRole('link', { name: '处置措施' }).click();
      await page.getByRole('heading', { level: 1, name: '处置措施' }).waitFor();
      await page.locator('main .loading').waitFor({ state: 'detached' });
      await page.locator('#manual-action').selectOption('block-address');
      await page.locator('#manual-ip').fill(BLOCKED);
      await page.locator('#manual-minutes').fill('30');
      await page.locator('#manual-reason').fill('演练：人工封禁');
      await main.getByRole('button', { name: '执行处置' }).click();
      await main.getByText('处置已生效。').waitFor();
      await main.getByRole('cell', { name: BLOCKED }).first().waitFor();
      await guardAnswers(BLOCKED, (status) => status === 403, 'the blocked address is refused by the guard');
      await checkA11y(page, 'responses in zh-CN');
      await shoot(page, 'security-responses');
      await main.getByRole('radio', { name: new RegExp(`封禁地址 · ${BLOCKED.replaceAll('.', '\\.')}`) }).check();
      await page.locator('#lift-reason').fill('演练结束');
      await main.getByRole('button', { name: '解除处置' }).click();
      await main.getByText('处置已解除。').waitFor();
      await guardAnswers(
        BLOCKED,
        (status) => status !== 403 && status !== 429,
        'lifted: the address is answered again',
      );
      await switchLanguage(page, 'en');
      await page.getByRole('heading', { level: 1, name: 'Responses' }).waitFor();
      await checkA11y(page, 'responses in English');
      await setElderMode(page, true);
      await checkA11y(page, 'responses in English, 长辈版');
      await shoot(page, 'security-responses-en-elder');
    } finally {
      await context.close();
    }
  });
});
