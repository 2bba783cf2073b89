/**
 * A result's history: one chart per unit, a sentence saying how it went, and
 * the values as a table. Loaded by ResultView only for a result that has a
 * history, after the result is on screen (LazyTrend.tsx).
 */
import { fill, formatDate } from '../../lib/i18n/format.ts';
import { monthYear, nameInSentence } from '../../lib/results/detail-words.ts';
import type { ResultDetail } from '../../lib/results/fetch-detail.ts';
import { trendSeries, type TrendSeries } from '../../lib/results/trend-series.ts';
import { amountText, unitText, valueText } from '../../lib/results/words.ts';
import type { Props } from './props.ts';
import { FlagBadge } from '../shared/Flag.tsx';
import { TrendChart } from './TrendChart.tsx';

export interface TrendProps {
  detail: ResultDetail;
  name: string;
  props: Props;
}

function trendSummary(series: TrendSeries, name: string, props: Props): string {
  const { lang, strings, timeZone } = props;
  const first = series.points[0];
  const last = series.points.at(-1);
  if (!first || !last) return '';
  const unit = unitText(series.unit, strings);
  const show = (p: typeof first) => {
    const fmt = (v: number) =>
      amountText(lang, { value: v, decimals: p.decimals, unit: { none: true }, unitKey: '' }, strings, false);
    const core = p.second !== undefined ? `${fmt(p.value)}/${fmt(p.second)}` : fmt(p.value);
    return unit ? `${core} ${unit}` : core;
  };
  const key = first.value === last.value && first.second === last.second ? 'trend.same' : 'trend.went';
  return fill(strings[key], {
    name: nameInSentence(name, lang),
    first: show(first),
    firstDate: monthYear(lang, first.date, timeZone),
    last: show(last),
    lastDate: monthYear(lang, last.date, timeZone),
  });
}

export function Trend({ detail, name, props }: TrendProps) {
  const { lang, strings, timeZone } = props;
  const all = trendSeries(detail.history);
  if (!all.length) return null;
  return (
    <section aria-labelledby="trend-heading" class="trend-section">
      <h2 id="trend-heading">{strings['trend.heading']}</h2>
      {all.map((series, i) => {
        const summary = trendSummary(series, name, props);
        const unit = unitText(series.unit, strings);
        return (
          <figure class="trend-figure" key={series.unitKey}>
            <figcaption id={`trend-summary-${i}`}>
              <p class="trend-summary">{summary}</p>
              {all.length > 1 && unit && <p>{fill(strings['trend.unit'], { unit })}</p>}
              {series.range && <p>{strings['trend.shaded']}</p>}
            </figcaption>
            <TrendChart series={series} lang={lang} timeZone={timeZone} />
            <details class="trend-table">
              <summary>{strings['trend.showTable']}</summary>
              <table>
                <caption class="visually-hidden">{summary}</caption>
                <thead>
                  <tr>
                    <th scope="col">{strings['trend.date']}</th>
                    <th scope="col">{strings['trend.value']}</th>
                    <th scope="col">{strings['trend.flag']}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...series.points].reverse().map((p) => {
                    const r = detail.history.find((h) => h.id === p.id);
                    return (
                      <tr key={p.id}>
                        <th scope="row">{formatDate(lang, new Date(p.date), { dateStyle: 'medium', timeZone })}</th>
                        <td>{r ? valueText(lang, r.value, strings) : ''}</td>
                        <td>{r?.flag ? <FlagBadge flag={r.flag} words={strings} /> : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </details>
          </figure>
        );
      })}
    </section>
  );
}
