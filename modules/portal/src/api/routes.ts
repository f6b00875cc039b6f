// The portal's own routes, outside /api (a browser reaches them; none takes a bearer token):
//   GET  /portal/login?return=<path>[&assurance=mfa]   starts a sign-in (302 to identity)
//   GET  /portal/callback                              identity's redirect back (302 to the path)
//   GET  /portal/session                               who is signed in, and the anti-forgery token
//   POST /portal/logout                                ends the session (header x-csrf-token)
//   *    /portal/api/<module>/<path>                   /api/<module>/<path> with the session's token
//   GET  /portal/events                                /api/workflow/me/events, streamed (events.ts)
// Who may call: anyone (public policy); what they reach is decided by the token the portal adds —
// the platform's guard checks it at /api as for any caller. Without a session, /portal/api calls
// go on without a token (public routes answer — registration, say; guarded ones say 401
// PORTAL_SIGNED_OUT). The anti-forgery token guards what a session may do: a signed-out browser
// carries no authority a cross-site form could borrow, so its unsafe calls need none.
// Bodies: JSON as parsed, and files (PDF, JPEG, PNG) as raw bytes for the modules that take uploads.
import { Policies, type HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import { safeReturnPath } from '../domain/paths.ts';
import { PortalError } from '../errors.ts';
import { eventRoutes } from './events.ts';
import type { Portal } from '../service/portal.ts';

const SESSION_COOKIE = 'tongban_portal';
const LOGIN_COOKIE = 'tongban_portal_login';
const EVENTS_VIA_API = '/portal/api/workflow/me/events';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The files a module may take as a raw body (workflow's documents), passed on byte for byte. */
const FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
/** Above the largest upload a module accepts (workflow documents: 10 MiB); the module's route enforces its own. */
const FILE_BODY_LIMIT = 11 * 1024 * 1024;
const FORWARDED = [
  'accept',
  'accept-language',
  'content-type',
  'if-match',
  'if-none-match',
  'idempotency-key',
  'x-file-name',
];
const route = { config: { policy: Policies.public }, schema: { hide: true } } as const;

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** HttpOnly, SameSite=Lax (identity's redirect back is a top-level GET), Secure on https; Path=/. */
function setCookie(portal: Portal, name: string, value: string, maxAgeSeconds: number): string {
  const secure = portal.origin.startsWith('https:');
  return [
    `${secure ? `__Host-${name}` : name}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

const cookieName = (portal: Portal, name: string) => (portal.origin.startsWith('https:') ? `__Host-${name}` : name);

export function portalRoutes(app: HttpApp, portal: Portal): void {
  const read = (headers: Record<string, string | string[] | undefined>, name: string) => {
    const header = headers.cookie;
    return cookieOf(typeof header === 'string' ? header : undefined, cookieName(portal, name));
  };

  // The live stream of my applications' steps, piped rather than injected (events.ts).
  eventRoutes(app, (headers) => portal.current(read(headers as Record<string, string | undefined>, SESSION_COOKIE)));

  app.get(
    '/portal/login',
    {
      ...route,
      schema: {
        hide: true,
        querystring: Type.Object({
          return: Type.Optional(Type.String({ maxLength: 2048 })),
          assurance: Type.Optional(Type.Literal('mfa')),
        }),
      },
    },
    async (req, reply) => {
      // Opened at another name of this server (127.0.0.1 for localhost): start again at the one
      // identity sends the browser back to, or the sign-in's cookie would be on the wrong host.
      // Only without a public URL: behind a proxy the request's own origin is not the public one.
      if (portal.localOrigin && `${req.protocol}://${req.host}` !== portal.origin)
        return reply.redirect(`${portal.origin}${req.url}`, 302);
      const { cookie, url } = await portal.startLogin(safeReturnPath(req.query.return), req.query.assurance);
      void reply.header('set-cookie', setCookie(portal, LOGIN_COOKIE, cookie, 600));
      void reply.header('cache-control', 'no-store');
      return reply.redirect(url, 302);
    },
  );

  app.get('/portal/callback', route, async (req, reply) => {
    const callback = new URL(req.url, portal.origin);
    void reply.header('cache-control', 'no-store');
    const { cookie, returnTo } = await portal.finishLogin(read(req.headers, LOGIN_COOKIE), callback);
    void reply.header('set-cookie', [
      setCookie(portal, LOGIN_COOKIE, '', 0),
      setCookie(portal, SESSION_COOKIE, cookie, 12 * 3600),
    ]);
    return reply.redirect(returnTo, 302);
  });

  app.get('/portal/session', route, async (req, reply) => {
    void reply.header('cache-control', 'no-store');
    const session = await portal.current(read(req.headers, SESSION_COOKIE));
    return session ? { signedIn: true, csrf: session.csrf, user: session.user } : { signedIn: false };
  });

  app.post('/portal/logout', route, async (req, reply) => {
    const cookie = read(req.headers, SESSION_COOKIE);
    const session = await portal.current(cookie);
    if (session && req.headers['x-csrf-token'] !== session.csrf) throw new PortalError('PORTAL_CSRF');
    const endSession = await portal.logout(cookie);
    void reply.header('set-cookie', setCookie(portal, SESSION_COOKIE, '', 0));
    void reply.header('cache-control', 'no-store');
    return { endSession };
  });

  // Counted once, by the /api route it reaches (injected with the caller's address), not twice.
  // In a scope of its own, so that files are read as bytes here and nowhere else.
  void app.register(async (scope) => {
    scope.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: FILE_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    scope.all('/portal/api/*', { ...route, config: { ...route.config, rateLimit: false } }, async (req, reply) => {
      // A stream through inject would be buffered and never arrive: its own route pipes it (events.ts).
      const asked = new URL(req.url, 'http://portal.invalid');
      if (req.method === 'GET' && asked.pathname === EVENTS_VIA_API)
        return reply.redirect(`/portal/events${asked.search}`, 307);
      const session = await portal.current(read(req.headers, SESSION_COOKIE));
      if (session && UNSAFE.has(req.method) && req.headers['x-csrf-token'] !== session.csrf)
        throw new PortalError('PORTAL_CSRF');
      const headers: Record<string, string> = {};
      for (const name of FORWARDED) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      if (session) headers.authorization = `Bearer ${session.accessToken}`;
      const answer = await app.inject({
        method: req.method as 'GET',
        url: req.url.replace(/^\/portal\/api\//, '/api/'),
        headers,
        remoteAddress: req.ip,
        ...(req.body === undefined ? {} : { payload: Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body) }),
      });
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value === undefined || ['content-length', 'transfer-encoding', 'connection', 'set-cookie'].includes(name))
          continue;
        void reply.header(name, value);
      }
      // A guarded route answering 401 to a signed-out browser: say so in the portal's words.
      if (answer.statusCode === 401 && !session) throw new PortalError('PORTAL_SIGNED_OUT');
      return reply.code(answer.statusCode).send(answer.rawPayload);
    });
  });
}
