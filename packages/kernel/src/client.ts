// Calls between modules go through the callee's published HTTP API, whichever shape runs them:
// in the same process the request is injected into the local Fastify instance (same routing,
// validation and policy as a network call, without a socket); otherwise it goes over HTTP to
// the base URL configured for that module (TONGBAN_SERVICE_<MODULE>_URL).
import type { ApiRoute } from '@tongban/contracts';
import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { DomainError } from './errors.ts';
import type { HttpApp } from './http/server.ts';
import { ProblemError, type Problem } from './http/problem.ts';

export interface ModuleRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below `/api/<module>`, e.g. `/matters/M001`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * 'service': sent with the calling module's own service token (ctx.serviceToken()) as
   * `Authorization: Bearer …`. Without it the call carries no credential but `headers`.
   */
  readonly auth?: 'service';
}

export interface ModuleClient {
  request<T>(module: string, request: ModuleRequest): Promise<T>;
  /**
   * A route of another module's contract (e.g. CatalogApi.bundleVersion), its answer checked
   * against the contract's schema: an answer the contract does not allow is 502
   * UPSTREAM_CONTRACT_BROKEN naming the module and path (logged with where it differs), never
   * handed on as if it were right.
   */
  call<A extends readonly unknown[], R extends TSchema>(
    route: ApiRoute<A, R>,
    args: A,
    options?: Pick<ModuleRequest, 'auth' | 'headers'>,
  ): Promise<Static<R>>;
  /** 'local', 'remote' or undefined when the module cannot be reached from here. */
  locate(module: string): 'local' | 'remote' | undefined;
  /** The base URL of a module in another process (TONGBAN_SERVICE_<MODULE>_URL); undefined when local or unknown. */
  serviceUrl(module: string): string | undefined;
  /**
   * A browser's request passed on as it is (the portal's backend-for-frontend): any body, the
   * answer's status, headers and bytes as they come, not checked or parsed. A module of this
   * process — or one nobody knows, which this server answers 404 — is injected; another process's
   * is fetched, with the browser's address in X-Forwarded-For (believed there only from proxies in
   * its TONGBAN_HTTP_TRUST_PROXY).
   */
  forward(module: string, request: ForwardedRequest): Promise<ForwardedAnswer>;
}

export interface ForwardedRequest {
  readonly method: string;
  /** The whole path and query, `/api/<module>/…?…`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** The browser's address. */
  readonly remoteAddress: string;
}

export interface ForwardedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
}

