// Lint: typescript-eslint's recommended rules, plus the rule the architecture depends on: a
// module imports only packages/kernel, packages/contracts and its own files, and the kernel and
// the contracts import no module and no app — by any route a file can be loaded: package name,
// relative or absolute path, file: URL, re-export, static or template-literal dynamic import,
// import.meta.resolve, `new URL(…, import.meta.url)`, `import x = require()`, `import('…')` types.
// require and createRequire are refused outright: once a require function exists it can be
// renamed and passed around, and no rule can follow it.
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));
const SHARED = /^@tongban\/(kernel|contracts)(\/|$)/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** A `.` or `..` segment in a package specifier, which could climb out of the package it names. */
const DOTS = /(^|\/)\.\.?(\/|$)/;
const ADVICE = 'talk to another module through ctx.modules.request or its events instead';
const within = (path, dir) => path === dir || path.startsWith(dir + sep);

/** The specifier's text when it is known before run time; a template literal with holes gives its leading text and `partial`. */
function staticText(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return { text: node.value, partial: false };
  if (node.type === 'TemplateLiteral')
    return { text: node.quasis[0].value.cooked ?? '', partial: node.expressions.length > 0 };
  return undefined;
}

const isImportMeta = (node, property) =>
  node?.type === 'MemberExpression' &&
  node.object.type === 'MetaProperty' &&
  node.object.meta.name === 'import' &&
  node.property.type === 'Identifier' &&
  node.property.name === property;

