/** People in conversations, in words: names, roles, "with whom". */
import { LOCALES, type Lang } from '../i18n/langs.ts';
import { relationWord } from '../relation-words.ts';
import type { Person } from './types.ts';

export type PeopleWords = Record<
  'people.you' | 'people.careTeam' | 'role.doctor' | 'role.family-doctor' | 'role.nurse' | 'role.staff',
  string
> &
  /** A caregiver's words ("people.helper", "relation.daughter" …), where the page shows her. */
  Partial<Record<string, string>>;

/** A person's name, or their role when the EHR gave no name; a caregiver as "Lucía (daughter) for Adán". */
export function personName(p: Person, words: PeopleWords): string {
  if (p.role === 'you') return words['people.you'];
  if (p.role === 'helper') {
    const template = (p.forPatient ? words['people.helper'] : words['people.helperForYou']) ?? '{{name}}';
    const vars: Record<string, string> = {
      name: p.name || words['relation.other'] || '',
      relation: relationWord(p, words as Record<string, string>),
      patient: p.forPatient ?? '',
    };
    return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => vars[key] ?? '');
  }
  return p.name || p.roleText || words[`role.${p.role}`] || '';
}

/** "María López, RN and Dr. Ana Ruiz", or "your care team" when nobody is named. */
export function withWhom(lang: Lang, people: Person[], words: PeopleWords): string {
  if (!people.length) return words['people.careTeam'];
  return new Intl.ListFormat(LOCALES[lang], { type: 'conjunction' }).format(people.map((p) => personName(p, words)));
}
