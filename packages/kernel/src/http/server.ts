// The Fastify factory every shape uses: validation, problem+json errors, security headers, limits,
// rate limiting, OpenAPI with a browsable UI, health, readiness and Prometheus metrics.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Logger } from 'pino';
import { surfaceExposure, type Config } from '../config.ts';
import { DomainError } from '../errors.ts';
import {
  AccessDenied,
  describePolicy,
  enforcePolicy,
  enforceResource,
  Policies,
  PROBE_ROUTES,
  type GuardOptions,
  type Policy,
  type PolicyDescription,
} from '../guard.ts';
import type { Metrics } from '../metrics.ts';
import { negotiateLang, toProblem } from './problem.ts';
import { findUnsafeText, findUnsafeUrlEncoded } from './unsafe-text.ts';
import { clientErrorHandler } from './client-errors.ts';
import { compileValidator } from './validation.ts';

export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** The guard's options: authenticate, and optionally onDenied and sentinel's risk signals. */
export interface HttpOptions extends GuardOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly version: string;
  /** Throws when a dependency (database, bus) is unreachable. */
  readonly readiness: () => Promise<Record<string, 'ok'>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: not counted against the in-flight limit (a stream that stays open). */
    inFlight?: false;
  }
}

/** One route as registered, with its policy as data (none: only the blocked-address check applies). */
export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly policy: PolicyDescription | undefined;
  /** Listed in the OpenAPI document (not `schema.hide`). */
  readonly documented: boolean;
}

const routeTables = new WeakMap<object, DeclaredRoute[]>();

/**
 * Every route of a server made by createHttpServer, root routes and hidden ones included, with
 * its policy: what the authorization matrix test (apps/server/test/security) walks, so that a
 * route the OpenAPI document leaves out is not left out of the matrix too.
 */
export function declaredRoutes(app: HttpApp): readonly DeclaredRoute[] {
  return routeTables.get(app) ?? [];
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The embedded database's default in-flight limit (config.ts, http.maxInFlight). */
export const EMBEDDED_MAX_IN_FLIGHT = 16;

/**
 * At most `max` requests handled at once, the probes, streams and injected requests aside (the
 * module client's calls within this process); up to `queue` more wait
 * their turn in arrival order, the rest are 503 SERVER_BUSY with Retry-After. A freed place is
 * handed on at a later turn of the event loop (setImmediate), so that Node reads and accepts
 * connections in between: on the embedded database a turn otherwise ran request after request.
 */
export function limitInFlight(app: HttpApp, max: number, queue: number): { readonly inFlight: () => number } {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) setImmediate(next);
    else inFlight--;
  };
  app.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (
      (route !== undefined && PROBE_ROUTES.has(route)) ||
      request.routeOptions.config.inFlight === false ||
      // Injected: a module calling another in this process (client.ts), on behalf of a request
      // that holds a place already — made to wait, it would wait for itself.
      (request.raw as { isLightMyRequest?: boolean }).isLightMyRequest === true
    )
      return done();
    let held = false;
    const hold = () => {
      held = true;
      const res = reply.raw;
      if (res.destroyed || res.writableFinished) {
        // Gone while it waited: the place passes straight on.
        release();
        return done();
      }
      res.once('close', () => {
        if (held) {
          held = false;
          release();
        }
      });
      done();
    };
    if (inFlight < max) {
      inFlight++;
      return hold();
    }
    if (waiting.length >= queue) return done(new DomainError('SERVER_BUSY'));
    waiting.push(hold);
  });
  return { inFlight: () => inFlight };
}
const RETRY_AFTER_SECONDS = 5;

