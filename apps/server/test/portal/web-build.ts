// A stand-in for the web app's build (apps/web/dist): an index.html and one hashed asset in a
// directory of their own, for the portal's tests that serve it (TONGBAN_WEB_DIR).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ASSET = '/assets/index-abc123.js';

export function webBuild(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="zh-CN"><title>通办</title><div id="root"></div>');
  writeFileSync(join(dir, ASSET), 'console.log(1)');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
