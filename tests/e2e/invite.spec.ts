/**
 * The invitation a clinic hands out (/{lang}/invite/), in both languages and
 * (with @xl) at Extra large text in the Dark theme: axe finds nothing; its QR
 * code, read by a decoder from a screenshot on screen and as printed, opens
 * Clara in the invitation's language at the address this build was given
 * (portal.url); printed to PDF it is exactly one page on Letter and on A4,
 * without the frame of the page.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.ts';
import jsQR from 'jsqr';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { expectAxeClean } from './support/axe.ts';
import { BASE_URL } from './support/env.ts';

const T = {
  en: {
    title: 'Clara: your clinic on your phone',
    qr: /^QR code\. It opens Clara at /,
    print: 'Print this page',
    signIn: 'Open Clara and tap “Sign in”.',
  },
  es: {
    title: 'Clara: su clínica en su teléfono',
    qr: /^Código QR\. Abre Clara en /,
    print: 'Imprimir esta página',
    signIn: 'Abra Clara y toque “Iniciar sesión”.',
  },
} as const;

/** Reads the QR code in a screenshot of `svg`; dark modules on light only (no inverted reading). */
async function decodeQr(page: Page): Promise<string | undefined> {
  const png = PNG.sync.read(await page.locator('main svg.qr').screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height, { inversionAttempts: 'dontInvert' })?.data;
}

async function pages(page: Page, format: 'Letter' | 'A4'): Promise<number> {
  const pdf = await PDFDocument.load(await page.pdf({ format, printBackground: true }));
  return pdf.getPageCount();
}

for (const lang of ['en', 'es'] as const) {
  test.describe(`invitation (${lang})`, () => {
    test('its code opens Clara, and it prints on one page of Letter and of A4 @xl', async ({ page }) => {
      await page.addInitScript(() => {
        (window as unknown as { printed: number }).printed = 0;
        window.print = () => void ((window as unknown as { printed: number }).printed += 1);
      });
      await page.goto(`/${lang}/invite/`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].title);
      // The address as text, and the code that says what it is.
      await expect(page.locator('main')).toContainText(BASE_URL);
      const qr = page.getByRole('img', { name: T[lang].qr });
      await expect(qr).toBeVisible();
      await expect(qr).toHaveAccessibleName(new RegExp(BASE_URL.replace(/[.:/]/g, '\\$&')));
      await expect(page.getByRole('listitem').filter({ hasText: T[lang].signIn })).toBeVisible();
      expect(await decodeQr(page)).toBe(`${BASE_URL}/${lang}/`);
      await expectAxeClean(page, `invitation (${lang})`);

      // The staff's Print button prints.
      await page.getByRole('button', { name: T[lang].print }).click();
      expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

      // Printed: only the invitation, the code still dark on white and readable.
      await page.emulateMedia({ media: 'print' });
      await expect(page.getByRole('navigation')).toBeHidden();
      await expect(page.getByRole('contentinfo')).toBeHidden();
      await expect(page.getByRole('banner')).toBeHidden();
      await expect(page.getByRole('button', { name: T[lang].print })).toBeHidden();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await decodeQr(page)).toBe(`${BASE_URL}/${lang}/`);
      await expectAxeClean(page, `invitation printed (${lang})`);

      expect(await pages(page, 'Letter'), 'pages on Letter').toBe(1);
      expect(await pages(page, 'A4'), 'pages on A4').toBe(1);
    });
  });
}
