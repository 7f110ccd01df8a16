import { useEffect, useRef, useState } from 'preact/hooks';

export interface PollState<T> {
  data: T | undefined;
  error: string | undefined;
  /** When the last successful poll finished (ms). */
  at: number | undefined;
  refresh(): void;
}

/**
 * Runs `load` now and then every `intervalS` seconds through LuCI's poller (`L.Poll`, so it pauses
 * with the page's other polls, e.g. when the session expired), keeping the last good data on errors.
 * Outside LuCI (no `L.Poll`) it schedules itself.
 */
export function usePoll<T>(load: () => Promise<T>, intervalS: number): PollState<T> {
  const [state, setState] = useState<{ data?: T; error?: string; at?: number }>({});
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poller = window.L?.Poll;
    const once = async () => {
      try {
        const data = await loadRef.current();
        if (alive) setState({ data, error: undefined, at: Date.now() });
      } catch (error) {
        if (alive) setState((previous) => ({ ...previous, error: (error as Error).message }));
      }
    };
    const scheduled = async () => {
      await once();
      if (alive) timer = setTimeout(scheduled, intervalS * 1000);
    };
    if (poller) {
      void once();
      poller.add(once, intervalS);
    } else {
      void scheduled();
    }
    return () => { alive = false; if (timer) clearTimeout(timer); poller?.remove(once); };
  }, [intervalS, tick]);
  return { ...state, data: state.data, error: state.error, at: state.at, refresh: () => setTick((n) => n + 1) };
}
