/**
 * Build-time helpers that hand islands finished strings (islands never load
 * i18next). Import only from .astro pages.
 */
import config from 'virtual:clara/config';
import { FHIR_ERROR_KINDS } from '../fhir/errors.ts';
import { formatPhone, telHref } from './format.ts';
import { useT, type Key, type Lang } from './index.ts';

/** Looks up each key: `strings(lang, { hello: 'home:hello' })` → `{ hello: 'Hello, {{name}}' }`. */
export function strings<M extends Record<string, Key>>(lang: Lang, map: M): { [K in keyof M]: string } {
  const t = useT(lang);
  return Object.fromEntries(Object.entries(map).map(([name, key]) => [name, t(key)])) as { [K in keyof M]: string };
}

/** The strings every data island needs to say what went wrong and what to do. */
export function problemStrings(lang: Lang) {
  const t = useT(lang);
  const out: Record<string, string> = {
    tryAgain: t('action.tryAgain'),
    call: t('call.label'),
    signOut: t('signOut'),
  };
  for (const kind of FHIR_ERROR_KINDS) out[`fhir.${kind}`] = t(`errors:fhir.${kind}` as Key);
  for (const next of ['retry', 'sign-in', 'call', 'back'] as const) out[`next.${next}`] = t(`errors:next.${next}` as Key);
  return out as import('../../islands/shared/Problem.tsx').ProblemStrings;
}

/** The clinic's main number, for the "Call the clinic" inside islands. */
export function callInfo() {
  return { href: telHref(config.clinic.phones.main), number: formatPhone(config.clinic.phones.main) };
}
