/**
 * A search answer with many Observations (the benchmark's "500 results"
 * render): common lab tests and vital signs over many days, with units,
 * usual ranges and some flags, as an EHR might send a long history at once.
 */
const TESTS = [
  { code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma', unit: 'mg/dL', low: 70, high: 99, base: 95 },
  { code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma', unit: 'mg/dL', low: 0.6, high: 1.2, base: 1 },
  { code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', low: 3.5, high: 5.1, base: 4.4 },
  { code: '2951-2', display: 'Sodium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', low: 136, high: 145, base: 140 },
  { code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', unit: 'g/dL', low: 12, high: 16, base: 13.5 },
  { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', low: 4, high: 5.6, base: 6.1 },
  { code: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', unit: 'mg/dL', high: 200, base: 190 },
  { code: '8867-4', display: 'Heart rate', unit: '/min', base: 72, vital: true },
  { code: '29463-7', display: 'Body weight', unit: 'kg', base: 70, vital: true },
  { code: '8310-5', display: 'Body temperature', unit: 'Cel', base: 36.8, vital: true },
] as const;

export function manyObservations(patientId: string, count: number): unknown {
  const entry = Array.from({ length: count }, (_, i) => {
    const test = TESTS[i % TESTS.length] as (typeof TESTS)[number];
    const day = new Date(Date.UTC(2026, 10, 20) - Math.floor(i / TESTS.length) * 7 * 86_400_000);
    const value = Math.round(test.base * (0.85 + ((i * 37) % 30) / 100) * 10) / 10;
    const range = 'high' in test ? [{ ...('low' in test ? { low: { value: test.low, unit: test.unit } } : {}), high: { value: test.high, unit: test.unit } }] : undefined;
    const vital = 'vital' in test;
    return {
      fullUrl: `urn:uuid:bench-${i}`,
      resource: {
        resourceType: 'Observation',
        id: `bench-${i}`,
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: vital ? 'vital-signs' : 'laboratory' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: test.code, display: test.display }], text: test.display },
        subject: { reference: `Patient/${patientId}` },
        effectiveDateTime: day.toISOString(),
        issued: day.toISOString(),
        valueQuantity: { value, unit: test.unit, system: 'http://unitsofmeasure.org', code: test.unit },
        ...(range ? { referenceRange: range } : {}),
      },
      search: { mode: 'match' },
    };
  });
  return { resourceType: 'Bundle', type: 'searchset', total: count, link: [{ relation: 'self', url: 'Observation' }], entry };
}
