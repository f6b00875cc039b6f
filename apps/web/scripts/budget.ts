// The portal's JavaScript weight budget (issue 12): the gzip size of the JavaScript that
// index.html loads before any lazy chunk — its entry scripts and everything they import
// statically (Vite's modulepreloads) — must stay within 150 KB. Run after `vite build`;
// exits 1 above the budget. The workbench and console are lazy chunks, so they never count.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 150 * 1024;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

/** The script files index.html names: module scripts and modulepreloads, as paths under dist. */
export function htmlScripts(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];
    const isScript = /^<script/i.test(tag) && attr('src') !== undefined;
    const isPreload = /^<link/i.test(tag) && attr('rel')?.toLowerCase() === 'modulepreload';
    const url = isScript ? attr('src') : isPreload ? attr('href') : undefined;
    if (url && !/^[a-z]+:|^\/\//i.test(url)) found.push(url.replace(/^\.?\//, '').replace(/[?#].*$/, ''));
  }
  return found;
}

/** The entry chunks of index.html and, transitively, their static imports (never dynamic ones). */
export function staticClosure(manifest: Manifest, htmlEntry = 'index.html'): string[] {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) {
    if (chunk.isEntry && (key === htmlEntry || chunk.src === htmlEntry)) visit(key);
  }
  return [...files];
}

export interface InitialSize {
  files: { file: string; gzip: number }[];
  total: number;
}

/** The initial JavaScript of a build: what index.html names, plus the manifest's static closure; each file counted once. */
export function initialJs(dist: string): InitialSize {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const names = [...new Set([...htmlScripts(html), ...staticClosure(manifest)])].filter((f) => /\.m?js$/.test(f));
  const files = names.map((file) => ({ file, gzip: gzipSize(readFileSync(join(dist, file))) }));
  return { files, total: files.reduce((sum, f) => sum + f.gzip, 0) };
}

export function gzipSize(content: Buffer | string): number {
  return gzipSync(content, { level: 9 }).length;
}

export function report(size: InitialSize, budget = BUDGET_BYTES): { line: string; ok: boolean } {
  const kb = (n: number) => (n / 1024).toFixed(1);
  return {
    line: `portal initial JS: ${kb(size.total)} KB gzip (budget ${kb(budget)} KB)`,
    ok: size.total <= budget,
  };
}

if (import.meta.main) {
  const dist = resolve(import.meta.dirname, '..', process.argv[2] ?? 'dist');
  const size = initialJs(dist);
  for (const f of size.files) console.log(`  ${f.file}  ${(f.gzip / 1024).toFixed(1)} KB`);
  const { line, ok } = report(size);
  console.log(line);
  if (!ok) {
    console.error('Over the budget: move code behind a lazy import() or drop a dependency.');
    process.exit(1);
  }
}
