import { useEffect, useRef, useState } from 'preact/hooks';

export interface PollState<T> {
  data: T | undefined;
  error: string | undefined;
  /** When the last successful poll finished (ms). */
  at: number | undefined;
  refresh(): void;
}

/** Runs `load` now and every `intervalS` seconds (LuCI `poll.add`), keeping the last good data on errors. */
export function usePoll<T>(load: () => Promise<T>, intervalS: number): PollState<T> {
  const [state, setState] = useState<{ data?: T; error?: string; at?: number }>({});
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const data = await loadRef.current();
        if (alive) setState({ data, error: undefined, at: Date.now() });
      } catch (error) {
        if (alive) setState((previous) => ({ ...previous, error: (error as Error).message }));
      }
      if (alive) timer = setTimeout(run, intervalS * 1000);
    };
    void run();
    return () => { alive = false; if (timer) clearTimeout(timer); };
  }, [intervalS, tick]);
  return { ...state, data: state.data, error: state.error, at: state.at, refresh: () => setTick((n) => n + 1) };
}
