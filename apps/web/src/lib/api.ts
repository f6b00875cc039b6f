// Calls to the platform's API through the portal's backend-for-frontend (BFF): /portal/api/<module>/<path>
// with the session cookie; the BFF adds the user's token, so no token ever reaches this code.
import type { Locale } from '../i18n/messages.ts';
import { NETWORK, signInRedirect, toProblem, type Problem } from './problem.ts';

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.title ?? problem.code);
    this.problem = problem;
  }
}

interface Options {
  locale: Locale;
  signal?: AbortSignal;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** The session's CSRF token: sent on every unsafe method. */
  csrf?: string;
  /** Headers of the call's own: a submission's or a filing's Idempotency-Key (the BFF passes it on). */
  headers?: Record<string, string>;
}

async function send(
  url: string,
  { locale, signal, method = 'GET', body, csrf, headers: own }: Options,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': locale, ...own };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  try {
    return await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(signal ? { signal } : {}),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: NETWORK });
  }
}

async function problemOf(response: Response): Promise<Problem> {
  const body: unknown = await response.json().catch(() => undefined);
  return toProblem(response.status, body);
}

/** Calls `/portal/api/<path>` (path = '<module>/<route>') and returns its JSON, or throws an ApiError. */
export async function api<T>(path: string, options: Options): Promise<T> {
  const response = await send(`/portal/api/${path}`, options);
  if (!response.ok) {
    const problem = await problemOf(response);
    const redirect = signInRedirect(problem, location.pathname + location.search);
    if (redirect) location.assign(redirect);
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export function problemFrom(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { status: 0, code: NETWORK };
}
