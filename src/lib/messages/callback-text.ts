/**
 * The message a call-back request sends, in the patient's language: the
 * number, the good times ("morning or evening"), the result it is about and
 * the patient's note, one per line.
 */
import { fill } from '../i18n/format.ts';
import type { Lang } from '../i18n/langs.ts';

/** When the clinic may call. */
export const TIMES = ['morning', 'afternoon', 'evening', 'anyTime'] as const;

export type CallbackWords = Record<
  | `callMe.${(typeof TIMES)[number]}`
  | 'callMe.text'
  | 'callMe.textNote'
  | 'callback.callPatient'
  | 'compose.aboutResult',
  string
>;

export function callbackText(
  lang: Lang,
  words: CallbackWords,
  request: {
    phone: string;
    times: readonly string[];
    note: string;
    /** A caregiver asks the clinic to call the patient: the patient's name. */
    callPatient?: string | undefined;
    about?: { name: string; date?: string } | undefined;
  },
): string {
  const timeWords = new Intl.ListFormat(lang === 'es' ? 'es-US' : 'en-US', { type: 'disjunction' }).format(
    request.times.map((t) =>
      words[`callMe.${t as (typeof TIMES)[number]}`].toLocaleLowerCase(lang === 'es' ? 'es-US' : 'en-US'),
    ),
  );
  return [
    request.callPatient !== undefined
      ? fill(words['callback.callPatient'], { name: request.callPatient, phone: request.phone, times: timeWords })
      : fill(words['callMe.text'], { phone: request.phone, times: timeWords }),
    request.about
      ? fill(words['compose.aboutResult'], { name: request.about.name, date: request.about.date ?? '' })
      : '',
    request.note ? fill(words['callMe.textNote'], { note: request.note }) : '',
  ]
    .filter(Boolean)
    .join('\n');
}
