/**
 * Test results as Clara shows them: the plain view models the mapping
 * (map-observation.ts) makes of FHIR Observations, and the pages and words
 * read. Types only: nothing here reaches the browser.
 */

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
