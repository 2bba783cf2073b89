/**
 * Test results as Clara shows them: FHIR Observations and DiagnosticReports
 * mapped to plain view models. Pure functions, unit-tested on the shared
 * samples and on fixtures of our own (tests/unit/results.test.ts).
 *
 * Rules (design.md, "Data: FHIR R4"):
 * - values: valueQuantity rounded to the precision the lab meant, comparators
 *   in words, valueString, valueCodeableConcept, valueRange, missing values
 *   (dataAbsentReason) in words; blood pressure from components found by code;
 * - interpretation from `interpretation` codes, else from `referenceRange`,
 *   else none: never guessed;
 * - entered-in-error hidden; amended/corrected and preliminary shown as such;
 * - display text cleaned of zero-width and control characters.
 */
import { BLOOD_PRESSURE_CODES, canonicalCode, DIASTOLIC, loincOf, SYSTOLIC } from './loinc.ts';
import { cleanMultiline, cleanText } from './text.ts';

// ---------- FHIR shapes (only what Clara reads; everything optional, as real data is) ----------

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Quantity {
  value?: number;
  comparator?: string;
  unit?: string;
  system?: string;
  code?: string;
}
export interface RangeLike {
  low?: Quantity;
  high?: Quantity;
}
export interface ReferenceRange extends RangeLike {
  type?: CodeableConcept;
  appliesTo?: CodeableConcept[];
  age?: RangeLike;
  text?: string;
}
export interface ObservationLike {
  resourceType: 'Observation';
  id?: string;
  status?: string;
  category?: CodeableConcept[];
  code?: CodeableConcept;
  effectiveDateTime?: string;
  effectivePeriod?: { start?: string; end?: string };
  effectiveInstant?: string;
  issued?: string;
  valueQuantity?: Quantity;
  valueString?: string;
  valueCodeableConcept?: CodeableConcept;
  valueRange?: RangeLike;
  valueBoolean?: boolean;
  valueInteger?: number;
  dataAbsentReason?: CodeableConcept;
  interpretation?: CodeableConcept[];
  referenceRange?: ReferenceRange[];
  component?: {
    code?: CodeableConcept;
    valueQuantity?: Quantity;
    valueString?: string;
    valueCodeableConcept?: CodeableConcept;
    dataAbsentReason?: CodeableConcept;
    interpretation?: CodeableConcept[];
    referenceRange?: ReferenceRange[];
  }[];
  hasMember?: { reference?: string }[];
  note?: { text?: string }[];
}
export interface DiagnosticReportLike {
  resourceType: 'DiagnosticReport';
  id?: string;
  status?: string;
  code?: CodeableConcept;
  effectiveDateTime?: string;
  effectivePeriod?: { start?: string };
  issued?: string;
  result?: { reference?: string }[];
  conclusion?: string;
}

// ---------- View models ----------

export type Flag =
  'critical-high' | 'critical-low' | 'critical' | 'high' | 'low' | 'abnormal' | 'normal' | 'positive' | 'negative';

/** Where a flag came from: the lab's own interpretation, or Clara comparing with the usual range. */
export type FlagSource = 'lab' | 'range';

/** A unit as patients know it: a symbol, or words (looked up in the page's language). */
export type UnitWords = 'beatsPerMinute' | 'breathsPerMinute' | 'outOf10';
export type Unit = { symbol: string } | { words: UnitWords } | { none: true };

export interface Amount {
  value: number;
  /** Decimal places to show. */
  decimals: number;
  comparator?: '<' | '<=' | '>' | '>=';
  unit: Unit;
  /** The unit as sent (UCUM code or text), to keep values in different units apart. */
  unitKey: string;
}

export type AbsentReason = 'unknown' | 'not-performed' | 'error' | 'not-applicable' | 'masked' | 'other';

