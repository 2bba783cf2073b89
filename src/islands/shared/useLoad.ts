/** Loads data for an island: loading, done, or failed, with a retry. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type LoadState<T> = { status: 'loading' } | { status: 'done'; data: T } | { status: 'failed'; error: unknown };

export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[] = [],
): [LoadState<T>, () => void] {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    loadRef.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ status: 'done', data }),
      (error: unknown) => !controller.signal.aborted && setState({ status: 'failed', error }),
    );
    return () => controller.abort();
  }, [attempt, ...deps]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return [state, retry];
}
