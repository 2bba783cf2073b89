/**
 * The relationship words Clara has (translated in locales/<lang>/common.json,
 * `relation.<word>`), and which to show. Apart from relationship.ts (the
 * codes) so every page's script carries only these few lines.
 */
export const RELATIONS = [
  'mother',
  'father',
  'daughter',
  'son',
  'wife',
  'husband',
  'partner',
  'sister',
  'brother',
  'grandchild',
  'friend',
  'guardian',
] as const;
export type Relation = (typeof RELATIONS)[number];

/** The word to show: Clara's translation, the EHR's text, or the plain fallback (`relation.other`). */
export function relationWord(
  value: { relation?: string; relationText?: string },
  words: Record<string, string>,
): string {
  return (value.relation && words[`relation.${value.relation}`]) || value.relationText || words['relation.other'] || '';
}