export type ResultValue =
  | { kind: 'amount'; amount: Amount }
  | { kind: 'text'; text: string }
  | { kind: 'yes-no'; yes: boolean }
  | { kind: 'between'; low?: Amount; high?: Amount }
  | { kind: 'pressure'; systolic?: Amount; diastolic?: Amount }
  | { kind: 'absent'; reason: AbsentReason }
  | { kind: 'none' };

export type UsualRange =
  | { kind: 'between'; low: Amount; high: Amount }
  | { kind: 'at-least'; low: Amount }
  | { kind: 'at-most'; high: Amount }
  | { kind: 'text'; text: string };

export type ResultStatus = 'final' | 'preliminary' | 'corrected' | 'cancelled' | 'unknown';

export interface Result {
  id: string;
  /** Canonical LOINC code (glossary key and trend group), if any. */
  code?: string;
  /** The lab's own name for the test, cleaned, for tests without a glossary entry. */
  labName: string;
  category: 'laboratory' | 'vital-signs';
  /** ISO date-time the sample was taken (or the result issued). */
  date?: string;
  issued?: string;
  status: ResultStatus;
  value: ResultValue;
  flag?: Flag;
  flagSource?: FlagSource;
  range?: UsualRange;
  notes: string[];
  /** Ids of member results (a panel observation, through hasMember). */
  members: string[];
}

export interface PatientContext {
  /** Age in years on the day of the result, for age-specific ranges. */
  birthDate?: string;
  gender?: string;
}

// ---------- Units ----------

const UNIT_SYMBOLS: Record<string, string> = {
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '[degF]': '°F',
  'kg/m2': 'kg/m²',
  '10*3/uL': '× 1000/µL',
  '10*6/uL': 'million/µL',
  '10*9/L': '× 10⁹/L',
  'x10*9/L': '× 10⁹/L',
  '10*12/L': '× 10¹²/L',
  'x10*12/L': '× 10¹²/L',
  'K/uL': '× 1000/µL',
  'M/uL': 'million/µL',
  'ug/dL': 'µg/dL',
  'ug/L': 'µg/L',
  'umol/L': 'µmol/L',
  'uIU/mL': 'µIU/mL',
  'm[IU]/L': 'mIU/L',
  '/uL': '/µL',
  'mL/min/{1.73_m2}': 'mL/min/1.73 m²',
  'mL/min/1.73m2': 'mL/min/1.73 m²',
  'mL/min/1.73 m2': 'mL/min/1.73 m²',
  '%O2': '%',
  '[in_i]': 'in',
  '[lb_av]': 'lb',
  '[IU]/L': 'IU/L',
  '/[HPF]': 'per high-power field',
};
const UNIT_WORDS: Record<string, UnitWords> = {
  '{beats}/min': 'beatsPerMinute',
  '/min': 'beatsPerMinute',
  'beats/minute': 'beatsPerMinute',
  'breaths/min': 'breathsPerMinute',
  'breaths per minute': 'breathsPerMinute',
  '{breaths}/min': 'breathsPerMinute',
  '{score}': 'outOf10',
};
const NO_UNIT = new Set(['{nominal}', '{urine specific grav}', '(pH)', 'pH', '[pH]', '1', '{ratio}', '{index}']);

export function displayUnit(quantity: Quantity | undefined, code?: string): Unit {
  const raw = cleanText(quantity?.code ?? quantity?.unit);
  const text = cleanText(quantity?.unit ?? quantity?.code);
  if (!raw && !text) return { none: true };
  if (code === '9279-1' && (raw === '/min' || text === '/min')) return { words: 'breathsPerMinute' };
  const words = UNIT_WORDS[raw] ?? UNIT_WORDS[text];
  if (words) return words === 'outOf10' && code !== '72514-3' ? { none: true } : { words };
  if (NO_UNIT.has(raw) || NO_UNIT.has(text)) return { none: true };
  const symbol =
    UNIT_SYMBOLS[raw] ?? UNIT_SYMBOLS[text] ?? text.replace(/\{[^}]*\}/g, '').replace(/\bu(?=[gLmIU])/g, 'µ');
  return symbol ? { symbol } : { none: true };
}

