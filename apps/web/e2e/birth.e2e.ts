// 出生一件事 from end to end, every act in the browser: the mother signs in with password and
// authenticator code and applies through the journey's pages with the values the registries
// verified shown locked; each department's officer finds the task in the workbench and acts on it,
// one asking for a correction that the mother answers on her case page; her open case page follows
// every step live (SSE through the portal) until the application is complete; then an operator
// publishes a new version of a matter in the console, with one validation error shown and fixed.
// 免证办: the 落户 officer sees the 出生医学证明 that 卫健委's approval issued as the task's material,
// verified — the mother gave none.
// The pages on the way are checked by axe where the area tests do not already check them
// (journey, workbench and console tests cover each area in zh-CN, English and 长辈版).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { openMatterEditor, publishMatterWithOneError, signInToConsole } from './console.steps.ts';
import { account, checkA11y, people, shoot, useStack, type DemoAccount } from './harness.ts';
import { readQr } from './qr.ts';
import {
  answerEveryGroup,
  consentToPrefill,
  declareAndSubmit,
  departmentTimelines,
  h1,
  openCase,
  openCheckAnswers,
  signInFromStart,
  startDraft,
  words,
} from './journey.steps.ts';
import {
  actOnTask,
  applicationOf,
  callApi,
  claimInQueue,
  findInQueue,
  licenceMaterialShown,
  openCase as openTask,
  signInOfficer,
  type ApplicationSummary,
} from './workbench.steps.ts';

const stack = useStack();

/** 出生登记（新生儿落户）: its 出生医学证明 is the licence the bundle's first matter issues. */
const BIRTH_REGISTRATION = '330100-GA-001';
/** 生育津贴及生育医疗费用申领: asks for the 出生医学证明 too, applied for alone after the birth. */
const MATERNITY = '330100-YB-002';

/** The demo citizen with an authenticator: 李四, the mother in the demo registries. */
function mother(): DemoAccount {
  const found = stack.platform.accounts.find((a) => a.kind === 'citizen' && a.totpSecret);
  assert.ok(found, 'a demo citizen with an authenticator');
  return found;
}

/** Runs a step; when it fails, the error says where the page was and what it showed (a flake's evidence). */
async function explained(page: Page, step: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const shown = await page
      .locator('body')
      .innerText()
      .catch(() => '(no page)');
    const log = stack.platform.logTail();
    throw new Error(
      `${step}: ${String(error)}\nat ${page.url()}, showing:\n${shown.slice(0, 1500)}\nserver log:\n${log}`,
      {
        cause: error,
      },
    );
  }
}

/** How many steps the case page's timelines show now. */
const stepsShown = async (page: Page) => (await departmentTimelines(page)).reduce((sum, d) => sum + d.steps.length, 0);

/** Waits, without reloading, until the case page shows more than `count` steps (the live feed). */
async function moreStepsThan(page: Page, count: number): Promise<void> {
  await page.waitForFunction(`document.querySelectorAll('.timeline__action').length > ${count}`);
}

