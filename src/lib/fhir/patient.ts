/** The patient's own details, as Clara shows them. */
import { cleanText } from './text.ts';

export interface HumanNameLike {
  use?: string;
  text?: string;
  given?: string[];
  family?: string;
  period?: { end?: string };
}

export interface PatientLike {
  resourceType: string;
  name?: HumanNameLike[];
  telecom?: { system?: string; value?: string; use?: string; rank?: number; period?: { end?: string } }[];
}

/** The name to use: `usual`, then `official`, then the first; never an old one. */
export function pickName(patient: PatientLike, now = new Date()): HumanNameLike | undefined {
  const current = (patient.name ?? []).filter((n) => !n.period?.end || Date.parse(n.period.end) > now.getTime());
  return current.find((n) => n.use === 'usual') ?? current.find((n) => n.use === 'official') ?? current[0];
}

/** How to greet the patient: the first given name ("Luis Miguel"), else the whole name. */
export function greetingName(patient: PatientLike): string {
  const name = pickName(patient);
  if (!name) return '';
  const given = cleanText(name.given?.[0]);
  return given || cleanText(name.text) || cleanText(name.family);
}

/** The full name, for labels ("Adán Portillo"). */
export function fullName(patient: PatientLike): string {
  const name = pickName(patient);
  if (!name) return '';
  return cleanText(name.text) || [...(name.given ?? []), name.family ?? ''].map(cleanText).filter(Boolean).join(' ');
}

/** A phone number to call the patient back: mobile first, then home, then any. */
export function callbackPhone(patient: PatientLike): string {
  const phones = (patient.telecom ?? []).filter((t) => t.system === 'phone' && t.value && !t.period?.end);
  const byUse = (use: string) => phones.find((t) => t.use === use);
  return cleanText(
    (byUse('mobile') ?? byUse('home') ?? phones.sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))[0])?.value,
  );
}
