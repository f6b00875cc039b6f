// Every secret identity reads is declared, so the platform reads them all at start: production
// refuses to start without one instead of answering 500 on /oidc/* while /readyz says ready.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { serviceKeySecretName } from '@tongban/kernel';
import identity from '../src/index.ts';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

test('every secret identity reads is declared, the workflow service key included', () => {
  const read = new Set(
    sources(new URL('../src/', import.meta.url).pathname).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bsecret\('([a-z0-9-]+)'\)/g)].map((m) => m[1]!),
    ),
  );
  assert.ok(read.has('identity-cookie-key'));
  const declared = new Set(identity.secrets);
  for (const name of read) assert.ok(declared.has(name), `${name} is read and must be declared`);
  assert.ok(declared.has(serviceKeySecretName('workflow')), 'the key the workflow service client is registered with');
});
