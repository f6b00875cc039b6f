// Reads for the journey. The person's own data (drafts, applications, consents) changes as they
// act, so it is never cached as lib/useApi caches the catalog: `useFresh` reads it anew on every
// visit and on `reload()`. The subject (a bundle and its pinned matters, or a matter) is catalog
// data, read through useApi's cache.
import { catalogPaths, type Bundle, type Matter } from '../lib/catalog.ts';
import type { Problem } from '../lib/problem.ts';
import { useApi, useApiAll, type Loaded } from '../lib/useApi.ts';

export { useFresh, type Fresh } from '../lib/useApi.ts';
import { pinnedMatterPaths } from '../pages/BundleGuide.tsx';
import { bundleSubject, matterSubject, type Subject } from './model.ts';

/** A bundle (with its pinned matters) or, when no bundle has the code, a matter: the subject of an application. */
export function useSubject(code: string, kind?: string): Loaded<Subject> {
  const bundle = useApi<Bundle>(kind === 'matter' ? null : catalogPaths.bundle(code));
  const notBundle =
    kind === 'matter' || (bundle.state === 'error' && bundle.problem.code === 'CATALOG_BUNDLE_NOT_FOUND');
  const matter = useApi<Matter>(notBundle ? catalogPaths.matter(code) : null);
  const matters = useApiAll<Matter>(bundle.state === 'ok' ? pinnedMatterPaths(bundle.data) : null);
  if (notBundle) {
    if (matter.state !== 'ok') return matter;
    return { state: 'ok', data: matterSubject(matter.data) };
  }
  if (bundle.state === 'error') return bundle;
  if (matters.state === 'error') return matters;
  if (bundle.state !== 'ok' || matters.state !== 'ok') return { state: 'loading' };
  return { state: 'ok', data: bundleSubject(bundle.data, matters.data) };
}

/** A problem's field errors on the form, by form key (and the other errors apart). */
export function fieldErrors(problem: Problem | undefined): {
  byKey: Map<string, string[]>;
  other: Problem | undefined;
} {
  const byKey = new Map<string, string[]>();
  if (!problem?.errors?.length) return { byKey, other: problem };
  for (const e of problem.errors) {
    const key = e.field.startsWith('form.') ? e.field.slice(5) : e.field;
    byKey.set(key, [...(byKey.get(key) ?? []), e.code]);
  }
  return { byKey, other: undefined };
}

/** A fresh idempotency key for one submission (reused on its retries). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID().replace(/-/g, '');
}
