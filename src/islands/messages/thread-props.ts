/**
 * What the conversation page gives its island (Thread.tsx) and what the
 * island's parts (messages/*.tsx) read of it: its words, the paths, the
 * clinic's phone. Types only, in a file of their own, so the parts do not
 * import the island that imports them.
 */
import type { PluralForms, TimeWords } from '../../lib/i18n/format.ts';
import type { Lang } from '../../lib/i18n/langs.ts';
import type { PeopleWords } from '../../lib/messages/people-text.ts';
import type { StateWords } from './MessageStatus.tsx';
import type { ListenWords } from '../shared/LazyListen.tsx';
import type { CallInfo, ProblemStrings } from '../../lib/i18n/problem-words.ts';
import type { SavedWords } from '../shared/SavedNote.tsx';
import type { ThreadKeys } from '../Thread.keys.ts';

export type ThreadStrings = ProblemStrings & PeopleWords & StateWords & SavedWords & Record<ThreadKeys, string>;

export interface Props {
  lang: Lang;
  strings: ThreadStrings;
  time: TimeWords;
  forms: { newReplies: PluralForms };
  paths: { messages: string; callMe: string };
  clinicHost?: string;
  call: CallInfo;
  listen: ListenWords;
}
