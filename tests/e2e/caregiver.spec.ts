/**
 * Caregivers (issue 14), in both languages, with axe at every step: Lucía
 * signs in as herself, picks her father on the clinic's patient picker, sees
 * his results with both names on the page, writes to his care team (the
 * clinic holds it once, sent by her for him), leaves a draft, switches to
 * her mother (only her results; no draft of his), and back (the draft is
 * there). Her father, signing in, sees her message marked as hers. A
 * caregiver whose access ended is refused, by the clinic and then in Clara,
 * in plain words.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.ts';
import { expectAxeClean } from './support/axe.ts';
import { choosePatient, clinicMessages, signOutButton, WORDS, type Lang } from './support/clara.ts';
import { SANDBOX_ORIGIN } from './support/env.ts';

const LUCIA = 'Lucía Portillo Cantú';

const T = {
  en: {
    picker: 'Whose information do you want to open?',
    open: 'Open this information',
    father: 'Adán Portillo (father)',
    mother: 'Catalina Cantú (mother)',
    adanLine: "Adán's information · you are signed in as Lucía (daughter)",
    catalinaLine: "Catalina's information · you are signed in as Lucía (daughter)",
    switchTo: "See someone else's information",
    appointments: 'Appointments',
    message: 'Your message',
    send: 'Send',
    fromLucia: 'From Lucía (daughter) for you',
    callMe: 'Please call me instead',
    whom: 'Whom should we call?',
    me: 'Me, Lucía',
    him: 'Adán',
    phone: 'Phone number',
    morning: 'Morning',
    askCall: 'Ask for a call back',
    callText: 'Please call Adán at',
    refused: 'You cannot open this information now',
    ended: 'ended on March 31, 2025',
    back: 'Go back to the app',
    denied: 'If you help someone and can no longer see their information, please call the clinic.',
  },
  es: {
    picker: '¿De quién quiere ver la información?',
    open: 'Ver esta información',
    father: 'Adán Portillo (padre)',
    mother: 'Catalina Cantú (madre)',
    adanLine: 'Información de Adán · usted entró como Lucía (hija)',
    catalinaLine: 'Información de Catalina · usted entró como Lucía (hija)',
    switchTo: 'Ver la información de otra persona',
    appointments: 'Citas',
    message: 'Su mensaje',
    send: 'Enviar',
    fromLucia: 'De Lucía (hija) por usted',
    callMe: 'Pedir que me llamen',
    whom: '¿A quién llamamos?',
    me: 'A mí, Lucía',
    him: 'A Adán',
    phone: 'Número de teléfono',
    morning: 'En la mañana',
    askCall: 'Pedir que me llamen',
    callText: 'Por favor, llamen a Adán al',
    refused: 'Ahora no puede ver esta información',
    ended: 'terminó el 31 de marzo de 2025',
    back: 'Volver a la aplicación',
    denied: 'Si usted ayuda a alguien y ya no puede ver su información, llame a la clínica.',
  },
} as const;

/** On the sandbox: Lucía, then the patient picker's choice. */
async function pickAsLucia(page: Page, lang: Lang, whom: string): Promise<void> {
  await page.waitForURL(/\/auth\/authorize/);
  await page.getByRole('radio', { name: LUCIA }).check();
  await page.getByRole('button', { name: WORDS[lang].allow }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].picker);
  await expectAxeClean(page, `sandbox patient picker (${lang})`);
  await page.getByRole('radio', { name: whom }).check();
  await page.getByRole('button', { name: T[lang].open }).click();
  await page.waitForURL((url) => url.port !== new URL(SANDBOX_ORIGIN).port && !url.pathname.includes('/sign-in/'));
}

async function switchPerson(page: Page, lang: Lang, whom: string): Promise<void> {
  // On a phone it is in the Menu; on a wide screen the Menu's places sit in the header.
  const menu = page.getByRole('button', { name: WORDS[lang].menu, exact: true });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  await expectAxeClean(page, `the Menu, as a caregiver (${lang})`);
  await page.getByRole('link', { name: T[lang].switchTo }).click();
  await pickAsLucia(page, lang, whom);
}

const resultRows = (page: Page) => page.locator('[data-state="results"] .result-row');

