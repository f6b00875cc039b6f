// The console's reads and writes. Unlike the portal's useApi, nothing is cached: what an operator
// edits changes under them, and after a save the page reads it again (reload).
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import type { Problem } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import type { Loaded } from '../lib/useApi.ts';

export function useFresh<T>(path: string | null): Loaded<T> & { reload(): void } {
  const { locale } = useI18n();
  const [round, setRound] = useState(0);
  const [result, setResult] = useState<{ key: string; loaded: Loaded<T> } | null>(null);
  const key = `${path}#${round}`;
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    api<T>(path, { locale, signal: controller.signal }).then(
      (data) => setResult({ key, loaded: { state: 'ok', data } }),
      (error: unknown) => {
        if (!controller.signal.aborted) setResult({ key, loaded: { state: 'error', problem: problemFrom(error) } });
      },
    );
    return () => controller.abort();
    // The locale only changes an error's title, which is not shown.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  // While a reload is on its way, the last answer stays on screen (no flash of "loading").
  const loaded: Loaded<T> =
    result && (result.key === key || result.key.startsWith(`${path}#`)) ? result.loaded : { state: 'loading' };
  return Object.assign({}, loaded, { reload });
}

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
