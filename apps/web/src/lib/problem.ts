// RFC 9457 problem+json as the API answers it, and what the SPA does with one. Pure: tested by
// node --test.
import type { MessageKey } from '../i18n/messages.ts';
import { catalogs } from '../i18n/messages.ts';

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
}

/** The code the SPA gives a request that never reached the server (offline, DNS, CORS, aborted). */
export const NETWORK = 'NETWORK';

/** A problem from a response body; anything that is not problem+json becomes one with the status's generic code. */
export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
    const b = body as Partial<Problem>;
    return {
      ...b,
      status: typeof b.status === 'number' ? b.status : status,
      code: b.code as string,
      ...(Array.isArray(b.errors) ? { errors: b.errors } : {}),
    };
  }
  return { status, code: status === 404 ? 'NOT_FOUND' : status >= 500 ? 'INTERNAL' : 'UNKNOWN' };
}

/**
 * The catalog key for a problem code: an area's own words for it first (`workbench.errors.<CODE>`:
 * an officer is told differently from a citizen), then `errors.<CODE>`, else the generic message.
 */
export function problemMessageKey(code: string, area?: 'workbench' | 'console'): MessageKey {
  for (const key of [area ? `${area}.errors.${code}` : '', `errors.${code}`])
    if (key && Object.hasOwn(catalogs['zh-CN'], key)) return key as MessageKey;
  return 'errors.generic';
}

/** Where a problem sends the browser to sign in (BFF contract), or undefined when it does not. */
export function signInRedirect(problem: Pick<Problem, 'status' | 'code'>, currentPath: string): string | undefined {
  if (problem.status !== 401) return undefined;
  if (problem.code === 'PORTAL_SIGNED_OUT') return loginUrl(currentPath);
  if (problem.code === 'STEP_UP_REQUIRED') return loginUrl(currentPath, 'mfa');
  return undefined;
}

/** The BFF's sign-in address, which comes back to `returnTo` (a path on this site only). */
export function loginUrl(returnTo: string, assurance?: 'mfa'): string {
  const safe = returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
  const query = new URLSearchParams({ return: safe });
  if (assurance) query.set('assurance', assurance);
  return `/portal/login?${query.toString()}`;
}
