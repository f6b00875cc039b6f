import { Component, type ReactNode } from 'react';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { NETWORK } from '../lib/problem.ts';

interface State {
  failed: boolean;
  key: string;
  code: string;
}

/** A page that throws (or whose chunk fails to load after a deploy) shows the error page, not a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  override state: State = { failed: false, key: this.props.resetKey, code: 'INTERNAL' };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    // A lazy page whose chunk cannot be fetched: offline, or a deploy replaced it.
    const chunk = error instanceof TypeError && /import|module/i.test(error.message);
    return { failed: true, code: chunk ? NETWORK : 'INTERNAL' };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: State): Partial<State> | null {
    // Navigating elsewhere clears the error.
    return props.resetKey === state.key ? null : { failed: false, key: props.resetKey };
  }

  override render() {
    return this.state.failed ? <ErrorPage problem={{ status: 0, code: this.state.code }} /> : this.props.children;
  }
}
