// The module boundary is enforced by lint (eslint.config.js): a module imports only the kernel,
// the contracts and its own files; the kernel imports no module. Proved by linting snippets as if
// they were files at the given paths — one snippet for every route by which a file can be loaded.
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root, overrideConfigFile: `${root}eslint.config.js` });

/** The boundary complaints about `code` if it lived at `filePath`; fails on a parse error. */
async function boundaryViolations(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, 'eslint returned a result');
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], 'the snippet parses');
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'tongban/module-boundary')
    .map((m) => m.message);
}

const MODULE_FILE = 'modules/example/src/index.ts';
const KERNEL_FILE = 'packages/kernel/src/platform-extra.ts';
/** A file: URL into the catalog as it really is on this machine, and one as it would be elsewhere. */
const CATALOG_URL = pathToFileURL(`${root}modules/catalog/src/index.ts`).href;
const ELSEWHERE_URL = 'file:///srv/tongban/modules/catalog/src/index.ts';

describe('module boundaries', () => {
  for (const [what, code] of [
    ['another module by package name', "import catalog from '@tongban/catalog';\nexport default catalog;\n"],
    ["another module's subpath", "export { search } from '@tongban/catalog/src/store/search-store.ts';\n"],
    ['another module by relative path', "import { x } from '../../catalog/src/index.ts';\nexport { x };\n"],
    [
      'another module through the repository root',
      "import { x } from '../../../modules/catalog/src/domain/model.ts';\nexport { x };\n",
    ],
    ['the server app', "import { allModules } from '@tongban/server';\nexport { allModules };\n"],
    ['everything of another module by export-from', "export * from '@tongban/catalog';\n"],
    ['another module by dynamic import', "export const load = () => import('@tongban/catalog');\n"],
  ] as const) {
    test(`a module may not import ${what}`, async () => {
      const violations = await boundaryViolations(code, MODULE_FILE);
      assert.ok(violations.length > 0, `expected a boundary error for: ${code}`);
    });
  }

  test("a module's tests may not import another module either", async () => {
    const violations = await boundaryViolations(
      "import catalog from '@tongban/catalog';\nexport { catalog };\n",
      'modules/example/test/example.test.ts',
    );
    assert.equal(violations.length, 1);
  });

  test('the error message points to the architecture rule', async () => {
    const [message] = await boundaryViolations(
      "import catalog from '@tongban/catalog';\nexport { catalog };\n",
      MODULE_FILE,
    );
    assert.match(String(message), /@tongban\/kernel, @tongban\/contracts and its own files/);
  });

  test('a module may import the kernel, its test helpers, the contracts and its own files', async () => {
    const code = [
      "import { defineModule } from '@tongban/kernel';",
      "import { startTestPlatform } from '@tongban/kernel/testing';",
      "import { ProblemDetails } from '@tongban/contracts';",
      "import { routes } from './api/routes.ts';",
      "import { rules } from './domain/rules.ts';",
      'export { defineModule, startTestPlatform, ProblemDetails, routes, rules };',
      '',
    ].join('\n');
    assert.deepEqual(await boundaryViolations(code, MODULE_FILE), []);
  });

  test('a file inside a module may reach a sibling folder of the same module', async () => {
    const code =
      "import { matter } from '../domain/model.ts';\nimport { save } from '../store/store.ts';\nexport { matter, save };\n";
    assert.deepEqual(await boundaryViolations(code, 'modules/example/src/api/routes.ts'), []);
  });

  test('a deeply nested file may climb back up inside its own module', async () => {
    const code = "import { matter } from '../../domain/model.ts';\nexport { matter };\n";
    assert.deepEqual(await boundaryViolations(code, 'modules/example/src/api/deep/routes.ts'), []);
  });

  test("a module's test may import its own sources", async () => {
    const code = "import example from '../src/index.ts';\nexport { example };\n";
    assert.deepEqual(await boundaryViolations(code, 'modules/example/test/example.test.ts'), []);
  });

  for (const [what, code] of [
    [
      'another module by template-literal dynamic import',
      'export const load = async () => await import(`../../catalog/src/index.ts`);\n',
    ],
    ['another module by file: URL dynamic import', `export const load = async () => await import('${CATALOG_URL}');\n`],
    [
      "another module by file: URL on another machine's layout",
      `export const load = () => import('${ELSEWHERE_URL}');\n`,
    ],
    ['another module by file: URL static import', `export * from '${CATALOG_URL}';\n`],
    ['another module by absolute path', `export * from '${root}modules/catalog/src/index.ts';\n`],
    [
      'another module by plain relative dynamic import',
      "export const load = () => import('../../catalog/src/x.ts');\n",
    ],
    [
      'a dynamic import whose specifier is a template with a hole',
      'export const load = (m: string) => import(`../../${m}/src/index.ts`);\n',
    ],
    ['a dynamic import whose specifier is a variable', 'export const load = (m: string) => import(m);\n'],
    [
      'another module by import.meta.resolve',
      "export const where = import.meta.resolve('../../catalog/src/index.ts');\n",
    ],
    [
      "another module's folder by new URL(…, import.meta.url)",
      "export const migrations = new URL('../../catalog/src/store/migrations/', import.meta.url);\n",
    ],
    [
      "another module's folder by a bare-looking new URL path",
      "export const migrations = new URL('store/../../../catalog/src/store/migrations/', import.meta.url);\n",
    ],
    ["another module's folder by new URL of a file: URL", `export const migrations = new URL('${CATALOG_URL}');\n`],
    [
      'a new URL(…, import.meta.url) with a hole',
      'export const at = (m: string) => new URL(`./${m}/`, import.meta.url);\n',
    ],
    [
      'another module by createRequire',
      "import { createRequire } from 'node:module';\nexport const catalog: unknown = createRequire(import.meta.url)('../../catalog/src/index.ts');\n",
    ],
    [
      'createRequire under another name',
      "import { createRequire as cr } from 'module';\nexport const req = cr(import.meta.url);\n",
    ],
    [
      'node:module as a namespace',
      "import * as m from 'node:module';\nexport const req = m.createRequire(import.meta.url);\n",
    ],
    [
      'another module by require',
      "declare const require: (id: string) => unknown;\nexport const catalog = require('../../catalog/src/index.ts');\n",
    ],
    [
      'another module by require.resolve',
      "declare const require: { resolve(id: string): string };\nexport const where = require.resolve('../../catalog/src/index.ts');\n",
    ],
    [
      'another module by import = require',
      "import catalog = require('../../catalog/src/index.ts');\nexport { catalog };\n",
    ],
    ['another module by an import() type', "export type Catalog = typeof import('@tongban/catalog');\n"],
    ['another module through dots in a kernel subpath', "export * from '@tongban/kernel/../catalog/src/index.ts';\n"],
  ] as const) {
    test(`a module may not reach ${what}`, async () => {
      const violations = await boundaryViolations(code, MODULE_FILE);
      assert.ok(violations.length > 0, `expected a boundary error for: ${code}`);
    });
  }

  test('a crossing says what to do instead', async () => {
    const [message] = await boundaryViolations(
      'export const load = () => import(`../../catalog/src/index.ts`);\n',
      MODULE_FILE,
    );
    assert.match(String(message), /ctx\.modules\.request or its events/);
    assert.match(String(message), /'\.\.\/\.\.\/catalog\/src\/index\.ts' is outside modules\/example/);
  });

  test('a module may point new URL at its own folders and files, and at other hosts', async () => {
    const code = [
      "export const migrations = new URL('./store/migrations/', import.meta.url);",
      "export const manifest = new URL('../package.json', import.meta.url);",
      "export const own = new URL('" + pathToFileURL(`${root}modules/example/src/store/`).href + "');",
      'export const upstream = (base: string, path: string) => new URL(`/api/ledger${path}`, base);',
      'export const issuer = (url: string) => new URL(url).host;',
      'export const load = () => import(`./api/routes.ts`);',
      "export const crypto = () => import('node:crypto');",
      '',
    ].join('\n');
    assert.deepEqual(await boundaryViolations(code, MODULE_FILE), []);
    assert.deepEqual(
      await boundaryViolations(
        "export const src = new URL('../src/', import.meta.url);\n",
        'modules/example/test/example.test.ts',
      ),
      [],
    );
  });

  for (const [what, code, filePath] of [
    [
      'a module by relative path',
      "import { x } from '../../../modules/catalog/src/index.ts';\nexport { x };\n",
      KERNEL_FILE,
    ],
    [
      'a module by relative dynamic import',
      "export const load = () => import('../../../modules/catalog/src/index.ts');\n",
      KERNEL_FILE,
    ],
    [
      'a module by template-literal dynamic import',
      'export const load = () => import(`../../../modules/catalog/src/index.ts`);\n',
      KERNEL_FILE,
    ],
    [
      'a module by a template with a hole',
      'export const load = (m: string) => import(`../../../modules/${m}/src/index.ts`);\n',
      KERNEL_FILE,
    ],
    ['a module by package-name dynamic import', "export const load = () => import('@tongban/catalog');\n", KERNEL_FILE],
    ['a module by export-from', "export * from '@tongban/catalog';\n", KERNEL_FILE],
    ['a module by file: URL', `export const load = () => import('${CATALOG_URL}');\n`, KERNEL_FILE],
    [
      "a module's folder by new URL(…, import.meta.url)",
      "export const m = new URL('../../../modules/catalog/src/store/migrations/', import.meta.url);\n",
      KERNEL_FILE,
    ],
    [
      'a module by createRequire',
      "import { createRequire } from 'node:module';\nexport const c: unknown = createRequire(import.meta.url)('@tongban/catalog');\n",
      KERNEL_FILE,
    ],
    ['the server app by relative path', "export * from '../../../apps/server/src/modules.ts';\n", KERNEL_FILE],
    [
      'a module by relative path (contracts)',
      "export * from '../../../modules/catalog/src/domain/model.ts';\n",
      'packages/contracts/src/index.ts',
    ],
    [
      'a module by package name (contracts)',
      "export const load = () => import('@tongban/workflow');\n",
      'packages/contracts/src/index.ts',
    ],
    [
      "a module from the kernel's tests",
      "import catalog from '../../../modules/catalog/src/index.ts';\nexport { catalog };\n",
      'packages/kernel/test/example.test.ts',
    ],
  ] as const) {
    test(`the kernel and contracts may not reach ${what}`, async () => {
      const violations = await boundaryViolations(code, filePath);
      assert.ok(violations.length > 0, `expected a boundary error for: ${code}`);
    });
  }

  test('the kernel may reach the contracts, its own files and its own fixture folders', async () => {
    const code = [
      "import { ProblemDetails } from '@tongban/contracts';",
      "export const version = new URL('../package.json', import.meta.url);",
      "export const load = () => import('./index.ts');",
      'export { ProblemDetails };',
      '',
    ].join('\n');
    assert.deepEqual(await boundaryViolations(code, KERNEL_FILE), []);
    const fixtures = 'export const fixture = (folder: string) => new URL(`./fixtures/${folder}/`, import.meta.url);\n';
    assert.deepEqual(await boundaryViolations(fixtures, 'packages/kernel/test/migrations.test.ts'), []);
  });

  test('the kernel may not import a module', async () => {
    const violations = await boundaryViolations(
      "import catalog from '@tongban/catalog';\nexport { catalog };\n",
      KERNEL_FILE,
    );
    assert.equal(violations.length, 1);
  });

  test('the server app, the composition root, may import modules', async () => {
    const code = "import catalog from '@tongban/catalog';\nexport const all = [catalog];\n";
    assert.deepEqual(await boundaryViolations(code, 'apps/server/src/modules.ts'), []);
  });
});
