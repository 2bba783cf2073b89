/**
 * Test results as a patient reads them, in both languages, with axe at every
 * step: the list in words, the detail explained, the trend as chart and
 * table, "Ask about this result", print, and the empty, denied and failing
 * states.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.ts';
import { expectAxeClean } from './support/axe.ts';
import { expectNoHorizontalOverflow } from './support/layout.ts';
import { expireSignIn, signIn, WORDS, type Lang } from './support/clara.ts';

const T = {
  en: {
    labs: 'Lab tests',
    vitals: 'Vital signs',
    high: 'High',
    critical: 'Very high — call us',
    newMark: 'New',
    potassium: 'Potassium',
    groupTests: 'Tests in this group',
    wbc: 'White blood cells (WBC)',
    measures: 'What this test measures',
    callToday: 'This result is far outside the usual range. Please call the clinic today.',
    calmHigh: 'Your result is above the usual range.',
    rangeAbove: /Your value, 6\.4 mmol\/L, is above the usual range of 3\.5 to 5\.1 mmol\/L\./,
    trend: 'Your results over time',
    went: /^Your potassium went from .+ in .+ to 6\.4 mmol\/L in .+\.$/,
    showTable: 'Show as a table',
    ask: 'Ask about this result',
    print: 'Print',
    back: 'Back to my results',
    more: 'Show older results',
    empty: 'You have no test results yet.',
    notGranted: 'You did not allow Clara to see your test results.',
    server: "The clinic's system has a problem right now.",
    unknown: 'Ask your care team what this test means.',
  },
  es: {
    labs: 'Análisis de laboratorio',
    vitals: 'Signos vitales',
    high: 'Alto',
    critical: 'Muy alto: llámenos',
    newMark: 'Nuevo',
    groupTests: 'Análisis de este grupo',
    wbc: 'Glóbulos blancos (leucocitos)',
    potassium: 'Potasio',
    measures: 'Qué mide este análisis',
    callToday: 'Este resultado está muy lejos del rango normal. Por favor, llame hoy a la clínica.',
    calmHigh: 'Su resultado está por encima del rango normal.',
    rangeAbove: /Su valor, 6\.4 mmol\/L, está por encima del rango normal, de 3\.5 a 5\.1 mmol\/L\./,
    trend: 'Sus resultados con el tiempo',
    went: /^Su potasio pasó de .+ en .+ a 6\.4 mmol\/L en .+\.$/,
    showTable: 'Ver como tabla',
    ask: 'Preguntar sobre este resultado',
    print: 'Imprimir',
    back: 'Volver a mis resultados',
    more: 'Ver resultados anteriores',
    empty: 'Todavía no tiene resultados.',
    notGranted: 'Usted no le permitió a Clara ver sus resultados.',
    server: 'El sistema de la clínica tiene un problema en este momento.',
    unknown: 'Pregúntele a su equipo de atención qué significa este análisis.',
  },
} as const;

async function openList(page: Page, lang: Lang, patient: string, options: { deny?: string[] } = {}): Promise<void> {
  await signIn(page, lang, patient, {
    from: `/${lang}/sign-in/?return=%2F${lang}%2Fresults%2F`,
    axe: false,
    ...options,
  });
  await expect(page).toHaveURL(`/${lang}/results/`);
}

for (const lang of ['en', 'es'] as const) {
  test.describe(`results (${lang})`, () => {
    test('the patient with abnormal values reads the list, the explanation and the trend @xl', async ({ page }) => {
      await openList(page, lang, 'Margaret Olsen');
      const list = page.locator('[data-state="results"]');
      await expect(list.getByRole('heading', { level: 2, name: T[lang].labs })).toBeVisible();
      await expect(list.getByRole('heading', { level: 2, name: T[lang].vitals })).toBeVisible();
      // The flags are words (with a shape), never colour alone.
      await expect(list.getByText(T[lang].high, { exact: true }).first()).toBeVisible();
      const critical = list.getByRole('link').filter({ hasText: T[lang].critical }).first();
      await expect(critical).toContainText(T[lang].potassium);
      await expect(critical).toContainText('6.4 mmol/L');
      await expect(critical).toContainText(T[lang].newMark);
      await expectAxeClean(page, 'results list');
      await expectNoHorizontalOverflow(page);

      await critical.click();
      await expect(page).toHaveURL(new RegExp(`/${lang}/results/view/\\?id=`));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].potassium);
      await expect(page).toHaveTitle(new RegExp(`^${T[lang].potassium} — `));
      await expect(page.getByRole('alert')).toContainText(T[lang].callToday);
      await expect(page.getByRole('heading', { name: T[lang].measures })).toBeVisible();
      await expect(page.locator('.range-bar figcaption')).toHaveText(T[lang].rangeAbove);
      await expectAxeClean(page, 'critical result');

      await expect(page.getByRole('heading', { name: T[lang].trend })).toBeVisible();
      await expect(page.locator('.trend-summary')).toHaveText(T[lang].went);
      await page.getByText(T[lang].showTable).click();
      const rows = page.locator('.trend-table tbody tr');
      expect(await rows.count()).toBeGreaterThanOrEqual(3);
      await expect(rows.first()).toContainText('6.4 mmol/L');
      await expectAxeClean(page, 'trend as a table');
      await expectNoHorizontalOverflow(page);

      // A result a little out of range is explained calmly, without an alarm.
      await page.getByRole('link', { name: T[lang].back }).click();
      await expect(page.locator('[data-state="results"]')).toBeVisible();
      // The opened result is no longer new.
      await expect(page.getByRole('link').filter({ hasText: T[lang].critical }).first()).not.toContainText(
        T[lang].newMark,
      );
      const high = page
        .locator('.result-row a')
        .filter({ has: page.locator('[data-flag="high"]') })
        .first();
      await expect(high).toContainText(T[lang].high);
      await high.click();
      await expect(page.getByText(T[lang].calmHigh)).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);
      await expectAxeClean(page, 'high result');
    });

    test('a panel lists its tests by their plain names', async ({ page }) => {
      await openList(page, lang, 'Margaret Olsen');
      // Margaret's blood count is a panel Observation (hasMember), sample id p2.
      await page.goto(`/${lang}/results/view/?id=p2`);
      const members = page.getByRole('region', { name: T[lang].groupTests });
      await expect(members.getByRole('link').filter({ hasText: T[lang].wbc })).toBeVisible();
      await expectAxeClean(page, 'panel members');
    });

    test('"Ask about this result" opens a message about that result, and the page prints cleanly', async ({ page }) => {
      await openList(page, lang, 'Margaret Olsen');
      await page.getByRole('link').filter({ hasText: T[lang].critical }).first().click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].potassium);
      const id = new URL(page.url()).searchParams.get('id');

      await page.emulateMedia({ media: 'print' });
      await expect(page.getByRole('navigation')).toBeHidden();
      await expect(page.getByRole('button', { name: T[lang].print })).toBeHidden();
      await expect(page.locator('.trend-table table')).toBeVisible();
      await expectAxeClean(page, 'result, printed');
      await page.emulateMedia({ media: 'screen' });

      await page.getByRole('link', { name: T[lang].ask }).click();
      await expect(page).toHaveURL(`/${lang}/messages/new/?result=${id}`);
      await expect(page.locator('main')).toContainText(T[lang].potassium);
      await expectAxeClean(page, 'new message about a result');
    });

    test('a long history pages in with "Show older results", focus on the first new one', async ({ page }) => {
      await openList(page, lang, 'Catalina Cantú');
      const rows = page.locator('.result-row');
      await expect(rows.first()).toBeVisible();
      const before = await rows.count();
      await page.getByRole('button', { name: T[lang].more }).click();
      await expect.poll(() => rows.count()).toBeGreaterThan(before);
      const focused = await page.evaluate(() => document.activeElement?.closest('.result-row') !== null);
      expect(focused).toBe(true);
      await expect(page.locator('#results-more-status')).not.toBeEmpty();
      await expectAxeClean(page, 'older results');
    });

    test('no results yet: said plainly', async ({ page }) => {
      await openList(page, lang, 'Rosa Elena Gutiérrez');
      await expect(page.locator('[data-state="empty"]')).toContainText(T[lang].empty);
      await expectAxeClean(page, 'no results');
    });

    test('not allowed to see results: the page says so', async ({ page }) => {
      await openList(page, lang, 'Tommy Friesen', { deny: [WORDS[lang].results] });
      await expect(page.locator('[data-state="not-granted"]')).toContainText(T[lang].notGranted);
      await expectAxeClean(page, 'results not granted');
    });

    test("the clinic's system failing is explained, with Try again", async ({ page }) => {
      await page.route('**/fhir/R4/Observation?**', (route) =>
        route.fulfill({ status: 500, json: { resourceType: 'OperationOutcome', issue: [] } }),
      );
      await openList(page, lang, 'Tommy Friesen');
      await expect(page.getByRole('alert')).toContainText(T[lang].server);
      await expectAxeClean(page, 'results failed');
      await page.unroute('**/fhir/R4/Observation?**');
      await page.getByRole('button', { name: lang === 'en' ? 'Try again' : 'Intentar de nuevo' }).click();
      await expect(page.locator('[data-state="results"]')).toBeVisible();
    });

    test("a test without a glossary entry shows the lab's name and says to ask", async ({ page }) => {
      await openList(page, lang, 'Tommy Friesen');
      const href = await page.locator('.result-row a').first().getAttribute('href');
      const id = new URL(href ?? '', 'http://x').searchParams.get('id') ?? '';
      await page.route(`**/fhir/R4/Observation/${id}`, (route) =>
        route.fulfill({
          contentType: 'application/fhir+json',
          json: {
            resourceType: 'Observation',
            id,
            status: 'final',
            code: {
              coding: [{ system: 'http://example.org/lab', code: 'ZZ9' }],
              text: 'Zeta\u200b factor <script>alert(1)</script>',
            },
            effectiveDateTime: '2026-11-01T09:00:00Z',
            valueQuantity: { value: 12.3456789123, unit: 'U/L' },
          },
        }),
      );
      await page.goto(`/${lang}/results/view/?id=${id}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zeta factor <script>alert(1)</script>');
      await expect(page.getByText(T[lang].unknown)).toBeVisible();
      await expect(page.locator('script:not([src]):not([type])').filter({ hasText: 'alert(1)' })).toHaveCount(0);
      await expectAxeClean(page, 'unknown test');
    });
  });
}

test('blood pressure is its own vital sign, both numbers found by code @xl', async ({ page }) => {
  await openList(page, 'es', 'Adán Portillo');
  const vitals = page.locator('section[aria-labelledby="results-vitals"]');
  const bp = vitals.getByRole('link').filter({ hasText: 'Presión arterial' }).first();
  await expect(bp).toContainText(/\d{2,3}\/\d{2,3} mmHg/);
  await bp.click();
  await expect(page.locator('.trend-summary')).toHaveText(
    /^Su presión arterial pasó de \d+\/\d+ mmHg en .+ a \d+\/\d+ mmHg en .+\.$/,
  );
  await expectAxeClean(page, 'blood pressure');
});

test.describe('the data starts with the page (issue 16)', () => {
  // Every file from the network, so that the slowed JavaScript below is really slow (not from the service worker's cache).
  test.use({ serviceWorkers: 'block' });

  /** The FHIR server's GET requests from now on, by URL, with when each started and what it answered. */
  function watchFhir(page: Page): { url: string; status?: number }[] {
    const seen: { url: string; status?: number }[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/fhir/R4/') && r.method() === 'GET') seen.push({ url: r.url() });
    });
    page.on('response', (r) => {
      const entry = seen.find((s) => s.url === r.url() && s.status === undefined);
      if (entry && r.request().method() === 'GET') entry.status = r.status();
    });
    return seen;
  }

  /** Forgets the copies this tab saved a moment ago (and their marks), so the pages ask the clinic again, as a later visit would. */
  const forgetFresh = async (page: Page) => {
    // The copy is saved just after it is shown.
    await page.waitForFunction(() => Object.keys(sessionStorage).some((key) => key.startsWith('clara.fresh.')));
    await page.evaluate(() => {
      for (const key of Object.keys(sessionStorage))
        if (/^clara\.(fresh|kv\.saved)\./.test(key)) sessionStorage.removeItem(key);
    });
  };

  /** When the FHIR requests started and when the page's first JavaScript file had arrived (ms since navigation). */
  const timings = (page: Page) =>
    page.evaluate(() => {
      const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const fhir = entries.filter((e) => e.name.includes('/fhir/R4/')).map((e) => e.startTime);
      const scripts = entries.filter((e) => /\/_astro\/.+\.js$/.test(e.name)).map((e) => e.responseEnd);
      return {
        fhir,
        firstScript: Math.min(...scripts),
        early: Object.keys((window as unknown as { __claraEarly?: object }).__claraEarly ?? {}),
      };
    });

  test('results and a result: each FHIR request made once, started before the JavaScript arrived, and used', async ({
    page,
  }) => {
    await openList(page, 'en', 'Margaret Olsen');
    await forgetFresh(page);
    // The page's JavaScript takes half a second to arrive (a slow link): the data must not wait for it to start.
    await page.route('**/_astro/*.js', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await route.continue();
    });
    let fhir = watchFhir(page);
    await page.goto('/en/results/');
    await expect(page.locator('[data-state="results"]')).toBeVisible();
    const urls = fhir.map((f) => f.url);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(urls).size, 'no FHIR request made twice').toBe(urls.length);
    let t = await timings(page);
    expect(t.early, 'every early request taken by the page').toEqual([]);
    for (const start of t.fhir) expect(start).toBeLessThan(t.firstScript);

    // A result opened from the list: the result, its history (the link names the test) and the glossary, all from the page's <head>.
    const critical = page.getByRole('link').filter({ hasText: T.en.critical }).first();
    expect(await critical.getAttribute('href')).toMatch(/#history=/);
    fhir = watchFhir(page);
    await critical.click();
    await expect(page.locator('.trend-summary')).toHaveText(T.en.went);
    const paths = fhir.map((f) => new URL(f.url).pathname.replace(/^.*\/fhir\/R4\//, ''));
    expect(paths.sort()).toEqual(['Observation', expect.stringMatching(/^Observation\/.+/)]);
    t = await timings(page);
    expect(t.early).toEqual([]);
    expect(t.fhir).toHaveLength(2);
    for (const start of t.fhir) expect(start).toBeLessThan(t.firstScript);
  });

  test("an expired sign-in: no early request fails in front of the patient; one the clinic refuses is handled as the page's own", async ({
    page,
  }) => {
    await openList(page, 'en', 'Margaret Olsen');
    await forgetFresh(page);
    // The tab knows its token has expired: nothing starts early; the client refreshes first.
    await page.evaluate(() => {
      const session = JSON.parse(sessionStorage.getItem('clara.session') ?? '{}') as { expiresAt: number };
      session.expiresAt = Date.now() - 1000;
      sessionStorage.setItem('clara.session', JSON.stringify(session));
    });
    let fhir = watchFhir(page);
    await page.goto('/en/results/');
    await expect(page.locator('[data-state="results"]')).toBeVisible();
    expect(fhir.filter((f) => f.status === 401)).toEqual([]);
    expect((await timings(page)).early).toEqual([]);

    // The clinic ended the sign-in without the tab knowing (a shared device: no refresh token): the early request's 401 is
    // the client's own first attempt, handled as today (sign in again, then back here), and not asked a second time.
    await forgetFresh(page);
    await expireSignIn(page, { refresh: false });
    fhir = watchFhir(page);
    await page.goto('/en/results/');
    await expect(page).toHaveURL(/\/en\/sign-in\/\?return=%2Fen%2Fresults%2F&reason=expired/);
    const search = fhir.filter((f) => new URL(f.url).pathname.endsWith('/Observation'));
    expect(search.map((f) => f.status)).toEqual([401]);
  });
});