// ---------- Numbers ----------

/** Decimal places a lab usually reports, by canonical LOINC code, for values that arrive with machine noise. */
const USUAL_DECIMALS: Record<string, number> = {
  '2345-7': 0,
  '2823-3': 1,
  '2951-2': 0,
  '2075-0': 0,
  '2028-9': 0,
  '3094-0': 0,
  '2160-0': 2,
  '17861-6': 1,
  '33914-3': 0,
  '9318-7': 1,
  '4548-4': 1,
  '2093-3': 0,
  '18262-6': 0,
  '2085-9': 0,
  '2571-8': 0,
  '718-7': 1,
  '4544-3': 1,
  '789-8': 2,
  '6690-2': 1,
  '777-3': 0,
  '787-2': 1,
  '785-6': 1,
  '786-4': 1,
  '21000-5': 1,
  '1975-2': 1,
  '2885-2': 1,
  '1751-7': 1,
  '1742-6': 0,
  '1920-8': 0,
  '6768-6': 0,
  '3016-3': 2,
  '6301-6': 1,
  '8867-4': 0,
  '9279-1': 0,
  '59408-5': 0,
  '8310-5': 1,
  '29463-7': 1,
  '8302-2': 1,
  '39156-5': 1,
  '8480-6': 0,
  '8462-4': 0,
  '72514-3': 0,
  '2965-2': 3,
  '2756-5': 1,
};

function decimalsOf(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const text = String(value);
  if (/e-/i.test(text)) return Number(text.split(/e-/i)[1]) + (text.split('.')[1]?.split(/e/i)[0]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

/**
 * How many decimals to show. Up to three decimals are taken as the lab meant
 * them. More is machine noise (Synthea sends 13–17): then the reference
 * range's precision, else the usual precision for the test, else three
 * significant digits (at most two decimals).
 */
export function displayDecimals(value: number, code: string | undefined, rangeValues: number[] = []): number {
  const given = decimalsOf(value);
  if (given <= 3) return given;
  if (rangeValues.length) return Math.max(...rangeValues.map(decimalsOf).map((d) => Math.min(d, 3)));
  const usual = code ? USUAL_DECIMALS[code] : undefined;
  if (usual !== undefined) return usual;
  const magnitude = Math.floor(Math.log10(Math.abs(value) || 1));
  return Math.max(0, Math.min(2, 2 - magnitude));
}

const COMPARATORS = new Set(['<', '<=', '>', '>=']);

function amount(q: Quantity | undefined, code: string | undefined, rangeValues: number[] = []): Amount | undefined {
  if (typeof q?.value !== 'number' || !Number.isFinite(q.value)) return undefined;
  const decimals = displayDecimals(q.value, code, rangeValues);
  return {
    value: Number(q.value.toFixed(decimals)),
    decimals,
    ...(q.comparator && COMPARATORS.has(q.comparator)
      ? { comparator: q.comparator as Amount['comparator'] & string }
      : {}),
    unit: displayUnit(q, code),
    unitKey: cleanText(q.code ?? q.unit),
  } as Amount;
}

// ---------- Interpretation ----------

/**
 * v3 ObservationInterpretation codes Clara puts into words. Codes about
 * change (U, D, B, W), microbiology (S, R, I) and indeterminate results are
 * left without a flag rather than guessed.
 */
const INTERPRETATION: Record<string, Flag> = {
  HH: 'critical-high',
  HU: 'critical-high',
  LL: 'critical-low',
  LU: 'critical-low',
  AA: 'critical',
  H: 'high',
  L: 'low',
  '>': 'high',
  '<': 'low',
  A: 'abnormal',
  N: 'normal',
  POS: 'positive',
  DET: 'positive',
  NEG: 'negative',
  ND: 'negative',
  NR: 'negative',
};

/** The lab's own interpretation, from v3 ObservationInterpretation codes (or a plain-text word). */
export function labFlag(interpretation: CodeableConcept[] | undefined): Flag | undefined {
  for (const concept of interpretation ?? []) {
    for (const coding of concept.coding ?? []) {
      const flag = coding.code ? INTERPRETATION[coding.code.toUpperCase()] : undefined;
      if (flag) return flag;
    }
    const text = cleanText(concept.text).toLowerCase();
    if (['high', 'alto', 'h'].includes(text)) return 'high';
    if (['low', 'bajo', 'l'].includes(text)) return 'low';
    if (['normal', 'n'].includes(text)) return 'normal';
  }
  return undefined;
}

function ageOn(birthDate: string | undefined, date: string | undefined): number | undefined {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}/.test(birthDate)) return undefined;
  const on = date ? new Date(date) : new Date();
  const birth = new Date(`${birthDate.slice(0, 10)}T00:00:00Z`);
  let years = on.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < birth.getUTCMonth() ||
    (on.getUTCMonth() === birth.getUTCMonth() && on.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) years--;
  return years;
}

