/**
 * The bench's budget checker (scripts/lib/bench/budgets.ts) over tables of
 * bytes and times: it passes what is within budget, fails what is over it
 * (this is how CI fails on a broken byte budget: `npm run bench --
 * --bytes-only` exits non-zero), and writes the summary line.
 */
import { describe, expect, test } from 'vitest';
import {
  checkBytes,
  checkTimings,
  readBudgets,
  summaryLine,
  type BytesRow,
  type TimingRow,
} from '../../scripts/lib/bench/budgets.ts';

const budgets = readBudgets();
const KB = 1024;

const withinBudget: BytesRow[] = [
  { page: 'en results', kind: 'withPatientData', firstVisitBytes: 26.1 * KB, javascriptBytes: 18.3 * KB },
  { page: 'en resultView', kind: 'withPatientData', firstVisitBytes: 28 * KB, javascriptBytes: 21.1 * KB },
  { page: 'en signIn', kind: 'withoutPatientData', firstVisitBytes: 15.7 * KB, javascriptBytes: 9.9 * KB },
];

describe('bench/budgets.json', () => {
  test('holds the budgets of issue 16: JavaScript by kind of page, first visit, floor ratio, repeat visit', () => {
    expect(budgets.javascriptBytes).toEqual({ withPatientData: 22528, withoutPatientData: 15360 });
    expect(budgets.firstVisitBytes).toBe(30720);
    expect(budgets.floorRatio).toBe(1.25);
    expect(budgets.repeatVisitDataMs).toBe(1500);
    expect(budgets.profile).toEqual({ latencyMs: 400, kbps: 400, cpuSlowdown: 4 });
  });
});

describe('byte budgets', () => {
  test('pages within their budgets pass', () => {
    expect(checkBytes(withinBudget, budgets)).toEqual([]);
  });

  test('a page with patient data over 22 KB of JavaScript fails; 21 KB on such a page passes', () => {
    const over = [
      ...withinBudget,
      { page: 'en thread', kind: 'withPatientData' as const, firstVisitBytes: 29 * KB, javascriptBytes: 22 * KB + 1 },
    ];
    expect(checkBytes(over, budgets)).toEqual([
      { page: 'en thread', message: 'JS 22.0 KB > 22.0 KB (a page with patient data)' },
    ]);
  });

  test('a page without patient data is held to 15 KB: 16 KB fails there though it would pass on a data page', () => {
    const rows: BytesRow[] = [
      { page: 'en settings', kind: 'withoutPatientData', firstVisitBytes: 20 * KB, javascriptBytes: 16 * KB },
      { page: 'en results', kind: 'withPatientData', firstVisitBytes: 20 * KB, javascriptBytes: 16 * KB },
    ];
    expect(checkBytes(rows, budgets)).toEqual([
      { page: 'en settings', message: 'JS 16.0 KB > 15.0 KB (a page without patient data)' },
    ]);
  });

  test('a first visit over 30 KB fails, whatever the kind of page', () => {
    const rows: BytesRow[] = [
      { page: '/404.html', kind: 'withoutPatientData', firstVisitBytes: 31 * KB, javascriptBytes: 2 * KB },
    ];
    expect(checkBytes(rows, budgets).map((b) => b.message)).toEqual(['first visit 31.0 KB > 30.0 KB']);
  });

  test('the summary line gives the largest first visit and the largest JavaScript by kind', () => {
    expect(summaryLine(withinBudget)).toBe('bench: first_visit_kb_max=28.0 js_kb_max_data=21.1 js_kb_max_other=9.9');
  });
});

describe('timing budgets', () => {
  const page = (over: Partial<TimingRow> = {}): TimingRow => ({
    page: 'en results',
    data: true,
    dataMs: 3000,
    floorRatio: 1.1,
    repeat: { dataMs: 900, bytes: 0 },
    lighthouse: { performance: 100, accessibility: 100, 'best-practices': 100 },
    ...over,
  });

  test('a data page within the floor ratio, the repeat visit and Lighthouse passes', () => {
    expect(checkTimings([page()], budgets, { lighthouse: true })).toEqual([]);
  });

  test('time to data over 1.25 × the floor fails; a data page whose data never showed fails too', () => {
    expect(checkTimings([page({ floorRatio: 1.3 })], budgets, { lighthouse: true }).map((b) => b.message)).toEqual([
      'data at 3000 ms = 1.30 × floor > 1.25 (first visit)',
    ]);
    const { floorRatio: _, dataMs: __, ...never } = page();
    expect(checkTimings([never], budgets, { lighthouse: true }).map((b) => b.message)).toEqual([
      'time to data ÷ floor not measured (the data never showed)',
    ]);
  });

  test('a repeat visit over 1.5 s or over 2 KB before the data fails', () => {
    const breaches = checkTimings([page({ repeat: { dataMs: 1600, bytes: 3000 } })], budgets, { lighthouse: true });
    expect(breaches.map((b) => b.message)).toEqual([
      'data at 1600 ms > 1500 ms (repeat visit)',
      'repeat 2.9 KB > 2.0 KB before data',
    ]);
  });

  test('Lighthouse under 100 fails, and so does Lighthouse not measured; a row it does not apply to is not asked', () => {
    expect(
      checkTimings([page({ lighthouse: { performance: 99, accessibility: 100, 'best-practices': 100 } })], budgets, {
        lighthouse: true,
      }).map((b) => b.message),
    ).toEqual(['Lighthouse performance 99 < 100']);
    const { lighthouse: _, ...unmeasured } = page();
    expect(checkTimings([unmeasured], budgets, { lighthouse: true }).map((b) => b.message)).toEqual([
      'Lighthouse not measured',
    ]);
    expect(checkTimings([page({ lighthouse: null })], budgets, { lighthouse: true })).toEqual([]);
  });

  test('pages without patient data have no time budget', () => {
    expect(
      checkTimings(
        [{ page: 'en help', data: false, repeat: { bytes: 0 }, lighthouse: { performance: 100 } }],
        budgets,
        { lighthouse: true },
      ),
    ).toEqual([]);
  });

  test('the full summary line: the worst data page, and "never" when a data page never showed its data', () => {
    const rows = [
      page(),
      page({
        page: 'en thread',
        dataMs: 3500.4,
        floorRatio: 1.234,
        repeat: { dataMs: 1200, bytes: 0 },
        lighthouse: { performance: 98 },
      }),
      { page: 'en help', data: false, lighthouse: { performance: 100 } },
    ];
    expect(summaryLine(withinBudget, rows)).toBe(
      'bench: first_visit_kb_max=28.0 js_kb_max_data=21.1 js_kb_max_other=9.9 data_ms_max=3500 floor_ratio_max=1.23 repeat_data_ms_max=1200 lighthouse_min=98',
    );
    const { floorRatio: _, dataMs: __, ...never } = page();
    expect(summaryLine(withinBudget, [never])).toContain('data_ms_max=never floor_ratio_max=never');
  });
});