export interface ClientOptions {
  readonly app: () => HttpApp;
  readonly localModules: ReadonlySet<string>;
  readonly services: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

// Compiled once per schema object (the contracts' schemas are module-level constants).
const validators = new WeakMap<TSchema, Validator>();

function validatorOf(schema: TSchema): Validator {
  let validator = validators.get(schema);
  if (!validator) validators.set(schema, (validator = Compile(schema)));
  return validator;
}

/** Where an answer differs from its contract, in at most three `/path: message` lines. */
export function contractProblems(schema: TSchema, body: unknown): string[] {
  const validator = validatorOf(schema);
  if (validator.Check(body)) return [];
  const problems: string[] = [];
  for (const error of validator.Errors(body)) {
    if (error.keyword === 'boolean') continue;
    problems.push(`${error.instancePath || '/'}: ${error.message}`);
    if (problems.length === 3) break;
  }
  return problems.length > 0 ? problems : ['/: does not match'];
}

/** `call` in terms of a client's `request`: shared by the client and its service-authenticated view. */
export async function callRoute<A extends readonly unknown[], R extends TSchema>(
  request: ModuleClient['request'],
  route: ApiRoute<A, R>,
  args: A,
  options: Pick<ModuleRequest, 'auth' | 'headers'> = {},
): Promise<Static<R>> {
  const path = route.path(...args);
  const body = await request<unknown>(route.module, { method: route.method, path, ...options });
  const problems = contractProblems(route.response, body);
  if (problems.length > 0)
    throw new DomainError('UPSTREAM_CONTRACT_BROKEN', { module: route.module, path }, [], { problems });
  return body as Static<R>;
}

export function createModuleClient(options: ClientOptions): ModuleClient {
  const locate = (module: string) =>
    options.localModules.has(module) ? ('local' as const) : options.services[module] ? ('remote' as const) : undefined;

  const forward = async (module: string, req: ForwardedRequest): Promise<ForwardedAnswer> => {
    const base = locate(module) === 'remote' ? options.services[module] : undefined;
    if (!base) {
      const res = await options.app().inject({
        method: req.method as 'GET',
        url: req.url,
        headers: req.headers,
        remoteAddress: req.remoteAddress,
        ...(req.body === undefined ? {} : { payload: req.body }),
      });
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(res.headers))
        if (value !== undefined) headers[name] = Array.isArray(value) ? value : String(value);
      return { status: res.statusCode, headers, body: res.rawPayload };
    }
    let res: Response;
    try {
      res = await fetch(new URL(req.url, base), {
        method: req.method,
        headers: { ...req.headers, 'x-forwarded-for': req.remoteAddress },
        ...(req.body === undefined ? {} : { body: req.body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch {
      throw new DomainError('UPSTREAM_UNAVAILABLE', { module });
    }
    const headers: Record<string, string | string[]> = {};
    // fetch has already decoded the body: its encoding and length no longer describe it.
    res.headers.forEach((value, name) => {
      if (!['set-cookie', 'content-encoding', 'content-length'].includes(name)) headers[name] = value;
    });
    return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) };
  };

  const client: ModuleClient = {
    locate,
    serviceUrl: (module) => (locate(module) === 'remote' ? options.services[module] : undefined),
    forward,
    call: (route, args, callOptions) => callRoute(client.request, route, args, callOptions),
    async request<T>(module: string, req: ModuleRequest): Promise<T> {
      const where = locate(module);
      if (!where) throw new DomainError('UPSTREAM_UNAVAILABLE', { module });
      const qs = req.query ? `?${new URLSearchParams(req.query as Record<string, string>)}` : '';
      const path = `/api/${module}${req.path}${qs}`;
      const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
      if (req.body !== undefined) headers['content-type'] = 'application/json';
      let status: number;
      let text: string;
      if (where === 'local') {
        const res = await options.app().inject({
          method: req.method ?? 'GET',
          url: path,
          headers,
          payload: req.body === undefined ? undefined : JSON.stringify(req.body),
        });
        status = res.statusCode;
        text = res.body;
      } else {
        let res: Response;
        try {
          res = await fetch(new URL(path, options.services[module]), {
            method: req.method ?? 'GET',
            headers,
            body: req.body === undefined ? undefined : JSON.stringify(req.body),
            signal: AbortSignal.timeout(options.timeoutMs),
          });
        } catch {
          throw new DomainError('UPSTREAM_UNAVAILABLE', { module });
        }
        status = res.status;
        text = await res.text();
      }
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not our API answering (a proxy's error page, a wrong URL): the module is not reachable.
        throw new DomainError('UPSTREAM_UNAVAILABLE', { module });
      }
      if (status >= 400) {
        if (body && typeof body === 'object' && 'code' in body) throw new ProblemError(body as Problem);
        throw new DomainError('UPSTREAM_UNAVAILABLE', { module });
      }
      return body as T;
    },
  };
  return client;
}

/** A module's view of the client: `auth: 'service'` adds that module's own service token. */
export function withServiceAuth(client: ModuleClient, serviceToken: () => Promise<string>): ModuleClient {
  const authed: ModuleClient = {
    locate: client.locate,
    serviceUrl: client.serviceUrl,
    forward: client.forward,
    call: (route, args, callOptions) => callRoute(authed.request, route, args, callOptions),
    async request<T>(module: string, req: ModuleRequest): Promise<T> {
      if (req.auth !== 'service') return client.request<T>(module, req);
      const token = await serviceToken();
      return client.request<T>(module, { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });
    },
  };
  return authed;
}

/**
 * Identity's token endpoint (`/oidc/token`, outside `/api/identity`, form-encoded): injected when
 * identity runs here, else POSTed to TONGBAN_SERVICE_IDENTITY_URL. Undefined when neither.
 */
export function identityTokenEndpoint(
  options: ClientOptions,
): ((form: string) => Promise<{ status: number; body: string }>) | undefined {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (options.localModules.has('identity')) {
    return async (form) => {
      const res = await options.app().inject({ method: 'POST', url: '/oidc/token', headers, payload: form });
      return { status: res.statusCode, body: res.body };
    };
  }
  const base = options.services.identity;
  if (!base) return undefined;
  return async (form) => {
    const res = await fetch(new URL('/oidc/token', base), {
      method: 'POST',
      headers,
      body: form,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    return { status: res.status, body: await res.text() };
  };
}
