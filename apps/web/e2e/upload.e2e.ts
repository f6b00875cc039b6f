// Uploading materials (材料上传) in a real browser, through the portal's BFF to the workflow's
// document store: a demo citizen starts 出生一件事, uploads a PNG for one material and sees the
// progress reach done and the file's name and size; a file whose bytes are not its type is refused
// at the field and in the error summary; the upload is removed and replaced by a PDF; the other
// materials are given as numbers; saved, the page shows the upload again on return, and the file
// comes back byte for byte with its attachment headers; submitted, the case page links to it and an
// officer of the department whose task names it opens it. axe reports nothing at each step, in
// zh-CN, English and 长辈版.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  account,
  checkA11y,
  checkReflow,
  newPage,
  setElderMode,
  shoot,
  signInOnIdentity,
  switchLanguage,
  useStack,
} from './harness.ts';
import {
  answerEveryGroup,
  consentToPrefill,
  declareAndSubmit,
  h1,
  openCase,
  openCheckAnswers,
  signInFromStart,
  startDraft,
  words,
} from './journey.steps.ts';

const stack = useStack();

// A 1×1 PNG, and a one-page PDF header: enough for the magic-byte checks.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d6b1b10000000049454e44ae426082',
  'hex',
);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('a citizen uploads materials', () => {
  let context: Awaited<ReturnType<typeof newPage>>['context'] | undefined;
  after(async () => {
    await context?.close();
  });

  test('upload with progress, a refused file, remove and replace, shown again, downloaded as it was, submitted, opened by the officer', async () => {
    const opened = await newPage(stack.browser, 'zh-CN');
    context = opened.context;
    const { page } = opened;
    const citizen = stack.platform.accounts.find((a) => a.kind === 'citizen' && a.totpSecret);
    assert.ok(citizen, 'a demo citizen with an authenticator');
    await signInFromStart(page, stack.platform.url, 'BIRTH', citizen);
    const draft = await startDraft(page);
    await consentToPrefill(page);
    const materialsUrl = `${stack.platform.url}/apply/BIRTH/${draft}/materials`;
    await page.goto(materialsUrl);
    await h1(page, words('zh-CN', 'journey.materials.title'));
    await checkA11y(page, 'the materials page');
    await checkReflow(page, 'the materials page');

    const files = page.locator('main input[type="file"]');
    const count = await files.count();
    assert.ok(count >= 1, 'every material may be uploaded');
    const first = files.first();
    // The first material's fieldset (found by position: its file input goes once a file is stored).
    const group = page.locator('main fieldset').first();
    assert.equal(await group.locator('input[type="file"]').count(), 1);
    const status = group.getByRole('status');

    // A PNG: the progress ends in "done", and the stored file's name and size are shown.
    await first.setInputFiles({ name: '出生证明.png', mimeType: 'image/png', buffer: PNG });
    await status.filter({ hasText: words('zh-CN', 'journey.upload.done', { file: '出生证明.png' }) }).waitFor();
    await group.getByText('出生证明.png（1 KB）').waitFor();
    assert.equal(await group.locator('progress').count(), 0, 'the bar is gone once done');
    await checkA11y(page, 'the materials page with an upload');
    await shoot(page, 'upload-done');

    // Remove it, then a "PNG" that is a PDF: refused at the field and in the summary.
    const name = ((await group.locator('legend').textContent()) ?? '').trim();
    await group.getByRole('button', { name: words('zh-CN', 'journey.upload.removeNamed', { name }) }).click();
    await group.locator('input[type="file"]').waitFor();
    await group.locator('input[type="file"]').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: PDF });
    await page.locator('.error-summary').waitFor();
    const mismatch = words('zh-CN', 'errors.WORKFLOW_DOCUMENT_TYPE_MISMATCH');
    await page.locator('.error-summary').getByText(mismatch, { exact: false }).waitFor();
    await group.locator('.error-message', { hasText: mismatch }).waitFor();
    await checkA11y(page, 'the materials page with a refused file');
    await shoot(page, 'upload-refused');

    // Replaced by a real PDF: the error goes.
    await group
      .locator('input[type="file"]')
      .setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: PDF });
    await group.getByText(/scan\.pdf（1 KB）/).waitFor();
    await page.locator('.error-summary').waitFor({ state: 'detached' });

    // The other materials by number; save and continue.
    for (const input of await page.locator('main form input[type="text"]').all())
      if ((await input.inputValue()) === '') await input.fill(`licence:${(await input.getAttribute('id')) ?? ''}`);
    await page.getByRole('button', { name: words('zh-CN', 'journey.saveContinue') }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/materials'));

    // Back on the page: the upload is shown from the store, not asked again.
    await page.goto(materialsUrl);
    await h1(page, words('zh-CN', 'journey.materials.title'));
    await group.getByText(/scan\.pdf（1 KB）/).waitFor();

    // Through the BFF, the bytes as they were, as an attachment never cached or sniffed.
    const saved = (await page.evaluate(
      `(async () => (await fetch('/portal/api/workflow/applications/${draft}')).json())()`,
    )) as { materials: { code: string; ref: string }[] };
    const doc = saved.materials.find((m) => m.ref.startsWith('doc:'));
    assert.ok(doc, `the draft names the upload: ${JSON.stringify(saved.materials)}`);
    const got = (await page.evaluate(
      `(async () => { const r = await fetch('/portal/api/workflow/documents/${doc.ref.slice(4)}'); const b = new Uint8Array(await r.arrayBuffer()); return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), cache: r.headers.get('cache-control'), nosniff: r.headers.get('x-content-type-options'), bytes: Array.from(b) }; })()`,
    )) as { status: number; type: string; disposition: string; cache: string; nosniff: string; bytes: number[] };
    assert.equal(got.status, 200);
    assert.equal(got.type, 'application/pdf');
    assert.match(got.disposition, /^attachment; .*filename\*=UTF-8''scan\.pdf$/);
    assert.equal(got.cache, 'private, no-store');
    assert.equal(got.nosniff, 'nosniff');
    assert.deepEqual(Buffer.from(got.bytes), PDF);

    // English and 长辈版: the same page, still clean.
    await switchLanguage(page, 'en');
    await setElderMode(page, true);
    await h1(page, words('en', 'journey.materials.title'));
    await group.getByText(/scan\.pdf \(1 KB\)/).waitFor();
    await checkA11y(page, 'the materials page, English, elder mode');
    await checkReflow(page, 'the materials page, English, elder mode');
    await shoot(page, 'upload-en-elder');
    await switchLanguage(page, 'zh-CN');
    await setElderMode(page, false);

    // Submitted, the case page links to the upload; an officer of 卫健委 (whose task names it) opens it through the BFF.
    await page.goto(`${stack.platform.url}/apply/BIRTH/${draft}`);
    await answerEveryGroup(page);
    await openCheckAnswers(page);
    await declareAndSubmit(page);
    await openCase(page);
    const link = page.getByRole('link', { name: /scan\.pdf（1 KB）/ });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `/portal/api/workflow/documents/${doc.ref.slice(4)}`);
    await checkA11y(page, 'the case page with an uploaded material');
    await shoot(page, 'upload-case');

    const officer = await newPage(stack.browser, 'zh-CN');
    try {
      await officer.page.goto(`${stack.platform.url}/portal/login?return=/`);
      await signInOnIdentity(officer.page, account(stack.platform, 'officer', '330100-wjw'));
      await officer.page.waitForURL(`${stack.platform.url}/`);
      const seen = (await officer.page.evaluate(
        `(async () => { const r = await fetch('/portal/api/workflow/documents/${doc.ref.slice(4)}'); return { status: r.status, size: (await r.arrayBuffer()).byteLength }; })()`,
      )) as { status: number; size: number };
      assert.deepEqual(seen, { status: 200, size: PDF.length });
    } finally {
      await officer.context.close();
    }
  });
});
