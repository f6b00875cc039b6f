import { Suspense } from 'react';
import { Loading } from '../components/Loading.tsx';
import { matchPath } from '../lib/paths.ts';
import { useLocation } from '../lib/router.tsx';
import { NotFound } from '../pages/NotFound.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { areas, portalRoutes } from './table.tsx';

export function Routes() {
  const { pathname } = useLocation();
  return (
    <ErrorBoundary resetKey={pathname}>
      <Suspense fallback={<Loading />}>{render(pathname)}</Suspense>
    </ErrorBoundary>
  );
}

function render(pathname: string) {
  for (const area of areas) {
    const params = matchPath(`${area.prefix}/*`, pathname);
    if (params) return <area.page params={params} />;
  }
  for (const route of portalRoutes) {
    const params = matchPath(route.path, pathname);
    // Keyed by path: a new page starts with fresh state.
    if (params) return <route.page key={pathname} params={params} />;
  }
  return <NotFound />;
}
