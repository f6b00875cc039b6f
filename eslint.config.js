// Lint: typescript-eslint's recommended rules, plus the rule the architecture depends on: a
// module imports only packages/kernel, packages/contracts and its own files (by any route:
// package name, relative path, re-export or dynamic import), and the kernel imports no module.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));
const SHARED = /^@tongban\/(kernel|contracts)(\/|$)/;

/** tongban/module-boundary: resolves each import of a file under modules/<name>/ and reports any that leaves it. */
const moduleBoundary = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      foreign: "A module may import only @tongban/kernel, @tongban/contracts and its own files (docs/architecture.md, \"Rules between modules\"); '{{source}}' is outside modules/{{module}}.",
    },
  },
  create(context) {
    const file = context.filename;
    const match = /^modules\/([^/]+)\//.exec(relative(root, file).split(sep).join('/'));
    if (!match) return {};
    const module = match[1];
    const moduleRoot = resolve(root, 'modules', module) + sep;
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const inside = source.startsWith('.')
        ? resolve(dirname(file), source).startsWith(moduleRoot)
        : source.startsWith('@tongban/') ? SHARED.test(source) : !source.startsWith('/');
      if (!inside) context.report({ node, messageId: 'foreign', data: { source, module } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'data/**', 'deploy/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { tongban: { rules: { 'module-boundary': moduleBoundary } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['modules/*/src/**/*.ts', 'modules/*/test/**/*.ts'],
    rules: { 'tongban/module-boundary': 'error' },
  },
  {
    files: ['packages/kernel/src/**/*.ts', 'packages/contracts/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@tongban/*', '!@tongban/contracts', '!@tongban/kernel'], message: 'The kernel and contracts never depend on modules or apps.' }],
      }],
    },
  },
);
