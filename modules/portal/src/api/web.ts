// The web app (apps/web's build) at `/`: its files as they are, and index.html for every other
// path the browser asks for (the app routes in the page: /search, /bundles/…), except the
// platform's own prefixes (/api, /oidc, /portal/…, /.well-known, probes), which answer for
// themselves. Hashed assets are cached for a year; index.html never (a new build is seen at once).
// Who may call: anyone (these are the pages a person opens before signing in).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { Policies, type HttpApp } from '@tongban/kernel';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Paths the web app never answers: the platform's own. */
const PLATFORM =
  /^\/(api|oidc|\.well-known|healthz|readyz|metrics)(\/|$)|^\/portal\/(login|callback|session|logout|api)(\/|\?|$)/;

/** Serves the build in `dir` when it holds an index.html; returns whether it does. */
export function webRoutes(app: HttpApp, dir: string): boolean {
  const root = normalize(dir.endsWith(sep) ? dir : dir + sep);
  if (!existsSync(join(root, 'index.html'))) return false;
  // Files of the build, the same for everyone: not counted against the address's request budget
  // (a page load is a dozen of them, and an office of officers shares one address).
  const route = { config: { policy: Policies.public, rateLimit: false }, schema: { hide: true } } as const;
  const handler = async (
    req: { url: string },
    reply: {
      header(k: string, v: string): unknown;
      type(t: string): unknown;
      code(n: number): unknown;
      callNotFound(): void;
    },
  ) => {
    const path = decodeURIComponent(req.url.split('?')[0]!.split('#')[0]!);
    if (PLATFORM.test(path)) return reply.callNotFound();
    const file = normalize(join(root, path));
    if (file.startsWith(root) && extname(file) !== '' && existsSync(file)) {
      void reply.type(TYPES[extname(file)] ?? 'application/octet-stream');
      void reply.header(
        'cache-control',
        path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      );
      return readFile(file);
    }
    // A missing file with an extension (an old asset) is a 404, not the page.
    if (extname(path) !== '') return reply.callNotFound();
    void reply.type(TYPES['.html']!);
    void reply.header('cache-control', 'no-cache');
    return readFile(join(root, 'index.html'));
  };
  app.get('/', route, handler);
  app.get('/*', route, handler);
  // Where identity sends a browser after signing out (the portal client's post-logout URI).
  app.get('/portal/', route, async (_req, reply) => reply.redirect('/', 302));
  return true;
}
