/**
 * Who a caregiver is to the patient, in words: the FHIR relationship codes
 * (HL7 v3 RoleCode, as RelatedPerson.relationship uses them) that Clara has
 * words for in both languages, else the EHR's own text, else a plain
 * "family member or helper". Pure, unit-tested (tests/unit/caregiver.test.ts).
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import type { Relation } from './relation-words.ts';

export { RELATIONS, relationWord, type Relation } from './relation-words.ts';

const V3_ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';

/** v3 RoleCode → Clara's word (natural, adoptive, step and in-law kin share the plain word). */
const CODES: Record<string, Relation> = {
  MTH: 'mother',
  NMTH: 'mother',
  ADOPTM: 'mother',
  STPMTH: 'mother',
  GESTM: 'mother',
  FMTH: 'mother',
  FTH: 'father',
  NFTH: 'father',
  ADOPTF: 'father',
  STPFTH: 'father',
  FFTH: 'father',
  DAU: 'daughter',
  DAUC: 'daughter',
  DAUADOPT: 'daughter',
  DAUFOST: 'daughter',
  STPDAU: 'daughter',
  SON: 'son',
  SONC: 'son',
  SONADOPT: 'son',
  SONFOST: 'son',
  STPSON: 'son',
  WIFE: 'wife',
  HUSB: 'husband',
  DOMPART: 'partner',
  SIGOTHR: 'partner',
  SIS: 'sister',
  NSIS: 'sister',
  HSIS: 'sister',
  STPSIS: 'sister',
  BRO: 'brother',
  NBRO: 'brother',
  HBRO: 'brother',
  STPBRO: 'brother',
  GRNDCHILD: 'grandchild',
  GRNDDAU: 'grandchild',
  GRNDSON: 'grandchild',
  FRND: 'friend',
  GUARD: 'guardian',
};

/** Clara's word for the relationship, or the EHR's text (the concept's text, else a coding's display). */
export function relationOf(relationships: readonly CodeableConcept[] | undefined): {
  relation?: Relation;
  text?: string;
} {
  for (const r of relationships ?? []) {
    for (const c of r.coding ?? []) {
      const known = c.system === V3_ROLE ? CODES[c.code ?? ''] : undefined;
      if (known) return { relation: known };
    }
  }
  const text = (relationships ?? [])
    .map((r) => r.text?.trim() || r.coding?.find((c) => c.display?.trim())?.display?.trim())
    .find(Boolean);
  return text ? { text } : {};
}
