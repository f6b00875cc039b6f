// The citizen's application journey for 出生一件事 (BIRTH) in a real browser, on the platform as
// `npm start` runs it: a demo citizen signs in with password and authenticator code from the start
// page, consents to prefill, sees the verified values locked with their source, answers the rest
// one group per page, checks the answers, declares and submits, gets a case number, and follows
// the case's per-department timeline — which changes live (SSE through the BFF) when the
// application is withdrawn in another tab. A second citizen does the whole journey with the
// keyboard alone, in English and 长辈版. axe reports nothing on any page, in every language and mode.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { generate } from 'otplib';
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
  type DemoAccount,
} from './harness.ts';
import {
  BIRTH_ANSWERS,
  answerEveryGroup,
  declareAndSubmit,
  departmentTimelines,
  fieldId,
  h1,
  consentToPrefill,
  openCase,
  openCheckAnswers,
  signInFromStart,
  startDraft,
  tabUntil,
  taskList,
  words,
} from './journey.steps.ts';

const stack = useStack();

/** 李四, the demo citizen with an authenticator: the mother in the data hub's birth record. */
const mother = (): DemoAccount => {
  const found = stack.platform.accounts.find((a) => a.kind === 'citizen' && a.totpSecret);
  assert.ok(found, 'a demo citizen with an authenticator');
  return found;
};

