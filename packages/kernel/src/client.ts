// Calls between modules go through the callee's published HTTP API, whichever shape runs them:
// in the same process the request is injected into the local Fastify instance (same routing,
// validation and policy as a network call, without a socket); otherwise it goes over HTTP to
// the base URL configured for that module (TONGBAN_SERVICE_<MODULE>_URL).
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
}

export interface ModuleClient {
  request<T>(module: string, request: ModuleRequest): Promise<T>;
  /** 'local', 'remote' or undefined when the module cannot be reached from here. */
  locate(module: string): 'local' | 'remote' | undefined;
}

export interface ClientOptions {
  readonly app: () => HttpApp;
  readonly localModules: ReadonlySet<string>;
  readonly services: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export function createModuleClient(options: ClientOptions): ModuleClient {
  const locate = (module: string) =>
    options.localModules.has(module) ? 'local' as const : options.services[module] ? 'remote' as const : undefined;

  return {
    locate,
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
        const res = await options.app().inject({ method: req.method ?? 'GET', url: path, headers, payload: req.body === undefined ? undefined : JSON.stringify(req.body) });
        status = res.statusCode;
        text = res.body;
      } else {
        let res: Response;
        try {
          res = await fetch(new URL(path, options.services[module]), {
            method: req.method ?? 'GET', headers, body: req.body === undefined ? undefined : JSON.stringify(req.body),
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
}
