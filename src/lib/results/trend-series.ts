/**
 * A test's history as series to draw: only the result page's trend loads
 * this (islands/shared/Trend.tsx, after the result is on screen).
 */
import type { Flag, Result, Unit, UsualRange } from './model.ts';

export interface TrendSeries {
  unitKey: string;
  unit: Unit;
  points: { id: string; date: string; value: number; decimals: number; flag?: Flag; second?: number }[];
  /** The latest usual range in this unit, to shade. */
  range?: UsualRange;
  /** Blood pressure: points carry systolic as value and diastolic as second. */
  pressure: boolean;
}

/**
 * A test's history, oldest first, as one series per unit: values in
 * different units are never drawn on one axis.
 */
export function trendSeries(history: Result[]): TrendSeries[] {
  const series = new Map<string, TrendSeries>();
  const sorted = [...history]
    .filter((r) => r.date && r.status !== 'cancelled')
    .sort((a, b) => Date.parse(a.date ?? '') - Date.parse(b.date ?? ''));
  for (const r of sorted) {
    let key: string;
    let point: TrendSeries['points'][number] | undefined;
    let unit: Unit;
    if (r.value.kind === 'amount') {
      key = r.value.amount.unitKey.toLowerCase();
      unit = r.value.amount.unit;
      point = {
        id: r.id,
        date: r.date as string,
        value: r.value.amount.value,
        decimals: r.value.amount.decimals,
        ...(r.flag ? { flag: r.flag } : {}),
      };
    } else if (r.value.kind === 'pressure' && r.value.systolic && r.value.diastolic) {
      key = 'mmhg';
      unit = r.value.systolic.unit;
      point = {
        id: r.id,
        date: r.date as string,
        value: r.value.systolic.value,
        second: r.value.diastolic.value,
        decimals: 0,
        ...(r.flag ? { flag: r.flag } : {}),
      };
    } else continue;
    let s = series.get(key);
    if (!s) {
      s = { unitKey: key, unit, points: [], pressure: r.value.kind === 'pressure' };
      series.set(key, s);
    }
    s.points.push(point);
    if (r.range && r.range.kind !== 'text') s.range = r.range;
  }
  return [...series.values()].filter((s) => s.points.length >= 2);
}
