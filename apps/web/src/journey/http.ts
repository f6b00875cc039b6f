// A BFF call with headers of its own (the submission's Idempotency-Key), which lib/api.ts does not
// take; otherwise it answers as api() does: JSON, or an ApiError with the problem (and a sign-in
// redirect when the session has ended or the route wants a stronger sign-in).
import type { Locale } from '../i18n/messages.ts';
import { ApiError } from '../lib/api.ts';
import { NETWORK, signInRedirect, toProblem } from '../lib/problem.ts';

export async function apiWithHeaders<T>(
  path: string,
  options: { locale: Locale; method: 'POST' | 'PUT'; body: unknown; csrf: string; headers: Record<string, string> },
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/portal/api/${path}`, {
      method: options.method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'accept-language': options.locale,
        'content-type': 'application/json',
        'x-csrf-token': options.csrf,
        ...options.headers,
      },
      body: JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError({ status: 0, code: NETWORK });
  }
  if (!response.ok) {
    const problem = toProblem(response.status, await response.json().catch(() => undefined));
    const redirect = signInRedirect(problem, location.pathname + location.search);
    if (redirect) location.assign(redirect);
    throw new ApiError(problem);
  }
  return (await response.json()) as T;
}
