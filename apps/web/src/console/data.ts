// The console's reads and writes. Unlike the portal's useApi, nothing is cached: what an operator
// edits changes under them, and after a save the page reads it again (reload).
import { useCallback } from 'react';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import type { Problem } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';

export { useFresh } from '../lib/useApi.ts';

/** A write through the BFF with the session's CSRF token; resolves to the answer or a problem. */
export function useSend() {
  const { locale } = useI18n();
  const { session } = useSession();
  const csrf = session.state === 'signedIn' ? session.csrf : undefined;
  return useCallback(
    async <T>(
      path: string,
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      body?: unknown,
    ): Promise<{ ok: true; data: T } | { ok: false; problem: Problem }> => {
      try {
        return { ok: true, data: await api<T>(path, { locale, method, body, ...(csrf ? { csrf } : {}) }) };
      } catch (error) {
        return { ok: false, problem: problemFrom(error) };
      }
    },
    [locale, csrf],
  );
}

export const enc = encodeURIComponent;