function sexOf(range: ReferenceRange): 'female' | 'male' | undefined {
  for (const concept of range.appliesTo ?? []) {
    const words = [concept.text, ...(concept.coding ?? []).map((c) => `${c.code ?? ''} ${c.display ?? ''}`)]
      .join(' ')
      .toLowerCase();
    if (/\b(female|women|woman|248152002)\b/.test(words)) return 'female';
    if (/\b(male|men|man|248153007)\b/.test(words)) return 'male';
  }
  return undefined;
}

/**
 * The usual range that applies to this patient: one for their sex and age
 * when the lab gave several, else the general ("normal" type) one.
 */
export function pickRange(
  ranges: ReferenceRange[] | undefined,
  patient: PatientContext,
  date: string | undefined,
): ReferenceRange | undefined {
  const list = (ranges ?? []).filter((r) => {
    const type = r.type?.coding?.[0]?.code;
    return !type || type === 'normal' || type === 'treatment';
  });
  if (list.length <= 1) return list[0];
  const age = ageOn(patient.birthDate, date);
  const fits = list.filter((r) => {
    const sex = sexOf(r);
    // A range for one sex applies only when the patient's sex is known to match.
    if (sex && sex !== patient.gender) return false;
    const low = r.age?.low?.value;
    const high = r.age?.high?.value;
    if (age !== undefined && ((low !== undefined && age < low) || (high !== undefined && age > high))) return false;
    if (age === undefined && (low !== undefined || high !== undefined)) return false;
    return true;
  });
  // The most specific range that fits: an age band counts more than a sex.
  const score = (r: ReferenceRange) => (r.age ? 2 : 0) + (sexOf(r) ? 1 : 0);
  const best = [...fits].sort((a, b) => score(b) - score(a))[0];
  return best && (score(best) > 0 || fits.length === 1) ? best : fits.find((r) => !sexOf(r) && !r.age);
}

function usualRange(range: ReferenceRange | undefined, code: string | undefined): UsualRange | undefined {
  if (!range) return undefined;
  const values = [range.low?.value, range.high?.value].filter((v): v is number => typeof v === 'number');
  const low = amount(range.low, code, values);
  const high = amount(range.high, code, values);
  if (low && high) return { kind: 'between', low, high };
  if (low) return { kind: 'at-least', low };
  if (high) return { kind: 'at-most', high };
  const text = cleanText(range.text);
  return text ? { kind: 'text', text } : undefined;
}

function sameUnit(a: Amount, b: Amount): boolean {
  return !a.unitKey || !b.unitKey || a.unitKey.toLowerCase() === b.unitKey.toLowerCase();
}

