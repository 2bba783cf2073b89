/**
 * What every page's frame promises: the skip link, the language switch,
 * settings that persist, and `/` choosing a language. (Reflow at 320 px is
 * checked for every page in the matrix: shell.spec.ts.)
 */
import { expect, test } from './support/test.ts';
import { expectAxeClean } from './support/axe.ts';
import { expectNoHorizontalOverflow } from './support/layout.ts';
import { PAGES } from './support/pages.ts';

const langPages = PAGES.filter((p) => p.lang !== 'mul' && p.status === 200);

test.describe('skip link', () => {
  for (const lang of ['en', 'es'] as const) {
    test(`moves focus to the main content (${lang})`, async ({ page }) => {
      await page.goto(`/${lang}/results/`);
      await page.keyboard.press('Tab');
      const skip = page.locator('a.skip-link');
      await expect(skip).toBeFocused();
      await expect(skip).toBeInViewport();
      await expect(skip).toHaveText(lang === 'en' ? 'Skip to main content' : 'Saltar al contenido principal');
      await page.keyboard.press('Enter');
      await expect(page.locator('main#main')).toBeFocused();
      // The next Tab goes into the content, not back to the header.
      await page.keyboard.press('Tab');
      const inMain = await page.evaluate(() => !!document.activeElement?.closest('main'));
      expect(inMain).toBe(true);
    });
  }
});

test.describe('language switch', () => {
  for (const pageCase of langPages) {
    test(`keeps the patient on the same page: ${pageCase.name}`, async ({ page }) => {
      await page.goto(pageCase.path);
      const other = pageCase.lang === 'en' ? 'es' : 'en';
      await page.locator('a[data-lang-switch]').click();
      await expect(page).toHaveURL(pageCase.path.replace(`/${pageCase.lang}/`, `/${other}/`));
      await expect(page.locator('html')).toHaveAttribute('lang', other);
    });
  }

  test('keeps the result being read (?id=)', async ({ page }) => {
    await page.goto('/en/results/view/?id=abc-123');
    await page.locator('a[data-lang-switch]').click();
    await expect(page).toHaveURL('/es/results/view/?id=abc-123');
  });
});

test.describe('settings', () => {
  for (const lang of ['en', 'es'] as const) {
    test(`text size and colours apply at once and persist across reloads (${lang})`, async ({ page }) => {
      const words =
        lang === 'en'
          ? { xl: 'Extra large', dark: 'Dark: light text on black', saved: 'Saved: Extra large.' }
          : { xl: 'Muy grande', dark: 'Oscuro: letra clara sobre fondo negro', saved: 'Guardado: Muy grande.' };
      await page.goto(`/${lang}/settings/`);
      const html = page.locator('html');
      await expect(page.locator('body')).toHaveCSS('font-size', '20px');

      await page.getByLabel(words.xl).check();
      await expect(html).toHaveAttribute('data-text-size', 'xl');
      await expect(page.locator('body')).toHaveCSS('font-size', '30px');
      await expect(page.getByRole('status')).toHaveText(words.saved);
      await expectAxeClean(page, `settings saved (${lang})`);

      await page.getByLabel(words.dark).check();
      await expect(html).toHaveAttribute('data-theme', 'dark');
      await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(16, 18, 20)');

      await page.reload();
      await expect(html).toHaveAttribute('data-text-size', 'xl');
      await expect(html).toHaveAttribute('data-theme', 'dark');
      await expect(page.getByLabel(words.xl)).toBeChecked();
      await expect(page.getByLabel(words.dark)).toBeChecked();

      // Another page keeps them too, from the first paint.
      await page.goto(`/${lang}/help/`);
      await expect(page.locator('body')).toHaveCSS('font-size', '30px');
      await expect(html).toHaveAttribute('data-theme', 'dark');
      await expectNoHorizontalOverflow(page);
    });
  }

  test('a dark phone gets the dark palette until a theme is chosen, from the first paint (one palette: styles/tokens.css)', async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/en/help/');
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(16, 18, 20)');
    await expectAxeClean(page, 'help, phone dark');
    await page.goto('/en/settings/');
    await page.getByLabel('Light: dark text on white').check();
    await expect(html).toHaveAttribute('data-theme', 'light');
    await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(255, 255, 255)');
    await page.reload();
    await expect(html).toHaveAttribute('data-theme', 'light');
  });

  test('the language choice is remembered for `/`', async ({ page }) => {
    await page.goto('/en/settings/');
    await page.getByRole('link', { name: 'Cambiar a español' }).click();
    await expect(page).toHaveURL('/es/settings/');
    await page.goto('/');
    await expect(page).toHaveURL('/es/');
  });
});

test.describe('`/` chooses the language', () => {
  test('from the browser (Spanish)', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'es-MX' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page).toHaveURL('/es/');
    await context.close();
  });

  test('from the browser (English), and falls back to the clinic default', async ({ browser }) => {
    for (const locale of ['en-GB', 'de-DE']) {
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      await page.goto('/');
      await expect(page).toHaveURL('/en/');
      await context.close();
    }
  });

  test('a choice made before wins over the browser', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'es-US' });
    const page = await context.newPage();
    await page.goto('/es/');
    await page.locator('a[data-lang-switch]').click();
    await expect(page).toHaveURL('/en/');
    await page.goto('/');
    await expect(page).toHaveURL('/en/');
    await context.close();
  });
});

test('an unknown page answers 404 in its language', async ({ page }) => {
  const response = await page.goto('/es/no-existe/');
  expect(response?.status()).toBe(404);
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No encontramos la página');
});
