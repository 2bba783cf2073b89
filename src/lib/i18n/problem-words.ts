/**
 * The words a failure is said with (islands/shared/Problem.tsx), and the
 * clinic's number it offers: types only, shared by the pages that hand them
 * over (island-strings.ts `problemStrings`, `callInfo`) and the islands that
 * show them, so that nothing in lib/ imports from islands/.
 */
import type { FhirErrorKind, NextStep } from '../fhir/errors.ts';

export type ProblemStrings = Record<
  `fhir.${FhirErrorKind}` | `next.${NextStep}` | 'tryAgain' | 'call' | 'signOut',
  string
>;

/** The clinic's main number: the `tel:` link and the number as it is read. */
export interface CallInfo {
  href: string;
  number: string;
}
