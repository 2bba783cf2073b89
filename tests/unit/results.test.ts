/**
 * Mapping rules for results, each with a fixture: our own small ones, and
 * the shared samples as the sandbox serves them (sandbox/data: Synthea,
 * HL7 and US Core examples).
 */
import { readFileSync } from 'node:fs';
import type { Bundle, DiagnosticReport, Observation } from '@medplum/fhirtypes';
import { prepareSeed } from '../../sandbox/seed.ts';
import { describe, expect, test } from 'vitest';
import { nameInSentence, rangeText } from '../../src/lib/results/detail-words.ts';
import { codeTokens } from '../../src/lib/results/fetch-detail.ts';
import { KEEP_RESULTS, keepNewest, type ResultsListData } from '../../src/lib/results/fetch-list.ts';
import { flagFromRange } from '../../src/lib/results/flags.ts';
import { groupResults } from '../../src/lib/results/group-by-day.ts';
import { canonicalCode } from '../../src/lib/results/loinc.ts';
import { mapObservation } from '../../src/lib/results/map-observation.ts';
import { direction, meaningKey } from '../../src/lib/results/meaning.ts';
import type { Amount, Result } from '../../src/lib/results/model.ts';
import { displayDecimals } from '../../src/lib/results/precision.ts';
import { pickRange } from '../../src/lib/results/ranges.ts';
import { trendSeries } from '../../src/lib/results/trend-series.ts';
import { amountText, valueText, type ResultWords } from '../../src/lib/results/words.ts';
import { resources } from '../../src/lib/i18n/resources.ts';

type Resource = { resourceType: string; id?: string; [k: string]: unknown };
/** A sample bundle with its references resolved the way the sandbox resolves them. */
function load(file: string): Resource[] {
  const bundle = JSON.parse(readFileSync(new URL(`../../sandbox/data/${file}`, import.meta.url), 'utf8')) as Bundle;
  return prepareSeed([{ file, bundle }]).entries.map((e) => e.resource as unknown as Resource);
}
const synthea = load('synthea-catalina-cantu-4d56ac0a.json');
const adan = load('synthea-adan-portillo-43b6ae50.json');
const usCore = load('us-core-r4-amy-shaw-labs.bundle.json');
const ghp = load('margaret-olsen.json');
const byId = (all: Resource[], id: string) => all.find((r) => r.id === id) as unknown as Observation;
const byCode = (all: Resource[], code: string) =>
  all.find(
    (r) => r.resourceType === 'Observation' && JSON.stringify(r['code'] ?? '').includes(`"${code}"`),
  ) as unknown as Observation;

const words = (lang: 'en' | 'es') => {
  const t = resources[lang].results as Record<string, string>;
  return Object.fromEntries(Object.entries(t).filter(([k]) => /^(value|unit|flag|absent)\./.test(k))) as ResultWords;
};
const en = words('en');
const es = words('es');
const obs = (o: Partial<Observation>): Observation => ({
  resourceType: 'Observation',
  id: 'x',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
  ...o,
});
const q = (value: number, unit = 'mg/dL', extra: Record<string, unknown> = {}) => ({
  value,
  unit,
  system: 'http://unitsofmeasure.org',
  code: unit,
  ...extra,
});

