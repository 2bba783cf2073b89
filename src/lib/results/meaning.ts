/**
 * What a flag means on the result page: which sentence says it ("This is
 * higher than usual"), and which of the glossary's explanations applies
 * (what a high, low or abnormal value can mean).
 */
import type { Flag } from './model.ts';
import { flagTone } from './words.ts';

/** Critical flags (tone "critical", words.ts) share one sentence; every other flag has its own, and no flag says so. */
export function meaningKey(flag: Flag | undefined) {
  if (flagTone(flag) === 'critical') return 'view.meaning.critical';
  return `view.meaning.${flag ?? 'none'}` as `view.meaning.${Exclude<Flag, `critical-${string}`> | 'none'}`;
}

/** The glossary explanation that fits the flag, if any. */
export function direction(flag: Flag | undefined): 'high' | 'low' | 'abnormal' | undefined {
  return flag === 'high' || flag === 'critical-high'
    ? 'high'
    : flag === 'low' || flag === 'critical-low'
      ? 'low'
      : flag === 'abnormal' || flag === 'positive' || flag === 'critical'
        ? 'abnormal'
        : undefined;
}
