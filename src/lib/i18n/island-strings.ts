/**
 * Build-time helpers that hand islands finished strings (islands never load
 * i18next). Import only from .astro pages.
 */
import config from 'virtual:clara/config';
import { FHIR_ERROR_KINDS } from '../fhir/errors.ts';
import { formatPhone, telHref } from './format.ts';
import { useT, type Key, type KeysOf, type Lang, type Namespace } from './index.ts';
import { RELATIONS } from '../relationship.ts';
import type { CallInfo, ProblemStrings } from './problem-words.ts';

/** The strings every data island needs to say what went wrong and what to do. */
export function problemStrings(lang: Lang) {
  const t = useT(lang);
  const out: Record<string, string> = {
    tryAgain: t('action.tryAgain'),
    call: t('call.label'),
    signOut: t('signOut'),
  };
  for (const kind of FHIR_ERROR_KINDS) out[`fhir.${kind}`] = t(`errors:fhir.${kind}` as Key);
  for (const next of ['retry', 'sign-in', 'call', 'back'] as const)
    out[`next.${next}`] = t(`errors:next.${next}` as Key);
  return out as ProblemStrings;
}

/** The clinic's main number, for the "Call the clinic" inside islands. */
export function callInfo(): CallInfo {
  return { href: telHref(config.clinic.phones.main), number: formatPhone(config.clinic.phones.main) };
}

/**
 * The one way a page hands an island its words: the island's keys, declared
 * once beside it as an `as const` array (`src/islands/*.keys.ts`; the island
 * imports only their type, so nothing grows in the browser), looked up in
 * one namespace by their bare names:
 * `fromNamespace(lang, 'messages', INBOX_KEYS)` → `{ 'inbox.with': 'With {{names}}', … }`.
 */
export function fromNamespace<N extends Namespace, K extends KeysOf<N>>(
  lang: Lang,
  ns: N,
  keys: readonly K[],
): Record<K, string> {
  const t = useT(lang);
  return Object.fromEntries(keys.map((k) => [k, t((ns === 'common' ? k : `${ns}:${k}`) as Key)])) as Record<K, string>;
}

/** Names for people and roles, and the words for where a message stands. */
export function messageBasics(lang: Lang) {
  const t = useT(lang);
  return {
    ...fromNamespace(lang, 'messages', [
      'people.you',
      'people.careTeam',
      'people.helper',
      'people.helperForYou',
      'role.doctor',
      'role.family-doctor',
      'role.nurse',
      'role.staff',
      'state.sending',
      'state.sent',
      'state.waiting',
      'state.failed',
      'state.needs-sign-in',
      'state.refused.too-large',
      'state.refused.invalid',
      'state.refused.not-allowed',
      'state.refused.gone',
    ] as const),
    'action.signIn': t('action.signIn'),
    // A caregiver's relationship, for "Lucía (daughter) for Adán".
    ...Object.fromEntries([...RELATIONS, 'other'].map((r) => [`relation.${r}`, t(`relation.${r}` as Key)])),
  };
}

export function timeWords(lang: Lang) {
  return fromNamespace(lang, 'messages', ['time.today', 'time.yesterday', 'time.day'] as const);
}

/** "Saved on this phone · updated 10:32" and what goes with it. */
export function savedWords(lang: Lang) {
  const t = useT(lang);
  return {
    'saved.label': t('saved.label'),
    'saved.offline': t('saved.offline'),
    'saved.signedOut': t('saved.signedOut'),
    'action.signIn': t('action.signIn'),
  };
}

/** "Listen" and "Stop", for the button that reads a result or a message aloud. */
export function listenWords(lang: Lang) {
  return fromNamespace(lang, 'listen', ['listen', 'stop'] as const);
}
