/**
 * What the result page gives its island (ResultView.tsx): the words, looked
 * up at build time (src/pages/[lang]/results/view/index.astro), the paths
 * and the clinic's phone. Types only: the page, the island and its parts
 * (Trend.tsx) share them, and nothing here reaches the browser.
 */
import type { Lang } from '../../lib/i18n/langs.ts';
import type { ResultWords } from '../../lib/results/words.ts';
import type { ListenWords } from '../shared/LazyListen.tsx';
import type { CallInfo, ProblemStrings } from '../../lib/i18n/problem-words.ts';
import type { SavedWords } from '../shared/SavedNote.tsx';
import type { VIEW_KEYS } from './keys.ts';

/** The keys the page looks up in results.json (keys.ts), and three it takes from elsewhere. */
type ViewKeys = (typeof VIEW_KEYS)[number] | 'view.none.text' | 'view.callMe' | 'call.label';

export type ResultViewStrings = ProblemStrings & ResultWords & SavedWords & Record<ViewKeys, string>;

export interface Props {
  lang: Lang;
  timeZone: string;
  strings: ResultViewStrings;
  /** What happens next, with the clinic's review days in it (plural chosen at build time: the number is the clinic's, not the patient's). */
  next: string;
  paths: { results: string; view: string; ask: string; callMe: string; glossary: string };
  call: CallInfo;
  listen: ListenWords;
}
