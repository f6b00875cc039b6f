// The live stream of my applications' steps, for the pages that show them.
import { useEffect, useRef } from 'react';

/**
 * Listens to my applications' live steps (the BFF's /portal/events, Server-Sent Events) and calls
 * `onStep` for each; EventSource reconnects by itself with Last-Event-ID, so nothing is missed.
 */
export function useLiveSteps(onStep: (step: { applicationId?: string }) => void): void {
  const latest = useRef(onStep);
  useEffect(() => {
    latest.current = onStep;
  });
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/portal/events');
    const handle = (e: MessageEvent<string>) => {
      try {
        latest.current(JSON.parse(e.data) as { applicationId?: string });
      } catch {
        latest.current({});
      }
    };
    source.addEventListener('step', handle);
    source.addEventListener('reset', handle);
    return () => source.close();
  }, []);
}
