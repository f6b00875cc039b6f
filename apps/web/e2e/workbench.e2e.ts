// The officer workbench (/workbench) in a real browser: 出生一件事 filed by a demo citizen, then
// each department's officer signs in, finds the task in the queue with its due-date badge, claims
// it, opens the case, reveals one masked value of the applicant's register record with a reason,
// and acts — one asks for a correction, which the citizen answers — until the application
// completes. axe finds nothing on the workbench's pages in zh-CN, English and 长辈版; the
// workbench refuses a citizen, and an officer of another department opening a task's address;
// the counter (窗口) looks a resident up by ID number (masked; one without an account is told so)
// and files a matter for them; answers come masked and one is revealed with a reason by keyboard;
// the demo lead assigns a task to an officer, who finds it theirs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  account,
  checkA11y,
  checkFocusVisible,
  checkReflow,
  newPage,
  people,
  setElderMode,
  shoot,
  switchLanguage,
  useStack,
  type DemoAccount,
} from './harness.ts';
import {
  acceptByKeyboard,
  actOnTask,
  applicationOf,
  applyForBirth,
  callApi,
  claimInQueue,
  findInQueue,
  openCase,
  queueRow,
  residentId,
  revealAnswerByKeyboard,
  revealOne,
  sessionUserId,
  signInOfficer,
  signInThroughPortal,
  type ApplicationSummary,
} from './workbench.steps.ts';

const stack = useStack();

/** The register items the workbench asks about the applicant, and the searched one. */
const REGISTER_ITEMS = ['idNumber', 'name', 'gender', 'birthDate', 'householdAddress', 'mobile'];

/** Checks a page in zh-CN, English and 长辈版 (back to zh-CN, standard, after), with screenshots. */
async function checkEverywhere(page: Page, name: string, heading: { zh: RegExp; en: RegExp }): Promise<void> {
  await checkA11y(page, `${name} in zh-CN`);
  await checkReflow(page, `${name} in zh-CN`);
  await shoot(page, `workbench-${name}-zh-CN`);
  await switchLanguage(page, 'en');
  await page.getByRole('heading', { level: 1, name: heading.en }).waitFor();
  await checkA11y(page, `${name} in English`);
  await shoot(page, `workbench-${name}-en`);
  await setElderMode(page, true);
  await checkA11y(page, `${name} in English, elder mode`);
  await switchLanguage(page, 'zh-CN');
  await page.getByRole('heading', { level: 1, name: heading.zh }).waitFor();
  await checkA11y(page, `${name} in zh-CN, elder mode`);
  await checkReflow(page, `${name} in zh-CN, elder mode`);
  await shoot(page, `workbench-${name}-zh-CN-elder`);
  await setElderMode(page, false);
}

