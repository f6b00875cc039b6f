// The harness's checks can fail: each refuses a page that breaks its rule, so a green run means
// the pages passed them, not that the checks looked at nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { checkA11y, checkFocusVisible, checkReflow, launchBrowser, newPage } from './harness.ts';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

describe('the harness checks', () => {
  test('checkA11y names the rule, the element and the fix of each violation', async () => {
    const { context, page } = await newPage(browser, 'en');
    try {
      await page.setContent('<!doctype html><html><title>t</title><main><input id="q"></main></html>');
      await assert.rejects(checkA11y(page, 'a page without lang and with an unlabelled input'), (error: Error) => {
        assert.match(error.message, /html-has-lang/);
        assert.match(error.message, /label.*\n.*\n\s+at #q/);
        return true;
      });
    } finally {
      await context.close();
    }
  });

  test('checkReflow refuses a page wider than 320 px', async () => {
    const { context, page } = await newPage(browser, 'en');
    try {
      await page.setContent('<!doctype html><html lang="en"><title>t</title><main><pre>' + 'x'.repeat(200));
      await assert.rejects(checkReflow(page, 'a wide page'), /scrolls sideways at 320 px/);
    } finally {
      await context.close();
    }
  });

  test('checkFocusVisible refuses a focused element without an indicator', async () => {
    const { context, page } = await newPage(browser, 'en');
    try {
      await page.setContent(
        '<!doctype html><html lang="en"><title>t</title><style>a:focus{outline:none}</style><main><a href="#x">x</a></main>',
      );
      await page.keyboard.press('Tab');
      await assert.rejects(checkFocusVisible(page, 'a link with outline:none'), /shows no focus indicator/);
    } finally {
      await context.close();
    }
  });
});
