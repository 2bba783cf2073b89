/**
 * What the new-message and call-me pages give their island (Compose.tsx),
 * and what the form's parts (the choices, the call-back fields, the sent
 * card) share. Types only, in a file of their own, so the parts do not
 * import the island that imports them.
 */
import type { Lang } from '../../lib/i18n/langs.ts';
import type { ComposeSetup } from '../../lib/messages/compose-setup.ts';
import type { PeopleWords } from '../../lib/messages/people-text.ts';
import type { StateWords } from './MessageStatus.tsx';
import type { Composer } from './useComposer.ts';
import type { CallInfo, ProblemStrings } from '../../lib/i18n/problem-words.ts';
import type { ComposeKeys } from '../Compose.keys.ts';

export type ComposeStrings = ProblemStrings & PeopleWords & StateWords & Record<ComposeKeys | 'loading', string>;

export interface Props {
  lang: Lang;
  mode: 'message' | 'callback';
  strings: ComposeStrings;
  defaults: { reference: string; display: string; role: 'doctor' | 'nurse' | 'staff' }[];
  /** `glossary`: the language's glossary folder (/en/labs/), to name a result the message is about. */
  paths: { thread: string; messages: string; glossary: string };
  call: CallInfo;
}

/** What the form's parts share: the message being written, the words, the errors shown, what was loaded. */
export interface ComposeForm {
  composer: Composer;
  strings: ComposeStrings;
  errors: Record<string, string>;
  setup: ComposeSetup;
}
