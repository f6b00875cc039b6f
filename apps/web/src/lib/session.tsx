import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { loginUrl } from './problem.ts';

// The BFF's view of who is signed in (GET /portal/session). The session itself is an HttpOnly
// cookie this code never sees; `csrf` goes in x-csrf-token on unsafe requests.
export interface User {
  id: string;
  name: string;
  kind: 'citizen' | 'business' | 'officer' | 'operator' | 'security';
  assurance: 'password' | 'mfa';
  roles: string[];
  departments: string[];
}

export type Session = { state: 'unknown' } | { state: 'signedOut' } | { state: 'signedIn'; csrf: string; user: User };

interface SessionApi {
  session: Session;
  signIn(returnTo?: string): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

async function readSession(): Promise<Session> {
  try {
    const response = await fetch('/portal/session', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    // No BFF yet (404), or it is down: nobody can be signed in.
    if (!response.ok) return { state: 'signedOut' };
    const body = (await response.json()) as { signedIn: boolean; csrf?: string; user?: User };
    return body.signedIn && body.csrf && body.user
      ? { state: 'signedIn', csrf: body.csrf, user: body.user }
      : { state: 'signedOut' };
  } catch {
    return { state: 'signedOut' };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ state: 'unknown' });
  useEffect(() => {
    let live = true;
    void readSession().then((s) => live && setSession(s));
    return () => {
      live = false;
    };
  }, []);

  const signIn = useCallback((returnTo?: string) => {
    // A full page load: the server redirects to identity's sign-in and back.
    location.assign(loginUrl(returnTo ?? location.pathname + location.search));
  }, []);

  const signOut = useCallback(async () => {
    if (session.state === 'signedIn') {
      await fetch('/portal/logout', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'x-csrf-token': session.csrf },
      }).catch(() => undefined);
    }
    location.assign('/');
  }, [session]);

  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