describe('values', () => {
  test('Synthea noise (13–17 decimals) is rounded to the precision labs use', () => {
    const glucose = mapObservation(byCode(synthea, '2339-0'));
    expect(glucose?.value.kind).toBe('amount');
    const amount = (glucose?.value as { amount: Amount }).amount;
    expect(amount.decimals).toBe(0);
    expect(String(amount.value)).toMatch(/^\d+$/);
    expect(displayDecimals(4.123456789012, '2823-3')).toBe(1);
    expect(displayDecimals(5.8765432101, '4548-4')).toBe(1);
    expect(displayDecimals(0.8712345678, undefined)).toBe(2);
    expect(displayDecimals(123.456789012, undefined)).toBe(0);
  });

  test('the precision the lab sent is kept, and a noisy value follows its range', () => {
    expect(displayDecimals(7.2, '4548-4')).toBe(1);
    expect(displayDecimals(1.015, '2965-2')).toBe(3);
    expect(displayDecimals(0.87, '2160-0')).toBe(2);
    expect(displayDecimals(4.123456789, undefined, [3.5, 5.1])).toBe(1);
    const noisy = mapObservation(
      obs({
        valueQuantity: q(4.56789123456, 'mmol/L'),
        referenceRange: [{ low: q(3.5, 'mmol/L'), high: q(5.1, 'mmol/L') }],
      }),
    );
    expect(valueText('en', noisy?.value ?? { kind: 'none' }, en)).toBe('4.6 mmol/L');
  });

  test('numbers are formatted for en-US and es-US', () => {
    const amount: Amount = { value: 1234.5, decimals: 1, unit: { symbol: 'mg/dL' }, unitKey: 'mg/dL' };
    expect(amountText('en', amount, en)).toBe('1,234.5 mg/dL');
    expect(amountText('es', amount, es)).toMatch(/^1[,.\u00a0\u202f]?234\.5 mg\/dL$/);
  });

  test('comparators in words', () => {
    const u8 = mapObservation(byId(ghp, 'u8'));
    expect(valueText('en', u8?.value ?? { kind: 'none' }, en)).toBe('less than 1 /µL');
    expect(valueText('es', u8?.value ?? { kind: 'none' }, es)).toBe('menos de 1 /µL');
    const more = mapObservation(obs({ valueQuantity: q(200, 'mg/dL', { comparator: '>' }) }));
    expect(valueText('en', more?.value ?? { kind: 'none' }, en)).toBe('more than 200 mg/dL');
  });

  test('valueString is shown as text', () => {
    expect(mapObservation(byId(usCore, 'urine-sediment'))?.value).toEqual({
      kind: 'text',
      text: 'Recommend Urine Culture',
    });
  });

  test('valueCodeableConcept: the answer, not the coding noise', () => {
    expect(mapObservation(byId(usCore, 'urine-nitrite'))?.value).toEqual({ kind: 'text', text: 'Positive' });
    const neva = load('synthea-neva-hyatt-132f48ba.json');
    const urineGlucose = neva.find((r) =>
      JSON.stringify(r['valueCodeableConcept'] ?? '').includes('Urine glucose test = '),
    ) as unknown as Observation;
    expect((mapObservation(urineGlucose)?.value as { text: string }).text).not.toMatch(/finding|=/);
  });

  test('valueRange', () => {
    const cells = mapObservation(byId(usCore, 'urine-wbcs'));
    expect(cells?.value.kind).toBe('between');
    expect(valueText('en', cells?.value ?? { kind: 'none' }, en)).toBe('20 to 30 per high-power field');
  });

  test('a missing value says why, in words', () => {
    const bp = mapObservation(byId(usCore, 'blood-pressure-with-dar') ?? byCode(usCore, '85354-9'));
    const absent =
      bp?.value.kind === 'absent'
        ? bp.value
        : mapObservation(obs({ dataAbsentReason: { coding: [{ code: 'not-performed' }] } }))?.value;
    expect(absent?.kind).toBe('absent');
    expect(
      valueText(
        'en',
        mapObservation(obs({ dataAbsentReason: { coding: [{ code: 'asked-unknown' }] } }))?.value ?? { kind: 'none' },
        en,
      ),
    ).toBe('No result: the value is not known.');
    expect(
      valueText(
        'es',
        mapObservation(obs({ dataAbsentReason: { coding: [{ code: 'error' }] } }))?.value ?? { kind: 'none' },
        es,
      ),
    ).toBe('Sin resultado: hubo un problema con el análisis.');
  });

  test('blood pressure: systolic and diastolic found by code, never by position', () => {
    const synthBp = adan.find((r) => JSON.stringify(r['code'] ?? '').includes('55284-4')) as unknown as Observation;
    const mapped = mapObservation(synthBp);
    expect(mapped?.value.kind).toBe('pressure');
    const v = mapped?.value as { systolic: Amount; diastolic: Amount };
    const components = synthBp.component ?? [];
    const sys = components.find((c) => c.code?.coding?.[0]?.code === '8480-6')?.valueQuantity?.value ?? 0;
    expect(v.systolic.value).toBe(Math.round(sys));
    expect(v.systolic.value).toBeGreaterThan(v.diastolic.value);
    expect(mapped?.category).toBe('vital-signs');
    // The same reading with components in the other order reads the same.
    const reversed = mapObservation({ ...synthBp, component: [...components].reverse() });
    expect(valueText('en', reversed?.value ?? { kind: 'none' }, en)).toBe(
      valueText('en', mapped?.value ?? { kind: 'none' }, en),
    );
    expect(valueText('en', mapped?.value ?? { kind: 'none' }, en)).toMatch(/^\d+\/\d+ mmHg$/);
  });

  test('units as patients know them', () => {
    const unit = (u: string, code = '2345-7') =>
      valueText(
        'en',
        mapObservation(obs({ code: { coding: [{ system: 'http://loinc.org', code }] }, valueQuantity: q(1, u) }))
          ?.value ?? { kind: 'none' },
        en,
      );
    expect(unit('mm[Hg]', '8480-6')).toBe('1 mmHg');
    expect(unit('Cel', '8310-5')).toBe('1 °C');
    expect(unit('{beats}/min', '8867-4')).toBe('1 beats per minute');
    expect(unit('/min', '9279-1')).toBe('1 breaths per minute');
    expect(unit('10*3/uL')).toBe('1 × 1000/µL');
    expect(unit('mL/min/{1.73_m2}')).toBe('1 mL/min/1.73 m²');
    expect(unit('kg/m2')).toBe('1 kg/m²');
    expect(unit('{score}', '72514-3')).toBe('1 out of 10');
    expect(unit('%')).toBe('1 %');
    expect(
      valueText(
        'es',
        mapObservation(
          obs({
            code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
            valueQuantity: q(72, '{beats}/min'),
          }),
        )?.value ?? { kind: 'none' },
        es,
      ),
    ).toBe('72 latidos por minuto');
  });
});

