// The module boundary is enforced by lint (eslint.config.js): a module imports only the kernel,
// the contracts and its own files; the kernel imports no module. Proved by linting snippets as if
// they were files at the given paths.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The boundary complaints about `code` if it lived at `filePath`; fails on a parse error. */
async function boundaryViolations(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, 'eslint returned a result');
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], 'the snippet parses');
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'tongban/module-boundary').map((m) => m.message);
}

const MODULE_FILE = 'modules/example/src/index.ts';

describe('module boundaries', () => {
  for (const [what, code] of [
    ['another module by package name', "import catalog from '@tongban/catalog';\nexport default catalog;\n"],
    ["another module's subpath", "export { search } from '@tongban/catalog/src/store/search-store.ts';\n"],
    ['another module by relative path', "import { x } from '../../catalog/src/index.ts';\nexport { x };\n"],
    ['another module through the repository root', "import { x } from '../../../modules/catalog/src/domain/model.ts';\nexport { x };\n"],
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
    const violations = await boundaryViolations("import catalog from '@tongban/catalog';\nexport { catalog };\n", 'modules/example/test/example.test.ts');
    assert.equal(violations.length, 1);
  });

  test('the error message points to the architecture rule', async () => {
    const [message] = await boundaryViolations("import catalog from '@tongban/catalog';\nexport { catalog };\n", MODULE_FILE);
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
    const code = "import { matter } from '../domain/model.ts';\nimport { save } from '../store/store.ts';\nexport { matter, save };\n";
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

  test('the kernel may not import a module', async () => {
    const violations = await boundaryViolations("import catalog from '@tongban/catalog';\nexport { catalog };\n", 'packages/kernel/src/platform-extra.ts');
    assert.equal(violations.length, 1);
  });

  test('the server app, the composition root, may import modules', async () => {
    const code = "import catalog from '@tongban/catalog';\nexport const all = [catalog];\n";
    assert.deepEqual(await boundaryViolations(code, 'apps/server/src/modules.ts'), []);
  });
});