/**
 * The headers helmet sets, computed once: they depend on the configuration only (no nonces, no
 * directive computed per request), and building them for every request — as @fastify/helmet
 * does, the CSP string each time — was measurable on every route.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => undefined,
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
}

export async function createHttpServer(options: HttpOptions): Promise<HttpApp> {
  const { config, metrics } = options;
  const production = config.env === 'production';
  const app = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    bodyLimit: config.http.bodyLimit,
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.requestTimeoutMs,
    // Node enforces requestTimeout (headers and body, so a body trickled at 1 byte/s) only when
    // it checks its connections, every 30 s by default, and headersTimeout stayed at its 60 s:
    // a 30 s timeout let a slow body hold its connection for 90 s. Check at a fifth of the timeout.
    http: {
      requestTimeout: config.http.requestTimeoutMs,
      headersTimeout: config.http.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.http.requestTimeoutMs / 5))),
    },
    trustProxy: config.http.trustProxy ? config.http.trustProxy.split(',').map((s) => s.trim()) : false,
    // Not `requestIdHeader`: Fastify would take the header as is and skip genReqId's check.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    clientErrorHandler,
    // Bad percent-encoding and over-long path params are answered by the router, before any hook.
    frameworkErrors: (error, request, reply) => {
      const problem = toProblem(error, request, config.http.bodyLimit);
      void (reply as unknown as FastifyReply)
        .code(problem.status)
        .header('content-type', 'application/problem+json; charset=utf-8')
        .send(problem);
    },
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // First of the onRequest hooks: a request that waits for its turn has cost nothing yet.
  const maxInFlight = config.http.maxInFlight ?? (config.databaseUrl ? 0 : EMBEDDED_MAX_IN_FLIGHT);
  if (maxInFlight > 0) limitInFlight(app, maxInFlight, config.http.inFlightQueue);

  app.setValidatorCompiler(compileValidator);
  // Bodies are JSON only; Fastify's default text/plain parser would hand a string to the schema.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request, config.http.bodyLimit);
    if (error instanceof AccessDenied && error.challenge) void reply.header('www-authenticate', error.challenge);
    // A client may come back: the database or a dependency is away for a moment, not gone.
    if (problem.status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    // Shedding load is expected under overload: one line per refusal at info, not an error each.
    if (problem.code === 'SERVER_BUSY') request.log.info({ code: problem.code }, 'request refused: server busy');
    else if (problem.code === 'DATABASE_UNAVAILABLE')
      request.log.warn({ err: error }, 'request failed: database unavailable');
    else if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    void reply.code(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
  });
  app.setNotFoundHandler((request) => {
    throw new DomainError('NOT_FOUND', {}, [
      { field: 'path', code: 'not_found', message: request.url.split('?')[0] ?? '' },
    ]);
  });

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const exposure = surfaceExposure(config);
  const routeTable: DeclaredRoute[] = [];
  routeTables.set(app, routeTable);
  // Every API route declares its policy; one without is a programming error caught at start.
  // Swagger UI's own routes (/api/docs/*) get the policy TONGBAN_HTTP_DOCS chooses.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) {
      route.config = { ...route.config, policy: exposure.docs === 'operator' ? Policies.operator : Policies.public };
    } else if (route.url.startsWith('/api/') && !route.config?.policy) {
      throw new Error(`route ${route.method} ${route.url} declares no policy`);
    }
    const policy = route.config?.policy;
    const documented = !(route.schema as { hide?: boolean } | undefined)?.hide;
    for (const method of [route.method].flat())
      routeTable.push({ method, url: route.url, policy: policy && describePolicy(policy), documented });
  });
  // The guard runs before validation (an unauthenticated caller learns nothing about the schema)
  // and after the rate limiter's onRequest hook (a flood of bad tokens is still limited).
  app.addHook('preValidation', async (request) => {
    await enforcePolicy(request, request.routeOptions.config.policy, options);
  });
  // NUL, other C0 controls and lone surrogates (unsafe-text.ts) are refused in one place, for
  // every route: the raw query string of every request (also /oidc/* and /.well-known/*, whose
  // handlers read the raw request), then parsed bodies, queries and path params. preParsing, not
  // onRequest: after the rate limiter's onRequest hook, so a flood of them is limited too.
  app.addHook('preParsing', async (request) => {
    const url = request.raw.url ?? '';
    const q = url.indexOf('?');
    if (q === -1) return;
    const found = findUnsafeUrlEncoded(url.slice(q + 1), 'query', negotiateLang(request.headers['accept-language']));
    if (found) throw new DomainError('VALIDATION_FAILED', {}, [found]);
  });
  app.addHook('preValidation', async (request) => {
    const lang = negotiateLang(request.headers['accept-language']);
    const found =
      findUnsafeText(request.params, 'params', lang) ??
      findUnsafeText(request.query, 'query', lang) ??
      findUnsafeText(request.body, 'body', lang);
    if (found) throw new DomainError('VALIDATION_FAILED', {}, [found]);
  });
  // Whose resource it is, once params and body are known to be well-formed.
  app.addHook('preHandler', async (request) => {
    await enforceResource(request, request.routeOptions.config.policy, options);
  });

  const security = securityHeaders({
    contentSecurityPolicy: { useDefaults: true, directives: { upgradeInsecureRequests: production ? [] : null } },
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  const securityEntries = Object.entries(security);
  // On the raw response, as helmet itself does: hijacked replies (oidc-provider, event streams) get them too.
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of securityEntries) reply.raw.setHeader(name, value);
    done();
  });
  await app.register(rateLimit, {
    global: true,
    max: config.http.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: () => new DomainError('RATE_LIMITED'),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tongban 通办 API',
        version: options.version,
        description: '一网通办 — one-stop government services',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // Each operation says who may call it (x-tongban-policy, describePolicy's shape): the
    // authorization matrix and the fuzzer read it from the running server.
    transform: ({ schema, url, route }) => {
      const policy = (route as { config?: { policy?: Policy } }).config?.policy;
      const declared = policy ? { 'x-tongban-policy': describePolicy(policy) } : {};
      const withSecurity =
        policy && !policy.public ? { ...schema, ...declared, security: [{ bearer: [] }] } : { ...schema, ...declared };
      return { schema: withSecurity as typeof schema, url };
    },
  });
  if (exposure.docs !== 'off') await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const infra = { config: { policy: { public: true } as const, rateLimit: false as const }, schema: { hide: true } };
  const surface = (setting: 'public' | 'operator') => ({
    ...infra,
    config: { ...infra.config, policy: setting === 'operator' ? Policies.operator : Policies.public },
  });
  if (exposure.docs !== 'off') app.get('/api/openapi.json', surface(exposure.docs), async () => app.swagger());
  app.get('/healthz', infra, async () => ({ status: 'ok' }));
  app.get('/readyz', infra, async (_request, reply) => {
    try {
      return { status: 'ready', checks: await options.readiness() };
    } catch (error) {
      return reply
        .code(503)
        .header('content-type', 'application/problem+json; charset=utf-8')
        .send({
          type: 'urn:tongban:error:not-ready',
          title: 'not ready',
          status: 503,
          code: 'NOT_READY',
          detail: (error as Error).message,
        });
    }
  });
  if (exposure.metrics !== 'off') {
    app.get('/metrics', surface(exposure.metrics), async (_request, reply) => {
      void reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  }
  return app;
}
