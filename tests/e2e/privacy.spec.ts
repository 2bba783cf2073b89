/**
 * Privacy a patient can trust on any device, in both languages, with axe
 * after every step: the copy kept on the patient's own device opens only
 * for them (PIN, or the phone's screen lock as a virtual authenticator with
 * PRF), wrong PINs erase it, another patient's sign-in erases it, it expires;
 * sign-out ends everything (online and offline) and the sandbox has the
 * tokens revoked; other tabs sign out too; the time limit warns and ends the
 * sign-in; nothing readable is left in the device's storage.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectAxeClean } from './support/axe.ts';
import { signIn, type Lang } from './support/clara.ts';
import {
  addScreenLock,
  controlled,
  copyKept,
  isRevoked,
  keepCopyWithPin,
  openWithPin,
  ownDeviceInSettings,
  PW,
  revocations,
  sessionTokens,
  setPin,
  sha256,
} from './support/privacy.ts';
import { deviceStorage, findInStorage } from './support/storage.ts';

const PATIENT: Record<Lang, { name: string; other: string }> = {
  en: { name: 'Margaret Olsen', other: 'Tommy Friesen' },
  es: { name: 'Catalina Cantú', other: 'Adán Portillo' },
};
const PIN = '482915';

/** Reads the results, one result and a conversation, and returns what was on screen. */
async function readResultsAndMessages(page: Page, lang: Lang): Promise<{ value: string; message: string; resultUrl: string }> {
  await page.goto(`/${lang}/results/`);
  await expect(page.locator('[data-state="results"]')).toBeVisible();
  const value = ((await page.locator('.result-row__value').first().textContent()) ?? '').trim();
  const first = page.locator('.result-row a').first();
  const resultUrl = (await first.getAttribute('href')) ?? '';
  await first.click();
  await expect(page.locator('[data-state="result"]')).toBeVisible();
  await page.goto(`/${lang}/messages/`);
  await page.locator('.thread-row a').first().click();
  await expect(page.locator('[data-state="thread"]')).toBeVisible();
  const message = ((await page.locator('.message__text p').first().textContent()) ?? '').trim();
  return { value, message, resultUrl };
}

/** Nothing of the patient on the page: no patient-data state shown, none of their words. */
async function expectNothingShown(page: Page, words: string[]): Promise<void> {
  await expect(page.locator('[data-state="results"], [data-state="result"], [data-state="thread"], [data-state="inbox"], [data-saved-copy]')).toHaveCount(0);
  const text = (await page.locator('body').innerText()).toLowerCase();
  for (const word of words.filter(Boolean)) expect(text, `"${word}" on screen`).not.toContain(word.toLowerCase());
}