describe('the citizen applies for 出生一件事 online', () => {
  let caseUrl = '';
  let caseNumber = '';
  /** 李四's browser, kept from the first test to the withdrawal (an authenticator code is good once). */
  let citizen: Awaited<ReturnType<typeof newPage>> | undefined;
  after(async () => {
    await citizen?.context.close();
  });

  /** An officer of 公安局, signed in through the portal in a browser of their own, acts on a task through /portal/api. */
  async function officerActs(taskId: string, body: Record<string, unknown>): Promise<void> {
    const officer = account(stack.platform, 'officer', '330100-ga');
    const { context, page } = await newPage(stack.browser, 'zh-CN');
    try {
      await page.goto(`${stack.platform.url}/portal/login?return=/`);
      await signInOnIdentity(page, officer);
      await page.waitForURL(`${stack.platform.url}/`);
      const answer = (await page.evaluate(
        `(async () => { const s = await (await fetch('/portal/session')).json(); const r = await fetch('/portal/api/workflow/tasks/${taskId}/actions', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf }, body: ${JSON.stringify(JSON.stringify(body))} }); return { status: r.status, body: await r.text() }; })()`,
      )) as { status: number; body: string };
      assert.equal(answer.status, 200, answer.body);
    } finally {
      await context.close();
    }
  }

  test('signs in with password + code, applies with prefilled locked values, submits, follows the case live', async () => {
    citizen = await newPage(stack.browser, 'zh-CN');
    const { page } = citizen;
    {
      await signInFromStart(page, stack.platform.url, 'BIRTH', mother());
      await startDraft(page, 'journey-start');
      await consentToPrefill(page, 'journey-consent');
      const before = await taskList(page);
      assert.ok(
        before.some((t) => t.status === words('zh-CN', 'journey.status.verified')),
        `a group the hub filled entirely is verified: ${JSON.stringify(before)}`,
      );
      const locked = await answerEveryGroup(page, BIRTH_ANSWERS, 'journey');
      // The hospital's birth record and the population register: shown locked, with where they came from.
      const child = locked.find((l) => l.label === '新生儿姓名');
      assert.deepEqual(
        child && { value: child.value, verified: child.source.startsWith('已核验') },
        { value: '张小宝', verified: true },
        JSON.stringify(locked),
      );
      assert.match(child!.source, /卫生健康委员会/);
      assert.ok(
        locked.some(
          (l) => l.label === '母亲公民身份号码' && l.value === '330102199203152342' && /公安局/.test(l.source),
        ),
      );
      const after = await taskList(page);
      assert.ok(
        after.every(
          (t) =>
            [words('zh-CN', 'journey.status.verified'), words('zh-CN', 'journey.status.completed')].includes(
              t.status,
            ) || t.title === words('zh-CN', 'journey.check.title'),
        ),
        JSON.stringify(after),
      );
      await openCheckAnswers(page, 'journey-tasks');
      // Locked answers have no Change link; the others do, back to their page.
      const row = page.locator('.summary-list__row', { hasText: '新生儿姓名' });
      assert.equal(await row.getByRole('link').count(), 0, 'a verified value cannot be changed');
      assert.ok(await page.getByRole('link', { name: /修改 预防接种单位/ }).count());
      await checkReflow(page, 'check your answers');
      // The declaration is required: the error summary takes focus and links to it.
      await page.getByRole('button', { name: words('zh-CN', 'journey.submit') }).click();
      await page.locator('.error-summary').waitFor();
      assert.equal((await focused(page)).text.startsWith(words('zh-CN', 'errorSummary.title')), true);
      await checkA11y(page, 'check your answers with an error');
      await shoot(page, 'journey-check-error');
      const number = await declareAndSubmit(page, 'journey-check');
      caseNumber = number;
      assert.match(number, /\S{6,}/);
      await shoot(page, 'journey-confirmation');
      await openCase(page, 'journey-case');
      caseUrl = page.url();
      const timelines = await departmentTimelines(page);
      assert.ok(timelines.length >= 1, 'a section per department');
      assert.ok(
        timelines.some((d) => /卫生健康委员会/.test(d.department) && d.steps.length > 0),
        JSON.stringify(timelines),
      );

      // Live: an officer of 公安局 asks for a correction through the API; the open case page shows it by itself.
      const applicationId = new URL(caseUrl).pathname.split('/')[2]!;
      const view = (await page.evaluate(
        `fetch('/portal/api/workflow/applications/${applicationId}').then((r) => r.json())`,
      )) as { tasks: { id: string; departmentCode: string; version: number }[] };
      const ga = view.tasks.find((t) => t.departmentCode === '330100-GA');
      assert.ok(ga, 'a task at 公安局');
      await officerActs(ga.id, {
        action: 'requestCorrection',
        version: ga.version,
        reason: '请确认随父或随母落户，并提供父母结婚证',
        correction: { fields: ['child.registeredWith'], materials: ['marriage-certificate'] },
      });
      await page.getByRole('region', { name: words('zh-CN', 'journey.case.needed.title') }).waitFor();
      await page.locator('#live-status', { hasText: /办理进度已更新/ }).waitFor({ state: 'attached' });
      assert.equal(await page.locator('#live-status').getAttribute('aria-live'), 'polite');
      assert.ok(
        await page.getByText('请确认随父或随母落户，并提供父母结婚证').count(),
        'the officer’s reason is shown',
      );
      await checkA11y(page, 'the case page awaiting a correction');
      // The home page says so too ("needs my attention").
      const home = await citizen.context.newPage();
      await home.goto(`${stack.platform.url}/`);
      await home.getByRole('link', { name: /1 份申请需要你处理/ }).waitFor();
      await checkA11y(home, 'the home page with something needing attention');
      await home.close();
      await shoot(page, 'journey-case-correction');
      await page.getByRole('link', { name: words('zh-CN', 'journey.case.needed.answer') }).click();
      await h1(page, words('zh-CN', 'journey.correction.title'));
      await checkA11y(page, 'the correction page');
      // Sent empty: the error summary names the material.
      await page.getByRole('button', { name: words('zh-CN', 'journey.correction.send') }).click();
      await page.locator('.error-summary').waitFor();
      await checkA11y(page, 'the correction page with an error');
      await shoot(page, 'journey-correction');
      await page.locator('input[name="child.registeredWith"][value="2"]').check();
      await page.locator('#m-marriage-certificate').fill('licence:marriage-certificate:li-zhang');
      await page.getByRole('button', { name: words('zh-CN', 'journey.correction.send') }).click();
      await page.getByRole('heading', { level: 2, name: words('zh-CN', 'journey.case.departments') }).waitFor();
      await page
        .getByRole('region', { name: words('zh-CN', 'journey.case.needed.title') })
        .waitFor({ state: 'detached' });

      // My applications and my account, in zh-CN, English and 长辈版.
      for (const [path, name] of [
        ['/applications', 'journey-applications'],
        ['/account', 'journey-account'],
      ] as const) {
        await page.goto(`${stack.platform.url}${path}`);
        await h1(page, words('zh-CN', path === '/account' ? 'journey.account.title' : 'journey.applications.title'));
        await page.locator('.loading').first().waitFor({ state: 'detached' });
        await checkA11y(page, `${path} in zh-CN`);
        await checkReflow(page, `${path} in zh-CN`);
        await shoot(page, `${name}-zh-CN`);
      }
      await switchLanguage(page, 'en');
      await setElderMode(page, true);
      for (const [path, key] of [
        ['/account', 'journey.account.title'],
        ['/applications', 'journey.applications.title'],
        [new URL(caseUrl).pathname, 'journey.case.departments'],
      ] as const) {
        await page.goto(`${stack.platform.url}${path}`);
        if (key === 'journey.case.departments')
          await page.getByRole('heading', { level: 2, name: words('en', key) }).waitFor();
        else await h1(page, words('en', key));
        await page.locator('.loading').first().waitFor({ state: 'detached' });
        await checkA11y(page, `${path} in English, elder mode`);
        await shoot(page, `journey-${path.split('/')[1]}${path.split('/').length > 2 ? '-case' : ''}-en-elder`);
      }
    }
  });

  test('a second application, typed in full without consent, withdrawn in another tab: the open case page changes live', async () => {
    assert.ok(citizen, 'the first test signed the citizen in');
    const { context, page } = citizen;
    // The consent the first application gave, revoked on my account page: the hub stops prefilling at once.
    await page.goto(`${stack.platform.url}/account`);
    await h1(page, words('en', 'journey.account.title'));
    await page.getByRole('button', { name: `${words('en', 'journey.consents.revoke')} BIRTH` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: words('en', 'journey.consents.revoked', { purpose: 'BIRTH' }) })
      .waitFor({ state: 'attached' });
    await page.locator('.tag', { hasText: words('en', 'journey.consents.revokedTag') }).waitFor();
    await checkA11y(page, 'my account after revoking, English, elder mode');
    await page.goto(`${stack.platform.url}/apply/BIRTH`);
    await startDraft(page);
    await h1(page, words('en', 'journey.consent.title'));
    await page.getByLabel(words('en', 'journey.consent.no')).check();
    await page.getByRole('button', { name: words('en', 'journey.continue') }).click();
    const groups = await taskList(page);
    assert.ok(
      groups.every((g) => g.status !== words('en', 'journey.status.verified')),
      `nothing is verified without consent: ${JSON.stringify(groups)}`,
    );
    const locked = await answerEveryGroup(page, BIRTH_ANSWERS);
    assert.equal(locked.length, 0, 'nothing is locked without consent');
    await openCheckAnswers(page);
    await declareAndSubmit(page);
    await openCase(page);
    const withdraw = page.getByRole('link', { name: words('en', 'journey.withdraw.button') });
    await withdraw.waitFor();

    const other = await context.newPage();
    await other.goto(`${page.url()}/withdraw`);
    await h1(other, words('en', 'journey.withdraw.title'));
    await other.locator('.loading').first().waitFor({ state: 'detached' });
    // No reason: the error summary takes the focus and links to the field.
    await other.getByRole('button', { name: words('en', 'journey.withdraw.confirm') }).click();
    await other.locator('.error-summary').waitFor();
    assert.equal((await focused(other)).text.startsWith(words('en', 'errorSummary.title')), true);
    await checkA11y(other, 'the withdraw page with an error, English, elder mode');
    await shoot(other, 'journey-withdraw-en-elder');
    await other.getByLabel(words('en', 'journey.withdraw.reason')).fill('Applied twice by mistake');
    await other.getByRole('button', { name: words('en', 'journey.withdraw.confirm') }).click();
    await other.locator('.summary-list .tag', { hasText: words('en', 'journey.appStatus.withdrawn') }).waitFor();
    await other.close();

    // The first tab was not touched: the stream told it.
    await page.locator('.summary-list .tag', { hasText: words('en', 'journey.appStatus.withdrawn') }).waitFor();
    await page.locator('#live-status', { hasText: /The progress was updated/ }).waitFor({ state: 'attached' });
    assert.equal(await page.locator('#live-status').getAttribute('aria-live'), 'polite');
    assert.equal(await withdraw.count(), 0, 'no withdraw button once withdrawn');
    assert.ok(await page.getByText('Applied twice by mistake').count(), 'the reason is shown');
    await checkA11y(page, 'the case page, withdrawn, English, elder mode');
    await shoot(page, 'journey-case-withdrawn-en-elder');

    // A multi-factor session may replace its authenticator: the secret shown as text, confirmed with a code.
    await page.goto(`${stack.platform.url}/account`);
    await h1(page, words('en', 'journey.account.title'));
    await page.getByRole('button', { name: words('en', 'journey.totp.add') }).click();
    const secret = (await page.locator('#totp-secret').textContent())?.trim() ?? '';
    assert.match(secret, /^[A-Z2-7]{16,}$/, 'a base32 secret to type into an app');
    assert.ok(await page.getByText(/^otpauth:\/\/totp\//).count(), 'and its otpauth address');
    await checkA11y(page, 'adding an authenticator, English, elder mode');
    await shoot(page, 'journey-account-totp-en-elder');
    await page.locator('#totp-code').fill(await generate({ secret }));
    await page.getByRole('button', { name: words('en', 'journey.totp.confirm') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: words('en', 'journey.totp.done') })
      .waitFor({ state: 'attached' });
  });

  test('the whole journey with the keyboard alone (Tab, Enter, Space and typing), in English and 长辈版', async () => {
    const father = account(stack.platform, 'citizen', '33010619900101123X');
    const { context, page } = await newPage(stack.browser, 'en');
    try {
      await page.goto(`${stack.platform.url}/`);
      await switchLanguage(page, 'en');
      await setElderMode(page, true);
      await page.goto(`${stack.platform.url}/apply/BIRTH`);
      await h1(page, words('en', 'apply.title', { name: 'Birth: one application' }));

      const press = async (key: 'Enter' | 'Space') => page.keyboard.press(key === 'Space' ? ' ' : key);
      await tabUntil(page, (f) => f.text === words('en', 'apply.signIn.button'), 'start page');
      await press('Enter');
      await page.locator('#login').waitFor();
      await tabUntil(page, (f) => f.id === 'login', 'identity sign-in');
      await page.keyboard.type(father.login);
      await tabUntil(page, (f) => f.id === 'password', 'identity sign-in');
      await page.keyboard.type(father.password);
      await press('Enter');
      await page.waitForURL(`${stack.platform.url}/apply/BIRTH`);

      const start = page.getByRole('button', { name: words('en', 'journey.start.button') });
      await start.waitFor();
      await checkA11y(page, 'the start page, English, elder mode');
      await shoot(page, 'journey-start-en-elder');
      await tabUntil(page, (f) => f.text === words('en', 'journey.start.button'), 'start page');
      await press('Enter');
      await page.waitForURL(/\/apply\/BIRTH\/[0-9a-f-]{36}(\/consent)?$/);
      if (page.url().endsWith('/consent')) {
        await h1(page, words('en', 'journey.consent.title'));
        await checkA11y(page, 'the consent page, English, elder mode');
        await tabUntil(page, (f) => f.id === 'consent', 'consent page');
        await press('Space');
        await tabUntil(page, (f) => f.text === words('en', 'journey.continue'), 'consent page');
        await press('Enter');
      }
      await page.getByRole('heading', { level: 2, name: words('en', 'journey.tasks.questions') }).waitFor();
      await checkA11y(page, 'the task list, English, elder mode');
      await shoot(page, 'journey-tasks-en-elder');
      const first = (await taskList(page))[0]!;
      await tabUntil(page, (f) => f.text === first.title, 'task list');
      await press('Enter');

      // Each page: Tab through it, answering each empty field met, until "Save and continue".
      const keys = new Map(Object.entries(BIRTH_ANSWERS).map(([k, v]) => [fieldId(k), v]));
      for (let pageNo = 0; pageNo < 30; pageNo++) {
        await page.locator('main form').waitFor();
        const title = (await page.locator('h1').textContent())?.trim() ?? '';
        await checkA11y(page, `"${title}", English, elder mode`);
        if (pageNo === 0) await shoot(page, 'journey-questions-en-elder');
        const materials = title === words('en', 'journey.materials.title');
        const before = page.url();
        // The router puts the focus on <main> after each page: Tab down from there, filling what is empty.
        for (let stop = 0; stop < 200; stop++) {
          await page.keyboard.press('Tab');
          const f = await focused(page);
          if (f.text === words('en', 'journey.saveContinue')) break;
          const type = await page.evaluate('document.activeElement?.type ?? ""');
          const empty = (await page.evaluate('document.activeElement?.value ?? ""')) === '';
          if (type === 'radio') {
            if (!(await page.evaluate('document.activeElement.checked'))) await press('Space');
          } else if (type === 'text' && empty) {
            const value = materials ? `licence:${f.id}` : keys.get(f.id);
            if (value) await page.keyboard.type(value);
          }
        }
        await press('Enter');
        await page.waitForURL((u) => u.href !== before);
        if (!/\/(questions\/[^/]+|materials)$/.test(new URL(page.url()).pathname)) break;
      }
      await page.getByRole('heading', { level: 2, name: words('en', 'journey.tasks.submit') }).waitFor();
      await tabUntil(page, (f) => f.text === words('en', 'journey.check.title'), 'task list');
      await press('Enter');
      await h1(page, words('en', 'journey.check.title'));
      await checkA11y(page, 'check your answers, English, elder mode');
      await shoot(page, 'journey-check-en-elder');
      await tabUntil(page, (f) => f.id === 'declaration', 'check your answers', 300);
      await press('Space');
      await tabUntil(page, (f) => f.text === words('en', 'journey.submit'), 'check your answers');
      await press('Enter');
      await h1(page, words('en', 'journey.submitted.title'));
      await checkA11y(page, 'the confirmation, English, elder mode');
      await shoot(page, 'journey-confirmation-en-elder');
      await tabUntil(page, (f) => f.text === words('en', 'journey.submitted.follow'), 'confirmation');
      await press('Enter');
      await page.getByRole('heading', { level: 2, name: words('en', 'journey.case.departments') }).waitFor();
      await page.locator('.timeline__step').first().waitFor();
      await checkA11y(page, 'the case page, English, elder mode');

      // Another person's case (李四's, from the first test): refused by the API, said in words, nothing of it shown.
      if (caseUrl) {
        await page.goto(caseUrl);
        await page.locator('h1').waitFor();
        await page.locator('.loading').first().waitFor({ state: 'detached' });
        assert.equal(await page.locator('.department').count(), 0, 'no department of another person’s case');
        assert.equal(await page.getByText(caseNumber).count(), 0, 'not even its case number');
        await checkA11y(page, 'another person’s case, English, elder mode');
      }

      // Adding an authenticator needs a multi-factor sign-in: this password-only session is sent to step up.
      await page.goto(`${stack.platform.url}/account`);
      await h1(page, words('en', 'journey.account.title'));
      await page.locator('.loading').first().waitFor({ state: 'detached' });
      await tabUntil(page, (f) => f.text === words('en', 'journey.totp.add'), 'my account', 200);
      // The API answers 401 STEP_UP_REQUIRED; the page goes to sign in again asking for mfa (lib/problem.ts)
      // and comes back here. (This account has no second factor, so identity returns it as it was.)
      const stepUp = page.waitForRequest((r) => /\/portal\/login\?.*assurance=mfa/.test(r.url()));
      const refused = page.waitForResponse((r) => r.url().endsWith('/portal/api/identity/me/totp'));
      await press('Enter');
      const answer = await refused;
      assert.equal(answer.status(), 401);
      // (Its body is gone with the page; only STEP_UP_REQUIRED sends the browser to sign in with assurance=mfa.)
      assert.match((await stepUp).url(), /return=%2Faccount/);
      await h1(page, words('en', 'journey.account.title'));
    } finally {
      await context.close();
    }
  });
});