describe('the officer workbench', () => {
  test('出生一件事: every department acts in the workbench, one correction answered, the application completes', async () => {
    const { platform, browser } = stack;
    const base = platform.url;
    const { open, close } = people(browser);
    try {
      // The citizen applies (password sign-in; the journey's pages are built elsewhere).
      const citizen = await open();
      await signInThroughPortal(citizen, base, account(platform, 'citizen', '33010619900101123X'));
      let app: ApplicationSummary = await applyForBirth(citizen);
      assert.match(app.caseNumber, /^330100-\d{8}-\d{7}$/);

      // The operator grants each department the applicant's register items for its matter, so an
      // officer may look them up, masked, and reveal one (the demo seeds grants for the workflow only).
      const operator = await open();
      await signInThroughPortal(operator, base, account(platform, 'operator'));
      for (const t of app.tasks) {
        const r = await callApi(operator, 'POST', 'datahub/grants', {
          consumer: t.departmentCode,
          resource: 'population',
          purpose: t.matterCode,
          items: REGISTER_ITEMS,
        });
        assert.ok(r.status === 201 || r.body['code'] === 'DATAHUB_GRANT_EXISTS', JSON.stringify(r.body));
      }

      const officers = new Map<string, Page>();
      const officerPage = async (department: string) => {
        const known = officers.get(department);
        if (known) return known;
        const page = await open();
        await signInOfficer(page, base, account(platform, 'officer', department.toLowerCase()));
        officers.set(department, page);
        return page;
      };

      let checked = false;
      let corrected = false;
      const acted = new Set<string>();
      // Departments act as their tasks start (the bundle's dependencies), until nothing is open.
      for (let round = 0; round < 10; round++) {
        app = await applicationOf(citizen, app.id);
        const open = app.tasks.filter((t) => t.state === 'submitted' && !acted.has(t.id));
        if (open.length === 0) break;
        for (const task of open) {
          acted.add(task.id);
          const page = await officerPage(task.departmentCode);
          const row = await findInQueue(page, base, app.caseNumber);
          // The due-date badge says how long is left in words.
          await row.locator('.tag', { hasText: /工作日|今日到期|已超期/ }).waitFor();
          if (!checked) {
            await checkEverywhere(page, 'queue', { zh: /^待办件$/, en: /^Tasks$/ });
            // The filters are a GET form: the address keeps them. A fresh task is neither overdue
            // nor claimed.
            await page.getByLabel('经办人').selectOption('unassigned');
            await page.getByRole('button', { name: '筛选' }).click();
            await page.waitForURL((url) => url.searchParams.get('assignee') === 'unassigned');
            await queueRow(page, app.caseNumber).waitFor();
            await page.getByLabel('办理期限').selectOption('overdue');
            await page.getByRole('button', { name: '筛选' }).click();
            await page.waitForURL((url) => url.searchParams.get('deadline') === 'overdue');
            await page.getByText('没有符合筛选条件的办件。').waitFor();
            await page.reload();
            await page.getByText('没有符合筛选条件的办件。').waitFor();
            assert.equal(await page.getByLabel('办理期限').inputValue(), 'overdue', 'the filter survives a reload');
            await checkA11y(page, 'queue, filtered');
            await shoot(page, 'workbench-queue-filtered');
            await findInQueue(page, base, app.caseNumber);
          }
          await claimInQueue(page, row);
          await openCase(page, app.caseNumber);
          const { masked, revealed } = await revealOne(page, `核对申请人身份（${task.matterCode}）`);
          assert.match(masked, /\*/, 'the register value shows masked first');
          assert.doesNotMatch(revealed, /\*/, 'the revealed value is whole');
          if (!checked) {
            // The form's answers come masked; one is revealed with a reason, by keyboard alone.
            assert.equal(await page.getByText('330102199203152342').count(), 0, 'no ID number in clear');
            await page.getByText(/已部分隐藏/).waitFor();
            const mobileRow = page
              .locator('.summary-list__row')
              .filter({ has: page.locator('.summary-list__key', { hasText: /^申请人手机号码$/ }) })
              .first();
            await mobileRow.getByRole('button', { name: /^查看明文/ }).click();
            await checkA11y(page, 'case, the reason for a reveal asked');
            await mobileRow.getByRole('button', { name: '查看', exact: true }).click();
            await page.locator('.error-summary').getByText('请填写查看理由，至少 5 个字').waitFor();
            await checkA11y(page, 'case, a reveal without a reason');
            await shoot(page, 'workbench-case-reveal-reason');
            const answer = await revealAnswerByKeyboard(page, '母亲公民身份号码', '核对母亲身份证件号码');
            assert.equal(answer.masked, '330102********2342');
            assert.equal(answer.revealed, '330102199203152342');
            await checkEverywhere(page, 'case', { zh: /^办件 /, en: /^Case / });
            checked = true;
          }
          if (task.departmentCode.endsWith('-GA')) {
            // A stored document opens from its link, in this tab.
            const link = page.getByRole('link', { name: /^打开材料/ });
            assert.equal(await link.getAttribute('href'), '/portal/api/workflow/documents/parent-id-cards');
            assert.notEqual(await link.getAttribute('download'), null, 'downloaded, not a new tab');
            assert.equal(await link.getAttribute('target'), null);
          }
          if (!corrected && task.process === 'immediate') {
            // 预防接种证: the clinic is asked to be corrected; the citizen answers.
            await actOnTask(page, 'requestCorrection', '预防接种单位与居住地不符，请重新选择', ['预防接种单位']);
            await page.getByText('补正中，暂停计时', { exact: false }).first().waitFor();
            await checkA11y(page, 'case awaiting correction');
            await shoot(page, 'workbench-case-correction');
            const current = (await applicationOf(citizen, app.id)).tasks.find((t) => t.id === task.id)!;
            const answer = await callApi(
              citizen,
              'POST',
              `workflow/applications/${app.id}/tasks/${task.id}/correction`,
              {
                version: current.version,
                form: { 'child.vaccinationClinic': '文三街道社区卫生服务站' },
                materials: [],
              },
            );
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            corrected = true;
            await page.reload();
            await page.getByRole('heading', { level: 1, name: `办件 ${app.caseNumber}` }).waitFor();
            await page.getByText('文三街道社区卫生服务站').waitFor();
            await page.getByText('补正后重新提交').first().waitFor();
          }
          // The first department accepts with the keyboard alone (受理 is the first action offered).
          if (task.departmentCode.endsWith('WJW')) await acceptByKeyboard(page);
          else await actOnTask(page, 'accept');
          if (task.process === 'standard') await actOnTask(page, 'review');
          await actOnTask(page, 'approve', '材料齐全，符合条件');
          // The case history lists what was done.
          await page.locator('.wb-history').getByText('准予').first().waitFor();
          if (task.departmentCode.endsWith('WJW')) await shoot(page, 'workbench-case-approved');
        }
      }
      app = await applicationOf(citizen, app.id);
      assert.ok(corrected, 'one department asked for a correction');
      assert.deepEqual(
        app.tasks.filter((t) => t.state !== 'approved').map((t) => `${t.matterCode}: ${t.state}`),
        [],
      );
      assert.equal(app.status, 'completed');
    } finally {
      await close();
    }
  });

  test('a citizen is told the workbench is for officers; another department’s officer sees a refusal, not the task', async () => {
    const { platform, browser } = stack;
    const base = platform.url;
    const { context, page } = await newPage(browser, 'zh-CN');
    const other = await newPage(browser, 'zh-CN');
    try {
      // Signed out: a sign-in button.
      await page.goto(`${base}/workbench/tasks/00000000-0000-4000-8000-000000000000`);
      await page.getByRole('heading', { level: 1, name: '工作台' }).waitFor();
      await page.getByRole('link', { name: '登录工作台' }).waitFor();
      await checkA11y(page, 'workbench signed out');
      await shoot(page, 'workbench-signed-out');

      const citizen: DemoAccount = account(platform, 'citizen', '33010619900101123X');
      await signInThroughPortal(page, base, citizen, '/workbench');
      await page.getByRole('heading', { level: 1, name: '工作台仅供审批人员使用' }).waitFor();
      await checkA11y(page, 'workbench as a citizen');
      await shoot(page, 'workbench-citizen');
      const app = await applyForBirth(page);
      const wjw = app.tasks.find((t) => t.departmentCode.endsWith('WJW'))!;
      // Whatever the page shows, the API refuses the citizen too.
      assert.equal((await callApi(page, 'GET', `workflow/tasks/${wjw.id}`)).status, 403);

      // An officer of another department opens the task's address: a refusal page, no data.
      const stranger = platform.accounts.find((a) => a.kind === 'officer' && !a.login.endsWith('wjw'))!;
      await signInOfficer(other.page, base, stranger);
      await other.page.goto(`${base}/workbench/tasks/${wjw.id}`);
      await other.page.getByRole('heading', { level: 1, name: '你不能查看此办件' }).waitFor();
      assert.equal(await other.page.getByText(app.caseNumber).count(), 0, 'no case data on the refusal');
      assert.equal(await other.page.getByText('张小宝').count(), 0, 'no form answers on the refusal');
      await checkEverywhere(other.page, 'refused', { zh: /你不能查看此办件/, en: /You cannot see this task/ });
    } finally {
      await context.close();
      await other.context.close();
    }
  });

  test('the counter (窗口) files 出生医学证明 for a resident found by ID number', async () => {
    const { platform, browser } = stack;
    const base = platform.url;
    // The first department's officer staffs the counter (identity's seed).
    const clerk = platform.accounts.find((a) => a.kind === 'officer')!;
    const { context, page } = await newPage(browser, 'zh-CN');
    try {
      await signInOfficer(page, base, clerk);
      await page.getByRole('link', { name: '窗口代办' }).click();
      await page.getByRole('heading', { level: 1, name: '窗口代办' }).waitFor();
      // Nothing entered: the error summary takes focus and links to the fields.
      await page.getByRole('button', { name: '查找' }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      assert.equal(await page.evaluate('document.activeElement?.className'), 'error-summary');
      await checkEverywhere(page, 'counter', { zh: /^窗口代办$/, en: /^Service counter$/ });
      // An error shown before the language changes is in the new language after it.
      await switchLanguage(page, 'en');
      await summary.getByText("Enter the applicant's citizen ID number").waitFor();
      await switchLanguage(page, 'zh-CN');
      await summary.getByText('请输入申请人公民身份号码').waitFor();
      // A resident without an account: looked up, told so, and not offered the form.
      await page.getByLabel('申请人公民身份号码').fill(residentId('33010619850307123'));
      await page.getByLabel('办理的事项').selectOption({ label: '出生医学证明签发' });
      await page.getByRole('button', { name: '查找' }).click();
      await page.getByRole('heading', { level: 3, name: '此人尚未注册统一身份认证账户' }).waitFor();
      assert.equal(await page.getByRole('button', { name: '继续填写申请表' }).count(), 0);
      await checkA11y(page, 'counter, no account');
      await shoot(page, 'workbench-counter-no-account');
      await page.getByRole('button', { name: '修改申请人或事项' }).click();
      // 张三: looked up, masked, then the form.
      await page.getByLabel('申请人公民身份号码').fill('33010619900101123X');
      await page.getByLabel('办理的事项').selectOption({ label: '出生医学证明签发' });
      await page.getByRole('button', { name: '查找' }).click();
      const person = page.locator('section[aria-labelledby="person-heading"]');
      await person.getByText('已注册，可以代办').waitFor();
      await person.getByText('张*', { exact: true }).waitFor();
      await person.getByText('138****0001').waitFor();
      await person.getByText('330106********123X').waitFor();
      assert.equal(await person.getByText('33010619900101123X').count(), 0, 'the number is masked');
      await checkEverywhere(page, 'counter-person', { zh: /^窗口代办$/, en: /^Service counter$/ });
      await page.getByRole('button', { name: '继续填写申请表' }).click();
      await page.getByRole('heading', { level: 2, name: '出生医学证明签发' }).waitFor();
      const values: Record<string, string> = {
        childName: '张小贝',
        childBirthDate: '2026-11-21',
        birthPlace: '浙江大学医学院附属妇产科医院',
        birthWeight: '3300',
        motherName: '李梅',
        motherIdNumber: '330106199201011226',
        applicantName: '张三',
        applicantIdNumber: '33010619900101123X',
        applicantMobile: '13800000001',
      };
      for (const [name, value] of Object.entries(values)) await page.locator(`[name="${name}"]`).fill(value);
      await page.locator('[name="childGender"]').selectOption('1');
      await page.locator('[name="relation"]').selectOption('1');
      await page.locator('[name="material-mother-id-card"]').fill('licence:resident-id-card:mother');
      await checkA11y(page, 'counter form');
      await shoot(page, 'workbench-counter-form');
      await page.getByRole('button', { name: '提交申请' }).click();
      await page.getByRole('heading', { level: 1, name: '已代为提交申请' }).waitFor();
      const caseNumber = (await page.locator('.panel__body strong').textContent()) ?? '';
      assert.match(caseNumber, /^330100-\d{8}-\d{7}$/);
      // Whom it was filed for, masked by the data hub.
      await page.getByText('330106********123X').waitFor();
      await checkA11y(page, 'counter filed');
      await shoot(page, 'workbench-counter-filed');
    } finally {
      await context.close();
    }
  });
  test('the lead of 卫健委 assigns a task to an officer, who then finds it theirs', async () => {
    const { platform, browser } = stack;
    const base = platform.url;
    const { open, close } = people(browser);
    try {
      const citizen = await open();
      await signInThroughPortal(citizen, base, account(platform, 'citizen', '33010619900101123X'));
      const app = await applyForBirth(citizen);
      // The officer it goes to: their account id is what a lead assigns to.
      const officer = await open();
      await signInOfficer(officer, base, account(platform, 'officer', 'officer.330100-wjw'));
      const officerId = await sessionUserId(officer);

      const lead = await open();
      await signInOfficer(lead, base, account(platform, 'officer', 'lead.330100-wjw'));
      await findInQueue(lead, base, app.caseNumber);
      await openCase(lead, app.caseNumber);
      const form = lead.locator('section[aria-labelledby="assign-heading"]');
      await form.getByRole('heading', { name: '指派' }).waitFor();
      await checkA11y(lead, 'case as the lead');
      // By keyboard: the field, the id typed, Enter submits.
      await form.getByLabel(/^指派给/).focus();
      await checkFocusVisible(lead, 'the assignee field');
      await lead.keyboard.type(officerId);
      await lead.keyboard.press('Enter');
      await lead.getByRole('alert').filter({ hasText: '已指派此办件' }).waitFor();
      await checkA11y(lead, 'case assigned by the lead');
      await shoot(lead, 'workbench-case-assigned');

      // The officer finds it in "mine" and the case says so.
      const row = await findInQueue(officer, base, app.caseNumber, '?assignee=me');
      assert.equal(await row.count(), 1);
      await openCase(officer, app.caseNumber);
      await officer.locator('.summary-list__row').filter({ hasText: '经办人' }).getByText('由我办理').waitFor();
    } finally {
      await close();
    }
  });
});
