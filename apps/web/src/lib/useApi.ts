import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from './api.ts';
import type { Problem } from './problem.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; problem: Problem };

// Catalog reads are the same for everyone and change only on publication: keep what was read
// this visit, so Back shows a page at once.
const cache = new Map<string, unknown>();

/** Reads `/portal/api/<path>`; `null` reads nothing (a page that has nothing to ask yet). */
export function useApi<T>(path: string | null): Loaded<T> {
  const { locale } = useI18n();
  const [result, setResult] = useState<{ path: string | null; loaded: Loaded<T> }>(() => initial<T>(path));

  useEffect(() => {
    if (path === null || cache.has(path)) return; // nothing to read: the render below answers
    const controller = new AbortController();
    api<T>(path, { locale, signal: controller.signal }).then(
      (data) => {
        cache.set(path, data);
        setResult({ path, loaded: { state: 'ok', data } });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setResult({ path, loaded: { state: 'error', problem: problemFrom(error) } });
      },
    );
    return () => controller.abort();
    // The locale only changes the language of an error's title, which we do not show: no refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path]);

  // Until this path's answer arrives: loading (or what was cached), never the previous path's answer.
  return result.path === path ? result.loaded : initial<T>(path).loaded;
}

function initial<T>(path: string | null): { path: string | null; loaded: Loaded<T> } {
  if (path !== null && cache.has(path)) return { path, loaded: { state: 'ok', data: cache.get(path) as T } };
  return { path, loaded: { state: 'loading' } };
}

/** Reads several paths at once (a bundle's matters); an error in any is the answer. */
export function useApiAll<T>(paths: string[] | null): Loaded<T[]> {
  const { locale } = useI18n();
  const key = paths === null ? null : paths.join('\n');
  const [result, setResult] = useState<{ key: string | null; loaded: Loaded<T[]> }>({
    key: null,
    loaded: { state: 'loading' },
  });
  useEffect(() => {
    if (key === null) return;
    const list = key === '' ? [] : key.split('\n');
    const controller = new AbortController();
    Promise.all(
      list.map((p) =>
        cache.has(p)
          ? Promise.resolve(cache.get(p) as T)
          : api<T>(p, { locale, signal: controller.signal }).then((data) => {
              cache.set(p, data);
              return data;
            }),
      ),
    ).then(
      (data) => setResult({ key, loaded: { state: 'ok', data } }),
      (error: unknown) => {
        if (!controller.signal.aborted) setResult({ key, loaded: { state: 'error', problem: problemFrom(error) } });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return result.key === key ? result.loaded : { state: 'loading' };
}

/** A read that can be asked again: what `useFresh` gives. */
export type Fresh<T> = Loaded<T> & { reload(): void };

/**
 * Reads `/portal/api/<path>` never cached: for what changes under the person's hands (their
 * applications, a queue, a draft an operator edits). `reload()` asks again after a change; while
 * it runs, the previous answer of the same path stays on screen (no flash of "loading").
 */
export function useFresh<T>(path: string | null): Fresh<T> {
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
    // The locale only changes an error's title, which is not shown.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const loaded =
    result.key === key || (result.key.startsWith(`${path ?? ''}#`) && result.loaded.state === 'ok')
      ? result.loaded
      : ({ state: 'loading' } as const);
  return { ...loaded, reload };
}
