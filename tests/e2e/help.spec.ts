/**
 * Help that answers people, in both languages and (@xl) at Extra large text
 * in the Dark theme, with axe at every step: a short list of the sections at
 * the top, headings in order, and a new patient who follows the sign-in
 * steps, tapping the very words the steps name, until they are signed in.
 * Also: what Clara keeps on the phone, the answers to why people skip
 * portals, and the staff's way to the printable invitation.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.ts';
import { expectAxeClean } from './support/axe.ts';
import { choosePatient } from './support/clara.ts';

const T = {
  en: {
    toc: 'On this page',
    signInLink: 'Sign in',
    signInHeading: 'How to sign in',
    hello: /^Hello/,
    keeps: 'What Clara keeps on your phone',
    days: 'If you do not sign in for 30 days, the copy is erased.',
    pin: '6-digit Clara PIN',
    questions: ['“I would rather talk to my doctor.”', '“I don’t need it.”', '“Is it private?”'],
    staff: 'Print an invitation',
    invite: 'Clara: your clinic on your phone',
    android: 'Add to Home screen',
    iphone: 'Add to Home Screen',
  },
  es: {
    toc: 'En esta página',
    signInLink: 'Iniciar sesión',
    signInHeading: 'Cómo iniciar sesión',
    hello: /^Hola/,
    keeps: 'Qué guarda Clara en su teléfono',
    days: 'Si usted no inicia sesión en 30 días, la copia se borra.',
    pin: 'PIN de Clara de 6 números',
    questions: ['“Prefiero hablar con mi doctor.”', '“No lo necesito.”', '“¿Es privado?”'],
    staff: 'Imprimir una invitación',
    invite: 'Clara: su clínica en su teléfono',
    android: 'Agregar a la pantalla principal',
    iphone: 'Agregar a inicio',
  },
} as const;

/** The words a step puts in quotation marks: the name of what to tap. */
async function quoted(page: Page, step: number): Promise<string> {
  const text = await page
    .locator('#sign-in ol > li')
    .nth(step - 1)
    .innerText();
  const match = /“([^”]+)”/.exec(text);
  expect(match, `step ${step} names what to tap: ${text}`).not.toBeNull();
  return match?.[1] ?? '';
}

for (const lang of ['en', 'es'] as const) {
  test.describe(`help (${lang})`, () => {
    test('a new patient follows the sign-in steps from Help and is signed in @xl', async ({ page }) => {
      // A long journey (Help, sign-in page, the clinic's page, back): more time on a busy machine.
      test.slow();
      await page.goto(`/${lang}/help/`);
      // The list of sections comes first, each link leading to its section.
      const toc = page.getByRole('navigation', { name: T[lang].toc });
      const links = toc.getByRole('link');
      expect(await links.count()).toBeGreaterThanOrEqual(8);
      for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
        await expect(page.locator(`section${href} h2`), href).toHaveCount(1);
      }
      // Headings in order: one h1, and no level skipped.
      const levels = await page
        .locator('main :is(h1, h2, h3, h4)')
        .evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
      expect(levels[0]).toBe(1);
      expect(levels.filter((l) => l === 1)).toHaveLength(1);
      levels.forEach(
        (level, i) => i > 0 && expect(level, `heading ${i}`).toBeLessThanOrEqual((levels[i - 1] ?? 1) + 1),
      );
      await expectAxeClean(page, 'help');

      await toc.getByRole('link', { name: T[lang].signInLink }).click();
      await expect(page).toHaveURL(new RegExp(`/${lang}/help/#sign-in$`));
      await expect(page.getByRole('heading', { level: 2, name: T[lang].signInHeading })).toBeInViewport();
      await expectAxeClean(page, 'help, sign-in steps');

      // Step 1: the button the step names, below the steps.
      const [step1, step2] = [await quoted(page, 1), await quoted(page, 2)];
      await page.locator('#sign-in').getByRole('link', { name: step1, exact: true }).click();
      await expect(page).toHaveURL(`/${lang}/sign-in/`);
      await expectAxeClean(page, 'sign-in page, from Help');
      // Step 2: the button with the words the step quotes.
      await page.getByRole('button', { name: step2, exact: true }).click();
      // Steps 3 and 4: the clinic's page (the sandbox's), then allow.
      await choosePatient(page, lang, 'Tommy Friesen');
      // Step 5: back in Clara, signed in.
      await expect(page).toHaveURL(`/${lang}/`, { timeout: 15_000 });
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].hello, { timeout: 15_000 });
      await expectAxeClean(page, 'signed in, from Help');
    });

    test('what Clara keeps, the questions people ask, the home screen, and the invitation for staff', async ({
      page,
    }) => {
      await page.goto(`/${lang}/help/`);
      const keeps = page.getByRole('region', { name: T[lang].keeps });
      await expect(keeps).toContainText(T[lang].days);
      await expect(keeps).toContainText(T[lang].pin);
      for (const question of T[lang].questions)
        await expect(page.getByRole('heading', { level: 3, name: question })).toBeVisible();
      // The browsers' own menu words.
      await expect(page.locator('#home-screen')).toContainText(`“${T[lang].android}”`);
      await expect(page.locator('#home-screen')).toContainText(`“${T[lang].iphone}”`);
      // The pictures are drawn, small, and silent for screen readers.
      const pictures = page.locator('main svg.help-picture');
      expect(await pictures.count()).toBeGreaterThanOrEqual(7);
      for (const svg of await pictures.all()) await expect(svg).toHaveAttribute('aria-hidden', 'true');
      await page.getByRole('link', { name: T[lang].staff }).click();
      await expect(page).toHaveURL(`/${lang}/invite/`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].invite);
      await expectAxeClean(page, 'invitation, from Help');
    });
  });
}