describe('interpretation', () => {
  test.each([
    ['H', 'high'],
    ['L', 'low'],
    ['HH', 'critical-high'],
    ['LL', 'critical-low'],
    ['A', 'abnormal'],
    ['AA', 'critical'],
    ['N', 'normal'],
    ['POS', 'positive'],
    ['NEG', 'negative'],
    ['DET', 'positive'],
    ['ND', 'negative'],
  ])('code %s → %s', (code, flag) => {
    const r = mapObservation(
      obs({
        valueQuantity: q(1),
        interpretation: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code }] },
        ],
      }),
    );
    expect(r?.flag).toBe(flag);
    expect(r?.flagSource).toBe('lab');
  });

  test('codes about change or microbiology are not guessed into a flag', () => {
    for (const code of ['U', 'D', 'W', 'B', 'S', 'R', 'IND']) {
      expect(
        mapObservation(obs({ valueCodeableConcept: { text: 'x' }, interpretation: [{ coding: [{ code }] }] }))?.flag,
        code,
      ).toBeUndefined();
    }
  });

  test('the HL7 examples: H, L, HH and LL as the lab sent them', () => {
    const flags = ghp
      .filter((r) => r.resourceType === 'Observation')
      .map((r) => mapObservation(r as unknown as Observation)?.flag);
    expect(flags).toEqual(expect.arrayContaining(['high', 'low', 'critical-high', 'critical-low']));
  });

  test("the lab's word wins over the range", () => {
    const r = mapObservation(
      obs({
        valueQuantity: q(150),
        referenceRange: [{ low: q(70), high: q(99) }],
        interpretation: [{ coding: [{ code: 'N' }] }],
      }),
    );
    expect(r?.flag).toBe('normal');
  });

  test('from the range when the lab gave no word: both ends, low only, high only', () => {
    const flag = (value: number, range: Record<string, unknown>) =>
      mapObservation(obs({ valueQuantity: q(value), referenceRange: [range] }));
    expect(flag(120, { low: q(70), high: q(99) })?.flag).toBe('high');
    expect(flag(120, { low: q(70), high: q(99) })?.flagSource).toBe('range');
    expect(flag(60, { low: q(70), high: q(99) })?.flag).toBe('low');
    expect(flag(80, { low: q(70), high: q(99) })?.flag).toBe('normal');
    expect(flag(99, { low: q(70), high: q(99) })?.flag).toBe('normal');
    expect(flag(50, { low: q(60) })?.flag).toBe('low');
    expect(flag(500, { low: q(60) })?.flag).toBe('normal');
    expect(flag(250, { high: q(200) })?.flag).toBe('high');
    const hdl = mapObservation(byId(ghp, 'hdlcholesterol'));
    expect(hdl?.flag ?? 'none').toBe('low');
  });

  test('a text-only range, a range in other units, or no range: no flag, never guessed', () => {
    expect(mapObservation(obs({ valueQuantity: q(5), referenceRange: [{ text: 'Under 6' }] }))?.flag).toBeUndefined();
    expect(
      mapObservation(
        obs({ valueQuantity: q(5, 'mmol/L'), referenceRange: [{ low: q(70, 'mg/dL'), high: q(99, 'mg/dL') }] }),
      )?.flag,
    ).toBeUndefined();
    expect(mapObservation(obs({ valueQuantity: q(5) }))?.flag).toBeUndefined();
    expect(mapObservation(byCode(synthea, '2339-0'))?.flag).toBeUndefined();
  });

  test('comparators against the range: only what is known', () => {
    const amount = (value: number, comparator?: Amount['comparator']): Amount => ({
      value,
      decimals: 0,
      unitKey: 'mg/dL',
      unit: { symbol: 'mg/dL' },
      ...(comparator ? { comparator } : {}),
    });
    const range = { kind: 'between' as const, low: amount(3), high: amount(10) };
    expect(flagFromRange(amount(5, '<'), { kind: 'at-most', high: amount(10) })).toBe('normal');
    expect(flagFromRange(amount(5, '<'), range)).toBeUndefined();
    expect(flagFromRange(amount(2, '<'), range)).toBe('low');
    expect(flagFromRange(amount(200, '>'), range)).toBe('high');
    expect(flagFromRange(amount(5, '>'), range)).toBeUndefined();
  });

  test('age- and sex-specific ranges: the one that fits the patient', () => {
    const ranges = [
      {
        low: q(12),
        high: q(15.5),
        appliesTo: [{ coding: [{ system: 'http://snomed.info/sct', code: '248152002', display: 'Female' }] }],
      },
      {
        low: q(13.5),
        high: q(17.5),
        appliesTo: [{ coding: [{ system: 'http://snomed.info/sct', code: '248153007', display: 'Male' }] }],
      },
      { low: q(11), high: q(14), age: { low: { value: 0 }, high: { value: 12 } } },
    ];
    const hb = (gender: string, birthDate: string) =>
      mapObservation(
        obs({
          effectiveDateTime: '2026-06-01',
          valueQuantity: q(13, 'g/dL'),
          referenceRange: ranges.map((r) => ({ ...r, low: q(r.low.value, 'g/dL'), high: q(r.high.value, 'g/dL') })),
        }),
        { gender, birthDate },
      );
    expect(hb('female', '1950-01-01')?.flag).toBe('normal');
    expect(hb('male', '1950-01-01')?.flag).toBe('low');
    expect(hb('female', '2020-01-01')?.range).toMatchObject({ kind: 'between', low: { value: 11 } });
    expect(pickRange(ranges, {}, undefined)).toBeUndefined();
  });

  test('usual ranges in words', () => {
    const both = mapObservation(obs({ valueQuantity: q(90), referenceRange: [{ low: q(70), high: q(99) }] }));
    expect(rangeText('en', both?.range ?? { kind: 'text', text: '' }, en)).toBe('70 to 99 mg/dL');
    expect(rangeText('es', both?.range ?? { kind: 'text', text: '' }, es)).toBe('de 70 a 99 mg/dL');
    const high = mapObservation(obs({ valueQuantity: q(90), referenceRange: [{ high: q(200) }] }));
    expect(rangeText('en', high?.range ?? { kind: 'text', text: '' }, en)).toBe('200 mg/dL or less');
    const text = mapObservation(byId(usCore, 'urine-bilirubin'));
    expect(text?.range).toEqual({ kind: 'text', text: 'Negative' });
  });
});