/** tongban/module-boundary: resolves every way a file under modules/<name>/, packages/kernel/ or packages/contracts/ can reach another file, and reports those that cross a boundary. */
const moduleBoundary = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      foreign:
        'A module may import only @tongban/kernel, @tongban/contracts and its own files (docs/architecture.md, "Rules between modules"); \'{{source}}\' is outside modules/{{module}}; {{advice}}.',
      computed:
        'A module may import only @tongban/kernel, @tongban/contracts and its own files, and a specifier computed at run time cannot be checked: write it as a plain string, and {{advice}}.',
      require:
        'A module may import only @tongban/kernel, @tongban/contracts and its own files, and {{what}} loads files the boundary check cannot follow: use a static import, and {{advice}}.',
      kernel:
        "The kernel and the contracts never depend on a module or an app; '{{source}}' is in {{where}}. Put the shared shape in @tongban/contracts, or let the module hand it to the kernel at start-up.",
      kernelComputed:
        'The kernel and the contracts never depend on a module or an app, and a specifier computed at run time cannot be checked: write it as a plain string.',
      kernelRequire:
        'The kernel and the contracts never depend on a module or an app, and {{what}} loads files the boundary check cannot follow: use a static import.',
    },
  },
  create(context) {
    const file = context.filename;
    const rel = file.startsWith(root + sep)
      ? file
          .slice(root.length + 1)
          .split(sep)
          .join('/')
      : '';
    const inModule = /^modules\/([^/]+)\//.exec(rel);
    const module = inModule?.[1];
    const moduleRoot = module && resolve(root, 'modules', module);
    const closed = [resolve(root, 'modules'), resolve(root, 'apps')];
    const ownPackage = resolve(root, rel.split('/').slice(0, 2).join('/'));
    const here = pathToFileURL(file);

    /** The file a specifier names, for paths and file: URLs; undefined for package names and other schemes. */
    const target = (spec, asUrl) => {
      try {
        if (asUrl || spec.startsWith('file:')) {
          const url = new URL(spec, here);
          return url.protocol === 'file:' ? fileURLToPath(url) : undefined;
        }
      } catch {
        return undefined;
      }
      if (spec.startsWith('.') || spec.startsWith('/')) return resolve(dirname(file), spec);
      return undefined;
    };
    const report = (node, messageId, data) =>
      context.report({ node, messageId, data: { advice: ADVICE, module, ...data } });

    /** `asUrl`: resolve as a URL against this file (new URL), where 'x/y' is relative too. */
    const check = (node, specNode, asUrl = false) => {
      const spec = staticText(specNode);
      if (!spec) {
        if (specNode) report(node, module ? 'computed' : 'kernelComputed');
        return;
      }
      const { text, partial } = spec;
      const path = target(text, asUrl);
      if (module) {
        if (partial) return report(node, 'computed');
        const inside =
          path !== undefined
            ? within(path, moduleRoot)
            : text.startsWith('@tongban/')
              ? SHARED.test(text) && !DOTS.test(text)
              : SCHEME.test(text)
                ? text.startsWith('node:')
                : !DOTS.test(text);
        if (!inside) report(node, 'foreign', { source: text });
        return;
      }
      // A template with holes may stay in its own package (the kernel's fixture folders); what the holes add is unknowable.
      if (partial) {
        if (path === undefined || !within(path, ownPackage)) report(node, 'kernelComputed');
        return;
      }
      const where =
        path !== undefined
          ? closed.find((dir) => within(path, dir))
          : text.startsWith('@tongban/') && (!SHARED.test(text) || DOTS.test(text))
            ? 'a module or app package'
            : undefined;
      if (where)
        report(node, 'kernel', {
          source: text,
          where: within(where, root) ? `${where.slice(root.length + 1)}/` : where,
        });
    };
    const refuse = (node, what) => report(node, module ? 'require' : 'kernelRequire', { what });

    return {
      ImportDeclaration: (node) => {
        check(node, node.source);
        if (/^(node:)?module$/.test(node.source.value)) {
          for (const s of node.specifiers) {
            if (s.type !== 'ImportSpecifier' || (s.imported.name ?? s.imported.value) === 'createRequire')
              refuse(s, 'createRequire');
          }
        }
      },
      ExportNamedDeclaration: (node) => node.source && check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) =>
        check(node, node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument),
      TSExternalModuleReference: (node) => check(node, node.expression),
      NewExpression: (node) => {
        const callee = node.callee;
        const isUrl =
          (callee.type === 'Identifier' && callee.name === 'URL') ||
          (callee.type === 'MemberExpression' && callee.property.name === 'URL');
        if (!isUrl) return;
        const [spec, base] = node.arguments;
        if (isImportMeta(base, 'url')) return check(node, spec, true);
        const text = staticText(spec);
        if (text && !text.partial && text.text.startsWith('file:')) check(node, spec, true);
      },
      CallExpression: (node) => {
        const callee = node.callee;
        if (isImportMeta(callee, 'resolve')) return check(node, node.arguments[0]);
        const name =
          callee.type === 'Identifier'
            ? callee.name
            : callee.type === 'MemberExpression'
              ? callee.property.name
              : undefined;
        const requireFn =
          callee.type === 'Identifier' ? callee : callee.type === 'MemberExpression' ? callee.object : undefined;
        if (requireFn?.type === 'Identifier' && requireFn.name === 'require') refuse(node, 'require');
        else if (name === 'createRequire') refuse(node, 'createRequire');
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'data/**', 'deploy/**', '.tmp/**', 'apps/web/dist/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { tongban: { rules: { 'module-boundary': moduleBoundary } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: [
      'modules/*/**/*.{ts,mts,cts,js,mjs,cjs}',
      'packages/kernel/**/*.{ts,mts,cts,js,mjs,cjs}',
      'packages/contracts/**/*.{ts,mts,cts,js,mjs,cjs}',
    ],
    rules: { 'tongban/module-boundary': 'error' },
  },
  {
    // A module raises its errors through its own typed class (errors.ts: moduleErrors(table)), so
    // a code outside its table and the kernel's does not compile.
    files: ['modules/*/src/**/*.ts'],
    ignores: ['modules/*/src/errors.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='DomainError']",
          message: "Raise the module's own error class (from its errors.ts, typed by its table), not DomainError.",
        },
      ],
    },
  },
  {
    // The web app: React's rules of hooks (and the React Compiler's checks that come with them).
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
);
