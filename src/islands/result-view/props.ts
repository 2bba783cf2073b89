/**
 * What the result page gives its island (ResultView.tsx): the words, looked
 * up at build time (src/pages/[lang]/results/view/index.astro), the paths
 * and the clinic's phone. Types only: the page, the island and its parts
 * (Trend.tsx) share them, and nothing here reaches the browser.
 */
import type { Lang } from '../../lib/i18n/langs.ts';
import type { ResultWords } from '../../lib/results/words.ts';
import type { ListenWords } from '../shared/LazyListen.tsx';
import type { CallInfo, ProblemStrings } from '../shared/Problem.tsx';
import type { SavedWords } from '../shared/SavedNote.tsx';

type ViewKeys =
  | 'view.loading'
  | 'view.measures'
  | 'view.unknownTest'
  | 'view.labName'
  | 'view.yourResult'
  | 'view.taken'
  | 'view.meaning.normal'
  | 'view.meaning.high'
  | 'view.meaning.low'
  | 'view.meaning.abnormal'
  | 'view.meaning.critical'
  | 'view.meaning.positive'
  | 'view.meaning.negative'
  | 'view.meaning.none'
  | 'view.highMeans'
  | 'view.lowMeans'
  | 'view.abnormalMeans'
  | 'view.range'
  | 'view.rangeValue'
  | 'view.noRange'
  | 'view.bar.inside'
  | 'view.bar.above'
  | 'view.bar.below'
  | 'view.bar.low'
  | 'view.bar.high'
  | 'view.notes'
  | 'view.panelMembers'
  | 'view.next'
  | 'view.ask'
  | 'view.print'
  | 'view.back'
  | 'view.notFound'
  | 'view.title'
  | 'view.none.text'
  | 'view.callMe'
  | 'status.preliminary'
  | 'status.corrected'
  | 'status.cancelled'
  | 'trend.heading'
  | 'trend.went'
  | 'trend.same'
  | 'trend.unit'
  | 'trend.showTable'
  | 'trend.date'
  | 'trend.value'
  | 'trend.flag'
  | 'trend.shaded'
  | 'trend.systolic'
  | 'trend.diastolic'
  | 'list.notGranted'
  | 'next.sign-in'
  | 'call.label';

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
