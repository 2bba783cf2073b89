/** A result's flag: words and a shape, never colour alone. */
import type { Flag as FlagKind } from '../../lib/results/model.ts';
import { flagTone } from '../../lib/results/words.ts';

const SHAPES: Record<FlagKind, string> = {
  high: 'M12 5l7 9H5z',
  low: 'M12 19l7-9H5z',
  'critical-high': 'M12 3 2 20h20zM12 9v5M12 16.5v.5',
  'critical-low': 'M12 3 2 20h20zM12 9v5M12 16.5v.5',
  critical: 'M12 3 2 20h20zM12 9v5M12 16.5v.5',
  abnormal: 'M12 4l8 8-8 8-8-8z',
  normal: 'M5 12.5l4.5 4.5L19 7.5',
  positive: 'M12 5v14M5 12h14',
  negative: 'M5 12h14',
};

export function FlagBadge({ flag, words }: { flag: FlagKind; words: Record<`flag.${FlagKind}`, string> }) {
  const tone = flagTone(flag);
  return (
    <span class={`flag flag--${tone}`} data-flag={flag}>
      <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d={SHAPES[flag]} />
      </svg>
      <span>{words[`flag.${flag}`]}</span>
    </span>
  );
}