for (const lang of ['en', 'es'] as const) {
  test.describe(`privacy (${lang})`, () => {
    test('own device: the copy is locked; a new tab shows none of it until the PIN opens it; the owner signing in may leave it shut @xl', async ({ page, context }) => {
      test.setTimeout(120_000);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await expect(page.getByRole('heading', { name: PW[lang].question })).toBeVisible();
      await expectAxeClean(page, 'device question');
      await page.getByRole('button', { name: PW[lang].own }).click();
      await expect(page.getByRole('heading', { name: PW[lang].lockHeading })).toBeFocused();
      await expectAxeClean(page, 'choosing a PIN');
      await setPin(page, lang, PIN, '111111');
      await expect(page.getByText(PW[lang].mismatch)).toBeVisible();
      await expect(page.getByLabel(PW[lang].pinAgain)).toBeFocused();
      await expectAxeClean(page, 'PINs not the same');
      await setPin(page, lang, PIN);
      await expect(page.getByText(PW[lang].keptPin)).toBeFocused({ timeout: 15_000 });
      await expectAxeClean(page, 'copy kept, locked with a PIN');

      const seen = await readResultsAndMessages(page, lang);
      expect(seen.value).not.toBe('');

      // A new tab: the same device's storage, no sessionStorage.
      const tab = await context.newPage();
      await tab.goto(seen.resultUrl);
      await expect(tab.getByRole('heading', { name: PW[lang].unlockHeading })).toBeVisible();
      await expect(tab.locator('main').getByRole('link', { name: PW[lang].signIn })).toBeVisible();
      await expectNothingShown(tab, [PATIENT[lang].name, seen.message]);
      await expectAxeClean(tab, 'locked copy, new tab');
      await openWithPin(tab, lang, '12');
      await expect(tab.getByRole('alert')).toHaveText(PW[lang].format);
      await expectAxeClean(tab, 'PIN too short');
      await openWithPin(tab, lang, PIN);
      await expect(tab.locator('[data-state="result"] [data-saved-copy]')).toContainText(PW[lang].saved, { timeout: 15_000 });
      await expect(tab.getByRole('heading', { name: PW[lang].unlockHeading })).toBeHidden();
      await expectAxeClean(tab, 'copy opened in the new tab');
      await tab.goto(`/${lang}/results/`);
      await expect(tab.locator('.result-row__value').first()).toHaveText(seen.value);
      await tab.close();

      // Another new tab: the owner signs in there; Clara offers to open the copy; "Not now" leaves it shut.
      const third = await context.newPage();
      await third.goto(`/${lang}/`);
      await third.locator('main').getByRole('link', { name: PW[lang].signIn }).click();
      await third.getByRole('button', { name: lang === 'en' ? /^Sign in with / : /^Iniciar sesión con / }).click();
      await third.waitForURL(/\/auth\/authorize/);
      await third.getByRole('radio', { name: PATIENT[lang].name }).check();
      await third.getByRole('button', { name: lang === 'en' ? 'Sign in and allow' : 'Iniciar sesión y permitir' }).click();
      await expect(third.getByRole('heading', { name: PW[lang].unlockAfter })).toBeFocused({ timeout: 15_000 });
      await expectAxeClean(third, 'offered to open the copy after sign-in');
      await third.getByRole('button', { name: PW[lang].notNow }).click();
      await expect(third).toHaveURL(`/${lang}/`);
      await expect(third.getByRole('heading', { level: 1 })).toContainText(PATIENT[lang].name.split(' ')[0] ?? '');
      await expect(third.locator('html')).not.toHaveAttribute('data-unlocked', '');
      expect(await copyKept(third)).toEqual({ flag: true, meta: true });
    });

    test('five wrong PINs erase the copy, with a warning from the third', async ({ page, context }) => {
      test.setTimeout(120_000);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await keepCopyWithPin(page, lang, PIN);
      await readResultsAndMessages(page, lang);
      const tab = await context.newPage();
      await tab.goto(`/${lang}/messages/`);
      const alert = tab.locator('#unlock-problem');
      const expected = [PW[lang].wrong, PW[lang].wrong, PW[lang].left2, PW[lang].left1];
      for (const [i, words] of expected.entries()) {
        await openWithPin(tab, lang, `00000${i}`);
        await expect(alert).toHaveText(words, { timeout: 15_000 });
        await expect(tab.getByLabel(PW[lang].pin, { exact: true })).toBeFocused();
      }
      await expectAxeClean(tab, 'one try left');
      await openWithPin(tab, lang, '000009');
      await expect(alert).toHaveText(PW[lang].erased, { timeout: 15_000 });
      await expect(tab.getByRole('heading', { name: PW[lang].unlockHeading })).toBeHidden();
      await expect(tab.locator('main').getByRole('link', { name: PW[lang].signIn })).toBeVisible();
      await expectAxeClean(tab, 'copy erased after five wrong PINs');
      expect(await copyKept(tab)).toEqual({ flag: false, meta: false });
      // The first tab's key is of no use now: nothing to open.
      await page.reload();
      await expect(page.locator('html')).not.toHaveAttribute('data-unlocked', '');
    });

    test('another patient signing in erases the first patient\'s copy first, and says so', async ({ page, context }) => {
      test.setTimeout(90_000);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await keepCopyWithPin(page, lang, PIN);
      const seen = await readResultsAndMessages(page, lang);
      const tab = await context.newPage();
      await signIn(tab, lang, PATIENT[lang].other, { axe: false });
      await expect(tab.getByText(PW[lang].erasedOther)).toBeVisible();
      await expectAxeClean(tab, 'another patient\'s copy erased');
      expect(await copyKept(tab)).toEqual({ flag: false, meta: false });
      // This patient is asked about the device anew, and sees nothing of the other.
      await expect(tab.getByRole('heading', { name: PW[lang].question })).toBeVisible();
      const found = findInStorage(await deviceStorage(tab), [seen.message, PATIENT[lang].name]);
      expect(found).toEqual([]);
    });

    test('the phone\'s screen lock keeps the key (virtual authenticator with PRF), and opens the copy again', async ({ page, context }) => {
      test.setTimeout(90_000);
      await page.goto(`/${lang}/`);
      await addScreenLock(context, page);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await page.getByRole('button', { name: PW[lang].own }).click();
      await expect(page.getByRole('button', { name: PW[lang].useKey })).toBeVisible();
      await expectAxeClean(page, 'screen lock offered');
      await page.getByRole('button', { name: PW[lang].useKey }).click();
      await expect(page.getByText(PW[lang].keptKey)).toBeFocused({ timeout: 15_000 });
      const seen = await readResultsAndMessages(page, lang);

      // A new tab has no key: only the screen lock opens the copy, and only where this phone's authenticator is.
      const tab = await context.newPage();
      await tab.goto(`/${lang}/results/`);
      await expect(tab.getByRole('button', { name: PW[lang].openKey })).toBeVisible();
      await expect(tab.getByLabel(PW[lang].pin, { exact: true })).toBeHidden();
      await expectNothingShown(tab, [seen.value === '' ? 'x' : seen.message, PATIENT[lang].name]);
      await expectAxeClean(tab, 'locked copy, screen lock');
      await tab.close();

      // This tab, as a new tab would be (no sessionStorage): its virtual authenticator answers the screen lock.
      await page.evaluate(() => sessionStorage.clear());
      await page.goto(`/${lang}/results/`);
      await expectNothingShown(page, [seen.message]);
      await page.getByRole('button', { name: PW[lang].openKey }).click();
      await expect(page.locator('[data-saved-copy]')).toContainText(PW[lang].saved, { timeout: 15_000 });
      await expect(page.locator('.result-row__value').first()).toHaveText(seen.value);
      await expectAxeClean(page, 'copy opened with the screen lock');
    });

    test('an expired copy is gone before anything shows (fake clock)', async ({ page }) => {
      test.setTimeout(90_000);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await keepCopyWithPin(page, lang, PIN);
      await readResultsAndMessages(page, lang);
      // 31 days on, in a new tab (the keep time is 30 days).
      await page.clock.install({ time: Date.now() + 31 * 86_400_000 });
      const tab = await page.context().newPage();
      await tab.goto(`/${lang}/results/`);
      await expect(tab.getByRole('heading', { name: PW[lang].unlockHeading })).toBeHidden();
      await expect(tab.locator('main').getByRole('link', { name: PW[lang].signIn })).toBeVisible();
      await expect.poll(() => copyKept(tab)).toEqual({ flag: false, meta: false });
      await expect(tab.locator('[data-saved-copy]')).toHaveCount(0);
      await expectAxeClean(tab, 'expired copy erased');
    });
  });
}
