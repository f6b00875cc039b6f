// The counter's filing through the BFF: like lib/api.ts's api(), with the Idempotency-Key the
// workflow requires of a filing (the BFF passes it on), so a retried request files once.
import type { Locale } from '../i18n/messages.ts';
import { ApiError } from '../lib/api.ts';
import { NETWORK, signInRedirect, toProblem } from '../lib/problem.ts';
import { paths, type CounterAnswer } from './types.ts';

export async function fileAtCounter(
  body: unknown,
  { locale, csrf, key }: { locale: Locale; csrf: string; key: string },
): Promise<CounterAnswer> {
  let response: Response;
  try {
    response = await fetch(`/portal/api/${paths.counter()}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'accept-language': locale,
        'content-type': 'application/json',
        'x-csrf-token': csrf,
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
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
  return (await response.json()) as CounterAnswer;
}