for (const lang of ['en', 'es'] as const) {
  test.describe(`caregiver (${lang})`, () => {
    test(`a daughter helps both parents: results, a message, a draft kept per person, the switch; her father sees her message @matrix`, async ({
      page,
    }) => {
      test.slow();
      const tag = randomUUID().slice(0, 8);

      // Lucía signs in as herself and opens her father's results.
      await page.goto(`/${lang}/sign-in/?return=%2F${lang}%2Fresults%2F`);
      await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
      await page.waitForURL(/\/auth\/authorize/);
      await expectAxeClean(page, `sandbox sign-in page with caregivers (${lang})`);
      await pickAsLucia(page, lang, T[lang].father);
      await expect(page).toHaveURL(`/${lang}/results/`);
      const whose = page.locator('main > .whose-record');
      await expect(whose).toHaveText(T[lang].adanLine);
      await expect(resultRows(page).first()).toBeVisible();
      await expect(page.locator('main')).not.toContainText('A1c');
      await expectAxeClean(page, 'results, as a caregiver');

      // She writes to his care team.
      const text = `Lucía for Adán ${tag}`;
      await page.goto(`/${lang}/messages/new/`);
      await expect(whose).toHaveText(T[lang].adanLine);
      await page.getByRole('radio', { name: T[lang].appointments }).check();
      await page.getByLabel(T[lang].message).fill(text);
      await expectAxeClean(page, 'new message, as a caregiver');
      await page.getByRole('button', { name: T[lang].send, exact: true }).click();
      await expect(page.locator('[data-state="sent"]')).toBeFocused();
      // "Sent" once the clinic has it; the clinic's side then holds it once.
      await expect(page.locator('[data-message-state]')).toContainText(lang === 'en' ? /^Sent at/ : /^Enviado:/);
      const held = (await clinicMessages('Adán Portillo')).filter((m) =>
        m.payload?.some((p) => p.contentString === text),
      );
      expect(held).toHaveLength(1);
      expect(held[0]?.sender?.reference).toBe('RelatedPerson/lucia-portillo-for-adan');
      expect(held[0]?.subject?.reference).toBe('Patient/43b6ae50-2cca-4934-ad38-282f8934b770');

      // A call back: she chooses whom the clinic calls; the number follows, and the message says it.
      await page.goto(`/${lang}/messages/call-me/`);
      const whom = page.getByRole('group', { name: T[lang].whom });
      await expect(whom.getByRole('radio', { name: T[lang].me, exact: true })).toBeChecked();
      await expect(page.getByLabel(T[lang].phone)).toHaveValue(/0187/);
      await whom.getByRole('radio', { name: T[lang].him, exact: true }).check();
      await expect(page.getByLabel(T[lang].phone)).not.toHaveValue(/0187/);
      await page.getByRole('checkbox', { name: T[lang].morning }).check();
      await page.getByLabel(/leave this empty|en blanco/).fill(`Call note ${tag}`);
      await expectAxeClean(page, 'call-back request, as a caregiver');
      await page.getByRole('button', { name: T[lang].askCall }).click();
      await expect(page.locator('[data-state="sent"]')).toBeFocused();
      await expect(page.locator('[data-message-state]')).toContainText(lang === 'en' ? /^Sent at/ : /^Enviado:/);
      const calls = (await clinicMessages('Adán Portillo')).filter((m) =>
        m.payload?.some((p) => p.contentString?.includes(`Call note ${tag}`)),
      );
      expect(calls).toHaveLength(1);
      expect(calls[0]?.sender?.reference).toBe('RelatedPerson/lucia-portillo-for-adan');
      expect(calls[0]?.payload?.[0]?.contentString).toMatch(new RegExp(`^${T[lang].callText} 555.467.7743`));

      // A draft for her father, not sent.
      const draft = `Draft for Adán ${tag}`;
      await page.goto(`/${lang}/messages/new/`);
      await page.getByLabel(T[lang].message).fill(draft);
      await page.waitForTimeout(800);

      // Her mother: only her results, and no draft of his.
      await switchPerson(page, lang, T[lang].mother);
      await expect(whose).toHaveText(T[lang].catalinaLine);
      await expectAxeClean(page, 'home, after switching person');
      await page.goto(`/${lang}/results/`);
      await expect(whose).toHaveText(T[lang].catalinaLine);
      await expect(resultRows(page).first()).toBeVisible();
      await expect(page.locator('main')).toContainText('A1c');
      await page.goto(`/${lang}/messages/new/`);
      await expect(page.getByLabel(T[lang].message)).toHaveValue('');

      // Back to her father: his draft is there.
      await switchPerson(page, lang, T[lang].father);
      await expect(whose).toHaveText(T[lang].adanLine);
      await page.goto(`/${lang}/messages/new/`);
      await expect(page.getByLabel(T[lang].message)).toHaveValue(draft);
      await page.goto(`/${lang}/results/`);
      await expect(resultRows(page).first()).toBeVisible();
      await expect(page.locator('main')).not.toContainText('A1c');

      // Her father signs in: her message is there, marked as hers.
      await (await signOutButton(page, lang)).click();
      const confirm = page.locator('dialog[data-sign-out-dialog][open] button[value="confirm"]');
      if (await confirm.isVisible().catch(() => false)) await confirm.click();
      await page.waitForURL(/\/sign-in\//);
      await page.goto(`/${lang}/sign-in/?return=%2F${lang}%2Fmessages%2F`);
      await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
      await choosePatient(page, lang, 'Adán Portillo', { axe: false });
      await page.waitForURL(`**/${lang}/messages/`);
      await expect(page.locator('main > .whose-record')).toBeHidden();
      await page
        .getByRole('link')
        .filter({ hasText: text.slice(0, 20) })
        .first()
        .click();
      const mine = page.locator('.message').filter({ hasText: text });
      await expect(mine).toContainText(T[lang].fromLucia);
      await expectAxeClean(page, "the patient reads his caregiver's message");
    });

    test('a caregiver whose access ended is refused in plain words, by the clinic and in Clara @xl', async ({
      page,
    }) => {
      await page.goto(`/${lang}/sign-in/`);
      await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
      await page.waitForURL(/\/auth\/authorize/);
      await page.getByRole('radio', { name: 'Daniel Olsen' }).check();
      await page.getByRole('button', { name: WORDS[lang].allow }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].refused);
      await expect(page.locator('main')).toContainText(T[lang].ended);
      await expectAxeClean(page, `sandbox: access ended (${lang})`);
      await page.getByRole('button', { name: T[lang].back }).click();
      await page.waitForURL(/\/sign-in\//);
      await expect(page.locator('[data-sign-in-notice]')).toContainText(T[lang].denied);
      await expect(page.locator('[data-sign-in-notice]')).toBeFocused();
      await expect(page.locator('html')).not.toHaveAttribute('data-signed-in', '');
      await expectAxeClean(page, 'Clara: access ended');
    });
  });
}
