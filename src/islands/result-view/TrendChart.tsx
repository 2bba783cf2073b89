/**
 * A small trend chart: the usual range shaded, the values as labelled
 * points, first and last dates below. It is a picture of the words beside
 * it (the summary and the table), so it is hidden from screen readers.
 * Text is HTML, not SVG, so it follows the patient's text size.
 */
import { formatDate, formatNumber } from '../../lib/i18n/format.ts';
import type { Lang } from '../../lib/i18n/langs.ts';
import type { TrendSeries } from '../../lib/results/trend-series.ts';

export function TrendChart({ series, lang, timeZone }: { series: TrendSeries; lang: Lang; timeZone: string }) {
  const points = series.points;
  const values = points.flatMap((p) => (p.second !== undefined ? [p.value, p.second] : [p.value]));
  const range = series.range;
  const bounds = [...values];
  if (range?.kind === 'between') bounds.push(range.low.value, range.high.value);
  else if (range?.kind === 'at-least') bounds.push(range.low.value);
  else if (range?.kind === 'at-most') bounds.push(range.high.value);
  let min = Math.min(...bounds);
  let max = Math.max(...bounds);
  const pad = (max - min || Math.abs(max) || 1) * 0.15;
  min -= pad;
  max += pad;
  const first = Date.parse(points[0]?.date ?? '');
  const last = Date.parse(points.at(-1)?.date ?? '');
  const x = (date: string) => (last === first ? 50 : 6 + ((Date.parse(date) - first) / (last - first)) * 88);
  const y = (value: number) => 100 - ((value - min) / (max - min)) * 100;
  const fmt = (value: number, decimals: number) =>
    formatNumber(lang, value, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  const labelled = new Set<number>();
  if (points.length <= 6) points.forEach((_, i) => labelled.add(i));
  else {
    labelled.add(0).add(points.length - 1);
    labelled.add(points.findIndex((p) => p.value === Math.max(...points.map((q) => q.value))));
    labelled.add(points.findIndex((p) => p.value === Math.min(...points.map((q) => q.value))));
  }
  let band: { top: number; bottom: number } | undefined;
  if (range?.kind === 'between') band = { top: y(range.high.value), bottom: y(range.low.value) };
  else if (range?.kind === 'at-least') band = { top: 0, bottom: y(range.low.value) };
  else if (range?.kind === 'at-most') band = { top: y(range.high.value), bottom: 100 };
  const line = (pick: (p: (typeof points)[number]) => number | undefined) =>
    points
      .map((p) => [x(p.date), pick(p)] as const)
      .filter((pt): pt is readonly [number, number] => pt[1] !== undefined)
      .map(([px, py]) => `${px},${y(py)}`)
      .join(' ');
  const short = (date: string) => formatDate(lang, new Date(date), { month: 'short', year: 'numeric', timeZone });

  return (
    <div class="trend" aria-hidden="true">
      <div class="trend__plot">
        {band && (
          <div class="trend__band" style={{ top: `${band.top}%`, height: `${Math.max(0, band.bottom - band.top)}%` }} />
        )}
        <svg class="trend__lines" viewBox="0 0 100 100" preserveAspectRatio="none" focusable="false">
          <polyline points={line((p) => p.value)} vector-effect="non-scaling-stroke" />
          {series.pressure && (
            <polyline points={line((p) => p.second)} vector-effect="non-scaling-stroke" class="trend__second" />
          )}
        </svg>
        {points.map((p, i) => (
          <>
            <span class="trend__dot" style={{ left: `${x(p.date)}%`, top: `${y(p.value)}%` }} />
            {p.second !== undefined && (
              <span class="trend__dot trend__dot--second" style={{ left: `${x(p.date)}%`, top: `${y(p.second)}%` }} />
            )}
            {labelled.has(i) && (
              <span
                class={`trend__label${x(p.date) > 80 ? ' trend__label--end' : x(p.date) < 20 ? ' trend__label--start' : ''}`}
                style={{ left: `${x(p.date)}%`, top: `${y(p.value)}%` }}
              >
                {p.second !== undefined
                  ? `${fmt(p.value, p.decimals)}/${fmt(p.second, p.decimals)}`
                  : fmt(p.value, p.decimals)}
              </span>
            )}
          </>
        ))}
      </div>
      <div class="trend__dates">
        <span>{short(points[0]?.date ?? '')}</span>
        <span>{short(points.at(-1)?.date ?? '')}</span>
      </div>
    </div>
  );
}
