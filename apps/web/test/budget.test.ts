import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  BUDGET_BYTES,
  gzipSize,
  htmlScripts,
  initialJs,
  report,
  staticClosure,
  type Manifest,
} from '../scripts/budget.ts';

// A build as Vite lays it out: the entry imports a vendor chunk statically and a page lazily.
const dist = mkdtempSync(join(tmpdir(), 'tongban-budget-'));
after(() => rmSync(dist, { recursive: true, force: true }));

const files = {
  'assets/index-a.js': 'import "./vendor-b.js";' + 'const app = "entry";'.repeat(200),
  'assets/vendor-b.js': 'export const react = "react";'.repeat(500),
  'assets/Page-c.js': 'export default "lazy page";'.repeat(5000),
  'assets/index-d.css': 'body{color:black}'.repeat(100),
};
const manifest: Manifest = {
  'index.html': {
    file: 'assets/index-a.js',
    src: 'index.html',
    isEntry: true,
    imports: ['_vendor-b.js'],
    dynamicImports: ['src/pages/Page.tsx'],
  },
  '_vendor-b.js': { file: 'assets/vendor-b.js' },
  'src/pages/Page.tsx': { file: 'assets/Page-c.js', src: 'src/pages/Page.tsx', imports: ['_vendor-b.js'] },
};
const html = `<!doctype html><html><head>
<script type="module" crossorigin src="/assets/index-a.js"></script>
<link rel="modulepreload" crossorigin href="/assets/vendor-b.js">
<link rel="stylesheet" crossorigin href="/assets/index-d.css">
</head><body></body></html>`;

mkdirSync(join(dist, 'assets'), { recursive: true });
mkdirSync(join(dist, '.vite'));
for (const [name, content] of Object.entries(files)) writeFileSync(join(dist, name), content);
writeFileSync(join(dist, '.vite', 'manifest.json'), JSON.stringify(manifest));
writeFileSync(join(dist, 'index.html'), html);

test('index.html names its entry script and modulepreloads, not its style sheet', () => {
  assert.deepEqual(htmlScripts(html), ['assets/index-a.js', 'assets/vendor-b.js']);
});

test("the manifest's static imports count, its dynamic imports do not", () => {
  assert.deepEqual(staticClosure(manifest).sort(), ['assets/index-a.js', 'assets/vendor-b.js']);
});

test('the initial size is the gzip size of entry and static imports, each once', () => {
  const size = initialJs(dist);
  const want = gzipSize(files['assets/index-a.js']) + gzipSize(files['assets/vendor-b.js']);
  assert.equal(size.total, want);
  assert.deepEqual(size.files.map((f) => f.file).sort(), ['assets/index-a.js', 'assets/vendor-b.js']);
});

test('the report says the size and budget in KB, and fails only above the budget', () => {
  assert.deepEqual(report({ files: [], total: 62_669 }), {
    line: 'portal initial JS: 61.2 KB gzip (budget 150.0 KB)',
    ok: true,
  });
  assert.equal(report({ files: [], total: BUDGET_BYTES }).ok, true);
  assert.equal(report({ files: [], total: BUDGET_BYTES + 1 }).ok, false);
});
