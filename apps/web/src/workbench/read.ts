// Reads for the workbench: like lib/useApi.ts, but never cached — a queue or a case changes under
// the officer's hands (a claim, an action, a colleague's), so each read asks again; `reload()`
// asks once more after a change.
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import type { Loaded } from '../lib/useApi.ts';

export function useFresh<T>(path: string | null): Loaded<T> & { reload(): void } {
  const { locale } = useI18n();
  const [round, setRound] = useState(0);
  const [result, setResult] = useState<{ key: string; loaded: Loaded<T> }>({
    key: '',
    loaded: { state: 'loading' },
  });
  const key = `${path ?? ''}#${round}`;
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
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  // While a reload runs, the previous answer stays on screen (no flash of "loading").
  const loaded =
    result.key === key || (result.key.startsWith(`${path ?? ''}#`) && result.loaded.state === 'ok')
      ? result.loaded
      : ({ state: 'loading' } as const);
  return { ...loaded, reload };
}
