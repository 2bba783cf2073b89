/**
 * The result page's trend (chart, summary and table, Trend.tsx) is below the
 * result and its meaning, so its code (about 1.8 KB brotli) is loaded only for a
 * result that has one, once the result is on screen, not before the page's
 * first data.
 */
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { TrendProps } from './Trend.tsx';

export function LazyTrend(trend: TrendProps) {
  const [Trend, setTrend] = useState<FunctionComponent<TrendProps> | undefined>(undefined);
  useEffect(() => {
    // Not loaded (offline before the service worker kept it): the result stands without its trend.
    import('./Trend.tsx').then(
      (m) => setTrend(() => m.Trend),
      () => undefined,
    );
  }, []);
  return Trend ? <Trend {...trend} /> : null;
}