describe('status and text', () => {
  test('entered-in-error is hidden; amended and corrected are shown as corrected; preliminary as such', () => {
    expect(mapObservation(obs({ status: 'entered-in-error', valueQuantity: q(1) }))).toBeUndefined();
    expect(mapObservation(obs({ status: 'amended', valueQuantity: q(1) }))?.status).toBe('corrected');
    expect(mapObservation(obs({ status: 'corrected', valueQuantity: q(1) }))?.status).toBe('corrected');
    expect(mapObservation(obs({ status: 'preliminary', valueQuantity: q(1) }))?.status).toBe('preliminary');
    expect(mapObservation(obs({ status: 'cancelled' }))?.value).toEqual({ kind: 'absent', reason: 'not-performed' });
  });

  test("zero-width and control characters are stripped from the lab's names and notes", () => {
    const withZw = synthea.find(
      (r) => JSON.stringify(r['code'] ?? '').includes('\\u200b') || JSON.stringify(r['code'] ?? '').includes('\u200b'),
    ) as unknown as Observation | undefined;
    const fixture = withZw ?? obs({ code: { text: 'Leukocytes [#/\u200bvolume] in Blood' } });
    expect(mapObservation(fixture)?.labName).not.toMatch(/\u200b/);
    const noted = mapObservation(
      obs({ valueQuantity: q(1), note: [{ text: 'Please\u202e repeat\u0007 in 3 months' }] }),
    );
    expect(noted?.notes).toEqual(['Please repeat in 3 months']);
  });

  test('equivalent LOINC codes are one test', () => {
    expect(canonicalCode('2339-0')).toBe('2345-7');
    expect(canonicalCode('6298-4')).toBe('2823-3');
    expect(canonicalCode('55284-4')).toBe('85354-9');
    expect(codeTokens({ coding: [{ system: 'http://loinc.org', code: '38483-4' }] })).toContain(
      'http://loinc.org|2160-0',
    );
    expect(codeTokens({ coding: [{ system: 'http://acme.com/labs', code: 'GHP' }] })).toBe('http://acme.com/labs|GHP');
  });

  test('a name fits a sentence', () => {
    expect(nameInSentence('Blood sugar (glucose)', 'en')).toBe('blood sugar (glucose)');
    expect(nameInSentence('PSA (prostate test)', 'en')).toBe('PSA (prostate test)');
    expect(nameInSentence('A1c (average blood sugar)', 'en')).toBe('A1c (average blood sugar)');
  });
});

