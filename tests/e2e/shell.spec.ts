/**
 * The matrix: every page in both languages, at phone and desktop size and at
 * phone size with Extra large text and the Dark theme (see the projects in
 * playwright.config.ts). axe (AAA contrast included) finds nothing; the page
 * has its language, title and one main landmark; no horizontal scrolling;
 * every control is at least 48×48 px; no console errors (CSP included); and,
 * at phone size, reflow at 320 px with the frame's places and tools in sight.
 */
import { expect, test } from './support/test.ts';
import { expectAxeClean } from './support/axe.ts';
import {
  expectFrameAt320,
  expectNoHorizontalOverflow,
  expectTapTargets,
  expectTextAtLeast,
  watchConsole,
} from './support/layout.ts';
import { LOCKED_PAGES, PAGES } from './support/pages.ts';

for (const pageCase of PAGES) {
  test(`${pageCase.name} @matrix`, async ({ page }, testInfo) => {
    const errors = watchConsole(page);
    const response = await page.goto(pageCase.path, { waitUntil: 'load' });
    expect(response?.status()).toBe(pageCase.status);
    if (pageCase.lang !== 'mul') {
      await expect(page.locator('html')).toHaveAttribute('lang', pageCase.lang);
      await expect(page).toHaveTitle(/ — Riverbend Family Clinic$/);
    }
    await expect(page.locator('main#main')).toHaveCount(1);
    await expect(page.locator('h1').first()).toBeVisible();
    await expectAxeClean(page, `${pageCase.name}, ${testInfo.project.name}`);
    await expectNoHorizontalOverflow(page);
    await expectTapTargets(page);
    if (testInfo.project.name === 'phone') await expectTextAtLeast(page, 20);
    // Reflow at 320 px (standard text, and Extra large with Dark): the same page, narrowed.
    if (testInfo.project.name !== 'desktop') await expectFrameAt320(page, pageCase.lang !== 'mul');
    expect(errors.filter((e) => !(pageCase.status === 404 && /status of 404/.test(e)))).toEqual([]);
  });
}

for (const state of LOCKED_PAGES) {
  test(`${state.name} @matrix`, async ({ page }, testInfo) => {
    const errors = watchConsole(page);
    await page.addInitScript((storage) => {
      for (const [key, value] of Object.entries(storage)) localStorage.setItem(key, value);
    }, state.storage);
    await page.goto(state.path, { waitUntil: 'load' });
    await expect(
      page.getByRole('heading', {
        name: state.lang === 'en' ? 'Open your saved information' : 'Abrir su información guardada',
      }),
    ).toBeVisible();
    // The way this copy opens, and only that one; "Sign in" beside it.
    const key = state.storage['clara.vault']?.startsWith('key');
    await expect(
      page.getByRole('button', {
        name: state.lang === 'en' ? 'Open with my screen lock' : 'Abrir con el bloqueo de pantalla',
      }),
    ).toBeVisible({ visible: !!key });
    await expect(
      page.getByRole('textbox', {
        name: state.lang === 'en' ? 'Your Clara PIN (6 numbers)' : 'Su PIN de Clara (6 números)',
      }),
    ).toBeVisible({ visible: !key });
    await expect(
      page.locator('main').getByRole('link', { name: state.lang === 'en' ? /^Sign in/ : /^Inici(ar|e) sesión/ }),
    ).toBeVisible();
    await expectAxeClean(page, `${state.name}, ${testInfo.project.name}`);
    await expectNoHorizontalOverflow(page);
    await expectTapTargets(page);
    if (testInfo.project.name === 'phone') await expectTextAtLeast(page, 20);
    expect(errors).toEqual([]);
  });
}

// The Menu open (Help, Settings), a state every page can be in: on a phone it folds under the Menu button; on a wide screen it is always open.
for (const lang of ['en', 'es'] as const) {
  test(`the Menu open (${lang}) @matrix`, async ({ page }, testInfo) => {
    const words =
      lang === 'en'
        ? { menu: 'Menu', help: 'Help', settings: 'Settings' }
        : { menu: 'Menú', help: 'Ayuda', settings: 'Ajustes' };
    await page.goto(`/${lang}/results/`);
    const toggle = page.getByRole('button', { name: words.menu, exact: true });
    const menu = page.getByRole('navigation', { name: words.menu, exact: true });
    if (testInfo.project.name === 'desktop') await expect(toggle).toBeHidden();
    else {
      await expect(menu).toBeHidden();
      await toggle.click();
      await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    }
    for (const name of [words.help, words.settings])
      await expect(menu.getByRole('link', { name, exact: true })).toBeVisible();
    await expectAxeClean(page, `Menu open (${lang}), ${testInfo.project.name}`);
    await expectNoHorizontalOverflow(page);
    await expectTapTargets(page);
    if (testInfo.project.name === 'phone') await expectTextAtLeast(page, 20);
  });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the language chooser offers both languages as large links @matrix', async ({ page }) => {
    await page.goto('/');
    // No redirect happens; both languages are offered.
    await expect(page).toHaveURL('/');
    const links = [
      ['English', '/en/'],
      ['Español', '/es/'],
    ] as const;
    for (const [name, href] of links) {
      const link = page.getByRole('link', { name, exact: true });
      await expect(link).toHaveAttribute('href', href);
      const box = await link.boundingBox();
      expect(box?.height).toBeGreaterThanOrEqual(48);
      expect(box?.width).toBeGreaterThanOrEqual(48);
    }
  });

  test('every place is in sight: the Menu is open and its button, which needs JavaScript, is not shown @matrix', async ({
    page,
  }) => {
    const places = {
      en: ['Home', 'Results', 'Messages', 'Help', 'Settings'],
      es: ['Inicio', 'Resultados', 'Mensajes', 'Ayuda', 'Ajustes'],
    } as const;
    for (const lang of ['en', 'es'] as const) {
      await page.goto(`/${lang}/results/`);
      await expect(page.getByRole('button', { name: lang === 'en' ? 'Menu' : 'Menú', exact: true })).toBeHidden();
      for (const name of places[lang]) await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
      await expectNoHorizontalOverflow(page);
    }
  });

  test('every page still reads, with its heading and a way forward @matrix', async ({ page }) => {
    for (const pageCase of PAGES.filter((p) => p.lang !== 'mul')) {
      await page.goto(pageCase.path);
      await expect(page.locator('h1')).toBeVisible();
      // The first visible one (what only shows with a kept copy and JavaScript stays hidden).
      await expect(page.locator('main a[href], main button').filter({ visible: true }).first()).toBeVisible();
    }
  });
});
