#!/usr/bin/env node
// The `tongban` command. Plain JavaScript so that it can explain itself on an old Node.js before
// loading the TypeScript sources, which Node runs directly (type stripping, Node ≥ 22.18).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `tongban: needs Node.js 24 LTS (at least 22.18); this is ${process.version}. ` +
      'Run it through npm (npm start, npx tongban), which uses the Node.js 24 installed in node_modules.',
  );
  process.exit(2);
}
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