/** Compares a value with the usual range; undefined when the comparison cannot be made honestly. */
export function flagFromRange(value: Amount, range: UsualRange | undefined): Flag | undefined {
  if (!range || range.kind === 'text') return undefined;
  const low = range.kind === 'between' || range.kind === 'at-least' ? range.low : undefined;
  const high = range.kind === 'between' || range.kind === 'at-most' ? range.high : undefined;
  if ((low && !sameUnit(value, low)) || (high && !sameUnit(value, high))) return undefined;
  const v = value.value;
  const c = value.comparator;
  // "<5": only what it is below is known; ">200": only what it is above.
  const atMost = c === '<' || c === '<=';
  const atLeast = c === '>' || c === '>=';
  if (low) {
    if (!atLeast && (c === '<' ? v <= low.value : v < low.value)) return 'low';
    if (atMost && v > low.value) return undefined;
  }
  if (high) {
    if (!atMost && (c === '>' ? v >= high.value : v > high.value)) return 'high';
    if (atLeast && v < high.value) return undefined;
  }
  return 'normal';
}

// ---------- Values ----------

const ABSENT: Record<string, AbsentReason> = {
  unknown: 'unknown',
  'asked-unknown': 'unknown',
  'temp-unknown': 'unknown',
  'not-asked': 'unknown',
  'asked-declined': 'unknown',
  'not-performed': 'not-performed',
  'not-applicable': 'not-applicable',
  'not-a-number': 'error',
  error: 'error',
  masked: 'masked',
  unsupported: 'other',
  'as-text': 'other',
  'negative-infinity': 'other',
  'positive-infinity': 'other',
};

function absentReason(concept: CodeableConcept | undefined): AbsentReason {
  const code = concept?.coding?.find((c) => c.code)?.code ?? '';
  return ABSENT[code] ?? 'other';
}

function conceptText(concept: CodeableConcept | undefined): string {
  return (
    cleanText(concept?.text) ||
    cleanText(concept?.coding?.find((c) => c.display)?.display) ||
    cleanText(concept?.coding?.[0]?.code)
  );
}

/** The patient-facing text of a coded answer: "Urine glucose test = ++ (finding)" → "++". */
export function codedAnswer(concept: CodeableConcept | undefined): string {
  const text = conceptText(concept);
  const afterEquals = /=\s*([^=]+?)\s*(?:\((?:finding|qualifier value)\))?$/i.exec(text);
  return (afterEquals?.[1] ?? text.replace(/\s*\((?:finding|qualifier value)\)$/i, '')).trim();
}

function bloodPressure(obs: ObservationLike, code: string | undefined): ResultValue {
  const part = (loinc: string) => obs.component?.find((c) => loincOf(c.code) === loinc);
  const systolic = part(SYSTOLIC);
  const diastolic = part(DIASTOLIC);
  const s = amount(systolic?.valueQuantity, SYSTOLIC);
  const d = amount(diastolic?.valueQuantity, DIASTOLIC);
  if (!s && !d) {
    const reason = obs.dataAbsentReason ?? systolic?.dataAbsentReason ?? diastolic?.dataAbsentReason;
    return reason ? { kind: 'absent', reason: absentReason(reason) } : { kind: 'none' };
  }
  void code;
  return { kind: 'pressure', ...(s ? { systolic: s } : {}), ...(d ? { diastolic: d } : {}) };
}

// ---------- Mapping ----------

function statusOf(status: string | undefined): ResultStatus | 'hidden' {
  switch (status) {
    case 'final':
      return 'final';
    case 'amended':
    case 'corrected':
      return 'corrected';
    case 'preliminary':
    case 'registered':
      return 'preliminary';
    case 'cancelled':
      return 'cancelled';
    case 'entered-in-error':
      return 'hidden';
    default:
      return 'unknown';
  }
}