test('出生一件事: applied for in the browser, every department acts in the workbench, one correction answered, followed live to completion; an operator publishes with one error fixed', async () => {
  const { platform, browser } = stack;
  const base = platform.url;
  const { open, close } = people(browser);
  try {
    // The mother applies: password + code, consent to prefill, locked verified values, check, declare, submit.
    const citizen = await open();
    await signInFromStart(citizen, base, 'BIRTH', mother());
    await startDraft(citizen);
    await consentToPrefill(citizen);
    const locked = await answerEveryGroup(citizen);
    assert.ok(
      locked.some((l) => l.label === '新生儿姓名' && l.value === '张小宝' && /卫生健康委员会/.test(l.source)),
      `the hospital's birth record is shown locked with its source: ${JSON.stringify(locked)}`,
    );
    await openCheckAnswers(citizen);
    const caseNumber = await declareAndSubmit(citizen);
    await openCase(citizen, 'birth-case-submitted');
    const id = new URL(citizen.url()).pathname.split('/')[2]!;
    let app: ApplicationSummary = await applicationOf(citizen, id);
    assert.equal(app.caseNumber, caseNumber, 'the confirmation shows the case number');

    const officers = new Map<string, Page>();
    const officerFor = async (department: string) => {
      const known = officers.get(department);
      if (known) return known;
      const page = await open();
      await explained(page, `the officer of ${department} signs in`, () =>
        signInOfficer(page, base, account(platform, 'officer', department.toLowerCase())),
      );
      officers.set(department, page);
      return page;
    };

    let corrected = false;
    let licenceOfCase: string | undefined;
    const acted = new Set<string>();
    // Departments act as their tasks start (a task that needs another's result waits for it).
    for (let round = 0; round < 10; round++) {
      app = await applicationOf(citizen, id);
      const ready = app.tasks.filter((t) => t.state === 'submitted' && !acted.has(t.id));
      if (ready.length === 0) break;
      for (const task of ready) {
        acted.add(task.id);
        const officer = await officerFor(task.departmentCode);
        const row = await findInQueue(officer, base, caseNumber);
        await claimInQueue(officer, row);
        await openTask(officer, caseNumber);
        if (task.matterCode === BIRTH_REGISTRATION) {
          await explained(officer, '落户 shows the 出生医学证明 licence as its material', async () => {
            const shown = await licenceMaterialShown(officer, task.id, caseNumber, 'birth-certificate');
            assert.match(shown.identifier, /^1\.2\.156\.3005\.2\./, shown.text);
            assert.match(shown.text, /电子证照 · 已核验/);
            assert.match(shown.text, /出生医学证明/);
            licenceOfCase = shown.identifier;
          });
          await checkA11y(officer, 'the 落户 task with a licence as its material');
          await shoot(officer, 'birth-registration-licence-material');
        }

        if (!corrected && task.process === 'immediate') {
          // 补正: the officer asks; the mother's open page shows it by itself, and she answers there.
          await actOnTask(officer, 'requestCorrection', '预防接种单位与居住地不符，请重新选择', ['预防接种单位']);
          const needed = citizen.getByRole('region', { name: words('zh-CN', 'journey.case.needed.title') });
          await needed.waitFor();
          await citizen.getByText('预防接种单位与居住地不符，请重新选择').first().waitFor();
          await shoot(citizen, 'birth-case-correction');
          await citizen.getByRole('link', { name: words('zh-CN', 'journey.case.needed.answer') }).click();
          await h1(citizen, words('zh-CN', 'journey.correction.title'));
          await checkA11y(citizen, 'the correction page');
          await citizen.getByLabel('预防接种单位').fill('文三街道社区卫生服务站');
          await citizen.getByRole('button', { name: words('zh-CN', 'journey.correction.send') }).click();
          await needed.waitFor({ state: 'detached' });
          corrected = true;
          // The officer's case shows the corrected answer.
          await officer.reload();
          await officer.getByRole('heading', { level: 1, name: `办件 ${caseNumber}` }).waitFor();
          await officer.getByText('文三街道社区卫生服务站').waitFor();
        }

        const before = await stepsShown(citizen);
        await actOnTask(officer, 'accept');
        if (task.process === 'standard') await actOnTask(officer, 'review');
        await actOnTask(officer, 'approve', '材料齐全，符合条件');
        // Live: the mother's page (never reloaded here) shows the new steps.
        await moreStepsThan(citizen, before);
      }
    }

    app = await applicationOf(citizen, id);
    assert.ok(corrected, 'one department asked for a correction, and the mother answered it');
    assert.ok(licenceOfCase, "落户's officer saw the 出生医学证明 as its material");
    assert.deepEqual(
      app.tasks.filter((t) => t.state !== 'approved').map((t) => `${t.matterCode}: ${t.state}`),
      [],
      'every department approved',
    );
    assert.equal(app.status, 'completed');
    // Completion reaches the open page live too.
    await citizen.getByText(words('zh-CN', 'journey.appStatus.completed')).first().waitFor();
    await checkA11y(citizen, 'the completed case page');
    await shoot(citizen, 'birth-case-completed');

    // 电子证照: the mother's licences page lists the 出生医学证明 the approval issued; its code,
    // shown as she would show it, is checked on the public page by someone not signed in.
    // Issued by the licences module's issuer after the approval's event: awaited through the portal.
    await citizen.waitForFunction(
      async () => {
        const r = await fetch('/portal/api/licenses/me', { headers: { accept: 'application/json' } });
        return r.ok && ((await r.json()) as { licences: unknown[] }).licences.length > 0;
      },
      undefined,
      { polling: 200, timeout: 15_000 },
    );
    await citizen.goto(`${base}/licences`);
    await h1(citizen, words('zh-CN', 'licences.title'));
    const certificate = citizen.getByRole('region', { name: '出生医学证明' });
    // The one 落户 was given as its material.
    await certificate.getByText(licenceOfCase!, { exact: true }).waitFor();
    const qr = certificate.getByRole('img', { name: words('zh-CN', 'licences.qrAlt', { name: '出生医学证明' }) });
    await explained(citizen, 'the mother shows her licence code (亮证)', async () => {
      await certificate.getByRole('button', { name: /出示证照码/ }).click();
      await qr.waitFor();
    });
    // The code as the page holds it — base45 has a space, so it is not trimmed — and as it renders
    // (what a copy takes): the same, its runs of spaces not collapsed.
    const shownCode = certificate.locator('code[id$="-code"]');
    const code = (await shownCode.textContent()) ?? '';
    assert.match(code, /^TB1:/);
    assert.equal(await shownCode.innerText(), code, 'the code renders with its spaces as they are');
    await checkA11y(citizen, 'my licences with a code shown');
    await shoot(citizen, 'licences-zh-CN');
    const verifier = await open();
    await verifier.goto(`${base}/verify`);
    await h1(verifier, words('zh-CN', 'verify.title'));
    // The QR symbol read from its rendered pixels (jsQR, not the encoder) is the code the page shows,
    // and a picture of it — what a phone's camera would take — is what the verifier gives /verify.
    assert.equal(await readQr(qr), code, 'the QR on the page carries the code');
    const picture = await qr.screenshot();
    await explained(verifier, 'the QR picture is read and checked valid on /verify', async () => {
      await verifier
        .getByLabel(words('zh-CN', 'verify.scan.image'))
        .setInputFiles({ name: 'licence-qr.png', mimeType: 'image/png', buffer: picture });
      await verifier.getByRole('heading', { name: words('zh-CN', 'verify.valid') }).waitFor();
      await verifier.getByText('出生医学证明').waitFor();
    });
    assert.equal(await verifier.getByLabel(words('zh-CN', 'verify.code')).inputValue(), code, 'read from the picture');
    await checkA11y(verifier, 'the licence check, valid');
    await shoot(verifier, 'verify-valid-zh-CN');
    await verifier.getByLabel(words('zh-CN', 'verify.code')).fill(code.slice(0, 80));
    await verifier.getByRole('button', { name: words('zh-CN', 'verify.submit') }).click();
    await verifier.getByRole('heading', { name: words('zh-CN', 'verify.invalid') }).waitFor();
    await checkA11y(verifier, 'the licence check, refused');
    await shoot(verifier, 'verify-refused-zh-CN');
    // Pasted whole as text, the same code holds.
    await verifier.getByLabel(words('zh-CN', 'verify.code')).fill(code);
    await verifier.getByRole('button', { name: words('zh-CN', 'verify.submit') }).click();
    await verifier.getByRole('heading', { name: words('zh-CN', 'verify.valid') }).waitFor();

    // 免证办 with consent: applying for 生育津贴 next, the mother is offered her 出生医学证明 instead
    // of an upload, and ticking it puts the licence in her draft as `lic:<identifier>`.
    await citizen.goto(`${base}/apply/${MATERNITY}`);
    const draftId = await startDraft(citizen);
    await explained(citizen, 'the materials page offers the licence, and it is used when ticked', async () => {
      await citizen.goto(`${base}/apply/${MATERNITY}/${draftId}/materials`);
      await h1(citizen, words('zh-CN', 'journey.materials.title'));
      const use = citizen.getByLabel(words('zh-CN', 'journey.materials.useLicence'));
      await use.waitFor();
      await checkA11y(citizen, 'the materials page offering a licence');
      await use.check();
      // Chosen: nothing to upload for it.
      await citizen.getByLabel(words('zh-CN', 'journey.upload.label', { name: '出生医学证明' })).waitFor({
        state: 'detached',
      });
      await shoot(citizen, 'materials-licence-consent');
      await citizen.getByRole('button', { name: words('zh-CN', 'journey.saveLater') }).click();
      await citizen.waitForURL(`${base}/applications`);
      const draft = await callApi(citizen, 'GET', `workflow/applications/${draftId}`);
      assert.deepEqual(
        (draft.body['materials'] as { code: string; ref: string }[]).filter((m) => m.code === 'birth-certificate'),
        [{ code: 'birth-certificate', ref: `lic:${licenceOfCase}` }],
        JSON.stringify(draft.body),
      );
    });

    // The operator publishes a new version of a matter; the one validation error is shown, then fixed.
    const operator = await open();
    await explained(operator, 'the operator signs in to the console', () =>
      signInToConsole(operator, base, account(platform, 'operator')),
    );
    await explained(operator, 'the operator opens a matter', () => openMatterEditor(operator, base, '330100-GS-001'));
    const version = await publishMatterWithOneError(operator);
    assert.ok(version >= 2, `a new version was published: ${version}`);
  } finally {
    await close();
  }
});
