// A small history-API router of our own (react-router would cost ~20 KB gzip of the 150 KB
// budget for features we do not use): a location context, navigate(), and a Link that
// intercepts same-app clicks.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';

export interface Location {
  pathname: string;
  search: string;
  query: URLSearchParams;
}

interface Router {
  location: Location;
  navigate(href: string, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<Router | null>(null);

function current(): Location {
  return { pathname: location.pathname, search: location.search, query: new URLSearchParams(location.search) };
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [loc, setLoc] = useState(current);
  const navigated = useRef(false);

  useEffect(() => {
    const onPop = () => {
      navigated.current = true;
      setLoc(current());
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((href: string, options?: { replace?: boolean }) => {
    if (options?.replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    navigated.current = true;
    scrollTo(0, 0);
    setLoc(current());
  }, []);

  // After a client-side navigation, focus moves to <main> so that a screen reader starts at the
  // new page's content, as after a full page load. A layout effect: it runs before the pages'
  // effects, so an ErrorSummary that focuses itself on mount still wins.
  useLayoutEffect(() => {
    if (!navigated.current) return;
    navigated.current = false;
    document.getElementById('main-content')?.focus();
  }, [loc]);

  const value = useMemo(() => ({ location: loc, navigate }), [loc, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): Router {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}

export function useLocation(): Location {
  return useRouter().location;
}
