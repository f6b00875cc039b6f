// Lint: typescript-eslint's recommended rules, plus the one rule the architecture depends on:
// a module imports only packages/kernel, packages/contracts and its own files.
import tseslint from 'typescript-eslint';

const otherModuleImport = {
  group: ['@tongban/*', '!@tongban/kernel', '!@tongban/kernel/*', '!@tongban/contracts', '!@tongban/contracts/*'],
  message: 'A module may import only @tongban/kernel, @tongban/contracts and its own files (docs/architecture.md, "Rules between modules").',
};
const reachOutOfModule = {
  regex: '^(\\.\\./){2,}',
  message: 'Do not reach out of this module by relative path: import @tongban/kernel or @tongban/contracts instead.',
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'data/**', 'deploy/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['modules/*/src/**/*.ts', 'modules/*/test/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [otherModuleImport, reachOutOfModule, { group: ['**/modules/*/**', '**/apps/*/**'], message: otherModuleImport.message }],
      }],
    },
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
