/**
 * "Your result": the value, its flag in words and shape, when the sample was
 * taken, what it means, and the usual range as a bar (RangeBar.tsx) or in
 * words. Each part is marked for Listen (data-listen).
 */
import { fill, formatDate } from '../../lib/i18n/format.ts';
import { rangeText } from '../../lib/results/detail-words.ts';
import { meaningKey } from '../../lib/results/meaning.ts';
import type { Result } from '../../lib/results/model.ts';
import { flagTone, valueText } from '../../lib/results/words.ts';
import { FlagBadge } from '../shared/Flag.tsx';
import type { Props } from './props.ts';
import { RangeBar } from './RangeBar.tsx';

export function ValueCard({ result, props }: { result: Result; props: Props }) {
  const { lang, strings, timeZone } = props;
  const flag = result.flag;
  return (
    <section class="card result-value" aria-labelledby="your-result">
      <h2 id="your-result" data-listen>
        {strings['view.yourResult']}
      </h2>
      <p class="result-value__big" data-listen>
        {valueText(lang, result.value, strings)}
      </p>
      {flag && (
        <p data-listen>
          <FlagBadge flag={flag} words={strings} />
        </p>
      )}
      {result.date && (
        <p data-listen>
          {fill(strings['view.taken'], {
            date: formatDate(lang, new Date(result.date), { dateStyle: 'long', timeZone }),
          })}
        </p>
      )}
      {/* A critical result says what it means above, with the number to call. */}
      {flagTone(flag) !== 'critical' && <p data-listen>{strings[meaningKey(flag)]}</p>}
      {result.range ? (
        result.value.kind === 'amount' && result.range.kind === 'between' ? (
          <RangeBar value={result.value.amount} range={result.range} lang={lang} words={strings} />
        ) : (
          <p data-listen>{fill(strings['view.rangeValue'], { range: rangeText(lang, result.range, strings) })}</p>
        )
      ) : (
        result.value.kind === 'amount' && <p data-listen>{strings['view.noRange']}</p>
      )}
    </section>
  );
}