describe('grouping', () => {
  const map = (all: Resource[]) =>
    all
      .filter((r) => r.resourceType === 'Observation')
      .map((r) => mapObservation(r as unknown as Observation))
      .filter((r): r is Result => !!r);
  const reports = (all: Resource[]) =>
    all.filter((r) => r.resourceType === 'DiagnosticReport') as unknown as DiagnosticReport[];

  test('by day, newest first, and by report', () => {
    const results = map(synthea).filter((r) => r.category === 'laboratory');
    const days = groupResults(results, reports(synthea), 'America/Chicago');
    expect(days.length).toBeGreaterThan(5);
    expect([...days.map((d) => d.day)].sort().reverse()).toEqual(days.map((d) => d.day));
    const panel = days.flatMap((d) => d.panels).find((p) => p.code === '51990-0');
    expect(panel?.results.length).toBeGreaterThanOrEqual(7);
    // A result shown in a panel is not repeated on its own.
    const inPanels = new Set(days.flatMap((d) => d.panels.flatMap((p) => p.results.map((r) => r.id))));
    expect(days.flatMap((d) => d.single).some((r) => inPanels.has(r.id))).toBe(false);
    // Standalone labs (A1c) stay on their own.
    expect(days.flatMap((d) => d.single).some((r) => r.code === '4548-4')).toBe(true);
  });

  test('nested panels: a report lists panels whose analytes come through hasMember', () => {
    const results = map(ghp);
    const days = groupResults(results, reports(ghp), 'America/Chicago');
    const ghpPanel = days.flatMap((d) => d.panels).find((p) => p.labName.includes('General Health'));
    expect(ghpPanel?.results.length).toBeGreaterThanOrEqual(40);
    expect(ghpPanel?.results.every((r) => r.members.length === 0)).toBe(true);
  });

  test('a report with nothing in result is not an empty panel', () => {
    const r = mapObservation(
      obs({ id: 'lone', effectiveDateTime: '2026-01-02T10:00:00Z', valueQuantity: q(1) }),
    ) as Result;
    const days = groupResults(
      [r],
      [
        {
          resourceType: 'DiagnosticReport',
          id: 'empty',
          status: 'final',
          code: { text: 'Lipids' },
          effectiveDateTime: '2026-01-02T10:00:00Z',
        },
      ],
      'UTC',
    );
    expect(days).toHaveLength(1);
    expect(days[0]?.panels).toEqual([]);
    expect(days[0]?.single.map((x) => x.id)).toEqual(['lone']);
  });

  test("days are calendar days in the clinic's time zone", () => {
    const r = mapObservation(
      obs({ id: 'late', effectiveDateTime: '2026-03-10T03:30:00Z', valueQuantity: q(1) }),
    ) as Result;
    expect(groupResults([r], [], 'America/Chicago')[0]?.day).toBe('2026-03-09');
    expect(groupResults([r], [], 'UTC')[0]?.day).toBe('2026-03-10');
  });
});

