/**
 * LOINC codes Clara treats as one test: the same analyte measured in blood
 * or serum, by another method, or in other units. The first code of each
 * group is its canonical code, which keys the plain-language glossary
 * (locales/{en,es}/labs.json) and joins a test's history for trends. Values
 * in different units stay apart (never one axis); grouping only finds them.
 */
import type { CodeableConcept } from '@medplum/fhirtypes';

export const LOINC_SYSTEM = 'http://loinc.org';

export const EQUIVALENT_CODES: readonly (readonly string[])[] = [
  // Chemistry
  ['2345-7', '2339-0', '14749-6', '41653-7', '15074-8', '2340-8', '1558-6'], // glucose
  ['2823-3', '6298-4'], // potassium
  ['2951-2', '2947-0'], // sodium
  ['2075-0', '2069-3'], // chloride
  ['2028-9', '20565-8', '1963-8'], // carbon dioxide / bicarbonate (not arterial pCO2)
  ['3094-0', '6299-2', '14937-7'], // urea nitrogen (BUN)
  ['2160-0', '38483-4', '14682-9'], // creatinine
  ['17861-6', '49765-1', '2000-8'], // calcium
  ['1975-2', '14631-6', '42719-5'], // bilirubin, total
  ['1968-7', '14629-0'], // bilirubin, direct
  ['2885-2'], // protein, total (serum or plasma)
  ['1751-7', '2862-1', '61151-7'], // albumin
  ['1742-6', '1743-4', '76625-3'], // ALT
  ['1920-8', '30239-8'], // AST
  ['6768-6'], // alkaline phosphatase
  ['2777-1', '14879-1'], // phosphorus / phosphate
  ['19123-9', '2601-3'], // magnesium
  ['3084-1', '14933-6'], // uric acid / urate
  // Kidney
  ['33914-3', '48642-3', '48643-1', '62238-1', '98979-8', '77147-7', '50044-7', '88293-6', '88294-4'], // eGFR
  ['9318-7', '14959-1', '32294-1', '14958-3', '30000-4'], // urine albumin to creatinine ratio
  // Diabetes
  ['4548-4', '17856-6', '59261-8', '41995-2'], // hemoglobin A1c
  // Lipids
  ['2093-3', '35200-5', '14647-2'], // cholesterol, total
  ['18262-6', '13457-7', '2089-1', '69419-0', '22748-8'], // LDL cholesterol
  ['2085-9', '14646-4'], // HDL cholesterol
  ['2571-8', '35217-9', '14927-8'], // triglycerides
  // Blood count
  ['718-7', '20509-6', '59260-0'], // hemoglobin
  ['4544-3', '20570-8', '71833-8'], // hematocrit
  ['789-8', '26453-1'], // red blood cells
  ['6690-2', '26464-8', '33765-9'], // white blood cells
  ['777-3', '26515-7'], // platelets
  ['787-2', '30428-7'], // MCV
  ['21000-5', '788-0', '30385-9'], // red cell distribution width
  // Thyroid
  ['3016-3', '11580-8', '11579-0'], // TSH
  ['3024-7', '14920-3'], // free T4
  // Iron and vitamins
  ['2498-4', '14798-3'], // iron
  ['2276-4', '24373-3'], // ferritin
  ['2132-9', '14685-2'], // vitamin B12
  ['1989-3', '62292-8', '14635-7'], // vitamin D, 25-hydroxy
  // Blood clotting
  ['6301-6', '34714-6', '46418-0'], // INR
  // Urine
  ['2756-5', '5803-2'], // urine pH
  ['2965-2', '5811-5'], // urine specific gravity
  ['2349-9', '25428-4'], // urine glucose (present or not)
  ['2887-8', '20454-5'], // urine protein (present or not)
  ['33051-4', '5794-3', '105906-2'], // urine blood (present or not)
  ['33052-2', '5799-2'], // urine white cells (leukocyte esterase)
  ['5770-3', '1977-8'], // urine bilirubin (present or not)
  ['2514-8', '33903-6'], // urine ketones (present or not)
  // Vital signs
  ['85354-9', '55284-4', '35094-2'], // blood pressure
  ['8867-4', '8889-8'], // heart rate (pulse)
  ['59408-5', '59417-6'], // oxygen saturation by pulse oximetry (a blood gas is another test)
  ['8310-5', '8331-1', '8332-9', '8333-7', '8328-7'], // body temperature
  ['29463-7', '3141-9', '3142-7'], // body weight
  ['8302-2', '8306-3', '8308-9'], // body height
  ['9279-1'], // respiratory rate
  ['39156-5'], // body mass index
];

export const SYSTOLIC = '8480-6';
export const DIASTOLIC = '8462-4';
export const BLOOD_PRESSURE_CODES = new Set(EQUIVALENT_CODES.find((g) => g.includes('85354-9')) ?? []);

const CANONICAL = new Map<string, string>();
for (const group of EQUIVALENT_CODES) for (const code of group) CANONICAL.set(code, group[0] as string);

/** The code that stands for this test's group (itself when it has no equivalents). */
export function canonicalCode(code: string): string {
  return CANONICAL.get(code) ?? code;
}

/** The codes that count as the same test as a canonical code, as a FHIR token list (system|code,…). */
export function sameTestTokens(canonical: string): string {
  return (EQUIVALENT_CODES.find((g) => g[0] === canonical) ?? [canonical]).map((c) => `${LOINC_SYSTEM}|${c}`).join(',');
}

/** The LOINC code of a CodeableConcept, if it has one. */
export function loincOf(concept: CodeableConcept | undefined): string | undefined {
  return concept?.coding?.find((c) => c.system === LOINC_SYSTEM && typeof c.code === 'string')?.code;
}
