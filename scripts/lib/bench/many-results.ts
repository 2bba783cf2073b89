/**
 * A patient with ten years of labs: 5,000 Observations (common lab tests and
 * vital signs, one visit a week or so), with units, usual ranges, some flags
 * and a metabolic panel report per visit, generated the same way every time
 * and loaded into the bench's own sandbox (SANDBOX_DATA) for "time to the
 * newest results" with a long history.
 */
const TESTS = [
  {
    code: '2345-7',
    display: 'Glucose [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    low: 70,
    high: 99,
    base: 95,
    panel: true,
  },
  {
    code: '2160-0',
    display: 'Creatinine [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    low: 0.6,
    high: 1.2,
    base: 1,
    panel: true,
  },
  {
    code: '2823-3',
    display: 'Potassium [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    low: 3.5,
    high: 5.1,
    base: 4.4,
    panel: true,
  },
  {
    code: '2951-2',
    display: 'Sodium [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    low: 136,
    high: 145,
    base: 140,
    panel: true,
  },
  { code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', unit: 'g/dL', low: 12, high: 16, base: 13.5 },
  { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', low: 4, high: 5.6, base: 6.1 },
  { code: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', unit: 'mg/dL', high: 200, base: 190 },
  { code: '8867-4', display: 'Heart rate', unit: '/min', base: 72, vital: true },
  { code: '29463-7', display: 'Body weight', unit: 'kg', base: 70, vital: true },
  { code: '8310-5', display: 'Body temperature', unit: 'Cel', base: 36.8, vital: true },
] as const;

/** The patient as the sandbox's sign-in page lists them. */
export const MANY_RESULTS_PATIENT = 'Walter Lindqvist';
const PATIENT_ID = 'bench-many-results';
const DAY = 86_400_000;

/**
 * A FHIR collection Bundle: the patient, `observations` Observations spread
 * evenly over `years` years ending on `end` (newest first: `bench-obs-0` is
 * the newest), and one "Basic metabolic panel" DiagnosticReport per visit.
 */
export function manyResultsBundle(options: { observations: number; years: number; end?: Date }): {
  resourceType: 'Bundle';
  type: 'collection';
  entry: { fullUrl: string; resource: Record<string, unknown> }[];
} {
  const end = (options.end ?? new Date(Date.UTC(2026, 0, 15, 9))).getTime();
  const visits = Math.ceil(options.observations / TESTS.length);
  const every = (options.years * 365.25 * DAY) / visits;
  const patient = `urn:uuid:${PATIENT_ID}`;
  const entry: { fullUrl: string; resource: Record<string, unknown> }[] = [
    {
      fullUrl: patient,
      resource: {
        resourceType: 'Patient',
        id: PATIENT_ID,
        name: [{ use: 'official', family: 'Lindqvist', given: ['Walter'] }],
        gender: 'male',
        birthDate: '1947-03-02',
        communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en' }] }, preferred: true }],
      },
    },
  ];
  const panels = new Map<number, string[]>();
  for (let i = 0; i < options.observations; i++) {
    const test = TESTS[i % TESTS.length] as (typeof TESTS)[number];
    const visit = Math.floor(i / TESTS.length);
    // Morning visits, a few minutes apart per test, so "newest first" has one answer.
    const when = new Date(end - Math.round((visit * every) / DAY) * DAY - (i % TESTS.length) * 60_000).toISOString();
    const value = Math.round(test.base * (0.85 + ((i * 37) % 30) / 100) * 10) / 10;
    const range =
      'high' in test
        ? [
            {
              ...('low' in test
                ? { low: { value: test.low, unit: test.unit, system: 'http://unitsofmeasure.org', code: test.unit } }
                : {}),
              high: { value: test.high, unit: test.unit, system: 'http://unitsofmeasure.org', code: test.unit },
            },
          ]
        : undefined;
    const vital = 'vital' in test;
    const id = `bench-obs-${i}`;
    entry.push({
      fullUrl: `urn:uuid:${id}`,
      resource: {
        resourceType: 'Observation',
        id,
        status: 'final',
        category: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/observation-category',
                code: vital ? 'vital-signs' : 'laboratory',
              },
            ],
          },
        ],
        code: { coding: [{ system: 'http://loinc.org', code: test.code, display: test.display }], text: test.display },
        subject: { reference: patient },
        effectiveDateTime: when,
        issued: when,
        valueQuantity: { value, unit: test.unit, system: 'http://unitsofmeasure.org', code: test.unit },
        ...(range ? { referenceRange: range } : {}),
      },
    });
    if ('panel' in test) panels.set(visit, [...(panels.get(visit) ?? []), id]);
  }
  for (const [visit, members] of panels) {
    const first = entry.find((e) => e.resource['id'] === members[0])?.resource;
    entry.push({
      fullUrl: `urn:uuid:bench-report-${visit}`,
      resource: {
        resourceType: 'DiagnosticReport',
        id: `bench-report-${visit}`,
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
        code: {
          coding: [{ system: 'http://loinc.org', code: '51990-0', display: 'Basic metabolic panel - Blood' }],
          text: 'Basic metabolic panel',
        },
        subject: { reference: patient },
        effectiveDateTime: first?.['effectiveDateTime'],
        issued: first?.['issued'],
        result: members.map((id) => ({ reference: `urn:uuid:${id}` })),
      },
    });
  }
  return { resourceType: 'Bundle', type: 'collection', entry };
}