describe('trends', () => {
  test('one series per unit, oldest first; never two units on one axis', () => {
    const a = (id: string, date: string, value: number, unit: string) =>
      mapObservation(obs({ id, effectiveDateTime: date, valueQuantity: q(value, unit) })) as Result;
    const series = trendSeries([
      a('3', '2026-03-01', 6, 'mmol/L'),
      a('1', '2026-01-01', 100, 'mg/dL'),
      a('2', '2026-02-01', 110, 'mg/dL'),
      a('4', '2026-04-01', 7, 'mmol/L'),
      a('5', '2026-05-01', 9, 'mg/L'),
    ]);
    expect(series.map((s) => s.unitKey)).toEqual(['mg/dl', 'mmol/l']);
    expect(series[0]?.points.map((p) => p.id)).toEqual(['1', '2']);
  });

  test("Catalina's A1c history makes one series", () => {
    const a1c = synthea
      .filter((r) => JSON.stringify(r['code'] ?? '').includes('"4548-4"'))
      .map((r) => mapObservation(r as unknown as Observation))
      .filter((r): r is Result => !!r);
    const series = trendSeries(a1c);
    expect(series).toHaveLength(1);
    expect(series[0]?.points.length).toBe(a1c.length);
  });

  test('blood pressure trends carry both numbers', () => {
    const bps = adan
      .filter((r) => JSON.stringify(r['code'] ?? '').includes('55284-4'))
      .map((r) => mapObservation(r as unknown as Observation))
      .filter((r): r is Result => !!r);
    const [series] = trendSeries(bps);
    expect(series?.pressure).toBe(true);
    expect(series?.points.every((p) => typeof p.second === 'number')).toBe(true);
  });
});

describe('a long list keeps its newest pages (ten years of labs)', () => {
  const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${from + i}` }) as Result);
  test('the saved copy keeps whole pages up to KEEP_RESULTS, with the link after the last kept page', () => {
    const pages = Array.from({ length: 8 }, (_, i) => ({
      results: (i + 1) * 50,
      reports: i + 1,
      next: { observations: `next-${i + 1}` },
      more: true,
    }));
    const data: ResultsListData = {
      results: page(0, 400),
      reports: Array.from({ length: 8 }, (_, i): DiagnosticReport => ({
        resourceType: 'DiagnosticReport',
        id: `d${i}`,
        status: 'final',
        code: {},
      })),
      next: { observations: 'next-8' },
      more: true,
      pages,
    };
    const kept = keepNewest(data);
    expect(kept.results).toHaveLength(KEEP_RESULTS);
    expect(kept.results[0]?.id).toBe('r0');
    expect(kept.next).toEqual({ observations: `next-${KEEP_RESULTS / 50}` });
    expect(kept.more).toBe(true);
    expect(kept.reports).toHaveLength(KEEP_RESULTS / 50);
    const short: ResultsListData = { results: page(0, 50), reports: [], next: {}, more: false };
    expect(keepNewest(short)).toBe(short);
  });
});

describe('what a flag means on the result page', () => {
  test('critical flags share one sentence; the others have their own; no flag has its own too', () => {
    expect(meaningKey('critical-high')).toBe('view.meaning.critical');
    expect(meaningKey('critical-low')).toBe('view.meaning.critical');
    expect(meaningKey('critical')).toBe('view.meaning.critical');
    for (const flag of ['high', 'low', 'abnormal', 'positive', 'negative', 'normal'] as const)
      expect(meaningKey(flag)).toBe(`view.meaning.${flag}`);
    expect(meaningKey(undefined)).toBe('view.meaning.none');
  });

  test("the glossary's explanation follows the flag's direction", () => {
    expect(direction('critical-high')).toBe('high');
    expect(direction('high')).toBe('high');
    expect(direction('critical-low')).toBe('low');
    expect(direction('low')).toBe('low');
    expect(direction('critical')).toBe('abnormal');
    expect(direction('positive')).toBe('abnormal');
    expect(direction('abnormal')).toBe('abnormal');
    expect(direction('normal')).toBeUndefined();
    expect(direction('negative')).toBeUndefined();
    expect(direction(undefined)).toBeUndefined();
  });
});
