/**
 * A value on a bar beside its usual range (the result page): the usual band,
 * a marker at the value, and a sentence saying where the value sits, which is
 * what screen readers and Listen read (the bar itself is hidden from them).
 */
import { fill } from '../../lib/i18n/format.ts';
import type { Lang } from '../../lib/i18n/langs.ts';
import { rangeText } from '../../lib/results/detail-words.ts';
import type { Amount, UsualRange } from '../../lib/results/model.ts';
import { amountText, type ResultWords } from '../../lib/results/words.ts';

export type RangeBarWords = ResultWords &
  Record<'view.bar.inside' | 'view.bar.above' | 'view.bar.below' | 'view.bar.low' | 'view.bar.high', string>;

/** Drawn only for a range with both ends; other ranges are said in words by the page. */
export function RangeBar({
  value,
  range,
  lang,
  words,
}: {
  value: Amount;
  range: UsualRange;
  lang: Lang;
  words: RangeBarWords;
}) {
  if (range.kind !== 'between' || range.low.value >= range.high.value) return null;
  const span = range.high.value - range.low.value;
  const min = Math.min(range.low.value - span * 0.6, value.value);
  const max = Math.max(range.high.value + span * 0.6, value.value);
  const at = (v: number) => ((v - min) / (max - min)) * 100;
  const where =
    value.value < range.low.value
      ? 'view.bar.below'
      : value.value > range.high.value
        ? 'view.bar.above'
        : 'view.bar.inside';
  const position = Math.min(97, Math.max(3, at(value.value)));
  return (
    <figure class="range-bar">
      <div class="range-bar__track" aria-hidden="true">
        <div
          class="range-bar__usual"
          style={{ left: `${at(range.low.value)}%`, width: `${at(range.high.value) - at(range.low.value)}%` }}
        />
        <div class="range-bar__marker" style={{ left: `${position}%` }}>
          <span class="range-bar__value">{amountText(lang, value, words, false)}</span>
        </div>
      </div>
      <div class="range-bar__ends" aria-hidden="true">
        <span>{words['view.bar.low']}</span>
        <span>{rangeText(lang, range, words)}</span>
        <span>{words['view.bar.high']}</span>
      </div>
      <figcaption data-listen>
        {fill(words[where], { value: amountText(lang, value, words), range: rangeText(lang, range, words) })}
      </figcaption>
    </figure>
  );
}