function categoryOf(obs: ObservationLike, code: string | undefined): 'laboratory' | 'vital-signs' {
  const vital = (obs.category ?? []).some((c) =>
    (c.coding ?? []).some((x) => x.code === 'vital-signs' || x.code === 'vital-sign'),
  );
  return vital || (code !== undefined && BLOOD_PRESSURE_CODES.has(code)) ? 'vital-signs' : 'laboratory';
}

export function dateOf(resource: {
  effectiveDateTime?: string;
  effectivePeriod?: { start?: string };
  effectiveInstant?: string;
  issued?: string;
}): string | undefined {
  return resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? resource.effectiveInstant ?? resource.issued;
}

function bpFlag(obs: ObservationLike): Flag | undefined {
  const flags = [labFlag(obs.interpretation), ...(obs.component ?? []).map((c) => labFlag(c.interpretation))].filter(
    (f): f is Flag => !!f,
  );
  const order: Flag[] = ['critical-high', 'critical-low', 'critical', 'high', 'low', 'abnormal', 'normal'];
  return order.find((f) => flags.includes(f));
}

/**
 * One Observation as a Result, or undefined when it must not be shown
 * (entered in error, or not an Observation at all).
 */
export function mapObservation(obs: ObservationLike, patient: PatientContext = {}): Result | undefined {
  if (obs?.resourceType !== 'Observation' || !obs.id) return undefined;
  const status = statusOf(obs.status);
  if (status === 'hidden') return undefined;
  const loinc = loincOf(obs.code);
  const code = loinc ? canonicalCode(loinc) : undefined;
  const date = dateOf(obs);
  const isPressure = code !== undefined && BLOOD_PRESSURE_CODES.has(code);
  const chosen = pickRange(obs.referenceRange, patient, date);
  const range = usualRange(chosen, code);

  let value: ResultValue;
  if (isPressure) value = bloodPressure(obs, code);
  else if (obs.valueQuantity) {
    const rangeValues = [chosen?.low?.value, chosen?.high?.value].filter((v): v is number => typeof v === 'number');
    const a = amount(obs.valueQuantity, code, rangeValues);
    value = a ? { kind: 'amount', amount: a } : { kind: 'absent', reason: 'other' };
  } else if (typeof obs.valueInteger === 'number') {
    const a = amount({ value: obs.valueInteger }, code);
    value = a ? { kind: 'amount', amount: a } : { kind: 'none' };
  } else if (typeof obs.valueString === 'string') {
    value = { kind: 'text', text: cleanMultiline(obs.valueString) };
  } else if (obs.valueCodeableConcept) {
    value = { kind: 'text', text: codedAnswer(obs.valueCodeableConcept) };
  } else if (obs.valueRange) {
    const low = amount(obs.valueRange.low, code);
    const high = amount(obs.valueRange.high, code);
    value = low || high ? { kind: 'between', ...(low ? { low } : {}), ...(high ? { high } : {}) } : { kind: 'none' };
  } else if (typeof obs.valueBoolean === 'boolean') {
    value = { kind: 'yes-no', yes: obs.valueBoolean };
  } else if (obs.dataAbsentReason) {
    value = { kind: 'absent', reason: absentReason(obs.dataAbsentReason) };
  } else {
    value = { kind: 'none' };
  }
  if (status === 'cancelled' && value.kind === 'none') value = { kind: 'absent', reason: 'not-performed' };

  // The lab's word first; else the range; else nothing.
  let flag = isPressure ? bpFlag(obs) : labFlag(obs.interpretation);
  let flagSource: FlagSource | undefined = flag ? 'lab' : undefined;
  if (!flag && value.kind === 'amount') {
    flag = flagFromRange(value.amount, range);
    if (flag) flagSource = 'range';
  }

  const members = (obs.hasMember ?? [])
    .map((m) => m.reference ?? '')
    .filter((ref) => ref.startsWith('Observation/'))
    .map((ref) => ref.slice('Observation/'.length));

  return {
    id: obs.id,
    ...(code ? { code } : {}),
    labName: conceptText(obs.code),
    category: categoryOf(obs, code),
    ...(date ? { date } : {}),
    ...(obs.issued ? { issued: obs.issued } : {}),
    status,
    value,
    ...(flag && flagSource ? { flag, flagSource } : {}),
    ...(range ? { range } : {}),
    notes: (obs.note ?? []).map((n) => cleanMultiline(n.text)).filter(Boolean),
    members,
  };
}

// ---------- Grouping for the list ----------

export interface Panel {
  /** The report or panel observation id. */
  id: string;
  code?: string;
  labName: string;
  results: Result[];
}

export interface Day {
  /** YYYY-MM-DD in the clinic's time zone. */
  day: string;
  panels: Panel[];
  /** Results on that day that belong to no panel. */
  single: Result[];
}

/** The calendar day of a date-time in a time zone ("2026-11-21"). */
export function dayOf(date: string, timeZone: string): string {
  const parsed = new Date(date.length === 10 ? `${date}T12:00:00Z` : date);
  if (Number.isNaN(parsed.getTime())) return date.slice(0, 10);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    parsed,
  );
}

const newestFirst = (a?: string, b?: string) => Date.parse(b ?? '') - Date.parse(a ?? '') || 0;

/**
 * Groups results by day (newest first) and, within a day, by panel: a
 * DiagnosticReport's `result` list, and panel Observations' `hasMember`,
 * followed down (a report → panels → analytes). A result shown in a panel is
 * not repeated on its own.
 */
export function groupResults(results: Result[], reports: DiagnosticReportLike[], timeZone: string): Day[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const used = new Set<string>();

  const expand = (ids: string[], seen = new Set<string>()): Result[] => {
    const out: Result[] = [];
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const result = byId.get(id);
      if (!result) continue;
      if (result.members.length) out.push(...expand(result.members, seen));
      else out.push(result);
    }
    return out;
  };

  const panels: (Panel & { date?: string })[] = [];
  for (const report of reports) {
    if (!report.id || statusOf(report.status) === 'hidden') continue;
    const ids = (report.result ?? [])
      .map((r) => r.reference ?? '')
      .filter((ref) => ref.startsWith('Observation/'))
      .map((ref) => ref.slice(12));
    const members = expand(ids).filter((r) => !used.has(r.id));
    if (!members.length) continue;
    for (const m of members) used.add(m.id);
    for (const id of ids) used.add(id);
    const loinc = loincOf(report.code);
    const date = dateOf(report) ?? members[0]?.date;
    panels.push({
      id: report.id,
      ...(loinc ? { code: canonicalCode(loinc) } : {}),
      labName: conceptText(report.code),
      results: members,
      ...(date ? { date } : {}),
    });
  }
  for (const result of results) {
    if (!result.members.length || used.has(result.id)) continue;
    const members = expand(result.members).filter((r) => !used.has(r.id));
    used.add(result.id);
    if (!members.length) continue;
    for (const m of members) used.add(m.id);
    panels.push({
      id: result.id,
      ...(result.code ? { code: result.code } : {}),
      labName: result.labName,
      results: members,
      ...(result.date ? { date: result.date } : {}),
    });
  }

  const days = new Map<string, Day>();
  const dayFor = (date: string | undefined) => {
    const key = date ? dayOf(date, timeZone) : 'unknown';
    let day = days.get(key);
    if (!day) {
      day = { day: key, panels: [], single: [] };
      days.set(key, day);
    }
    return day;
  };
  for (const panel of panels) {
    panel.results.sort((a, b) => newestFirst(a.date, b.date));
    const { date, ...rest } = panel;
    dayFor(date).panels.push(rest);
  }
  for (const result of results) {
    if (used.has(result.id) || result.members.length) continue;
    dayFor(result.date).single.push(result);
  }
  return [...days.values()].sort((a, b) =>
    a.day === 'unknown' ? 1 : b.day === 'unknown' ? -1 : b.day.localeCompare(a.day),
  );
}
