/**
 * Privacy a patient can trust on any device, in both languages, with axe
 * after every step: the copy kept on the patient's own device opens only
 * for them (PIN, or the phone's screen lock as a virtual authenticator with
 * PRF), wrong PINs erase it, another patient's sign-in erases it, it expires;
 * sign-out ends everything (online and offline) and the sandbox has the
 * tokens revoked; other tabs sign out too; the time limit warns and ends the
 * sign-in; nothing readable is left in the device's storage.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.ts';
import { expectAxeClean } from './support/axe.ts';
import { clinicMessages, signIn, signOutButton, type Lang } from './support/clara.ts';
import {
  addScreenLock,
  controlled,
  copyKept,
  isRevoked,
  keepCopyWithPin,
  kept,
  openWithPin,
  ownDeviceInSettings,
  PW,
  revocations,
  sessionTokens,
  setPin,
  sha256,
} from './support/privacy.ts';
import { deviceStorage, findInStorage } from './support/storage.ts';
import { SANDBOX_ORIGIN } from './support/env.ts';

const SANDBOX_FHIR = `${SANDBOX_ORIGIN}/fhir/R4`;

const PATIENT: Record<Lang, { name: string; other: string }> = {
  en: { name: 'Margaret Olsen', other: 'Tommy Friesen' },
  es: { name: 'Adán Portillo', other: 'Luis Miguel Delarosa' },
};
const PIN = '482915';

/** Reads the results, one result and a conversation, and returns what was on screen. */
async function readResultsAndMessages(
  page: Page,
  lang: Lang,
): Promise<{ value: string; message: string; resultUrl: string }> {
  await page.goto(`/${lang}/results/`);
  await expect(page.locator('[data-state="results"]')).toBeVisible({ timeout: 15_000 });
  await kept(page, 'results');
  const value = ((await page.locator('.result-row__value').first().textContent()) ?? '').trim();
  const first = page.locator('.result-row a').first();
  const resultUrl = (await first.getAttribute('href')) ?? '';
  await first.click();
  await expect(page.locator('[data-state="result"]')).toBeVisible({ timeout: 15_000 });
  await kept(page, `result.${new URL(resultUrl, page.url()).searchParams.get('id')}`);
  await page.goto(`/${lang}/messages/`);
  await page.locator('.thread-row a').first().click();
  await expect(page.locator('[data-state="thread"]')).toBeVisible({ timeout: 15_000 });
  await kept(page, `thread.${new URL(page.url()).searchParams.get('id')}`);
  const message = ((await page.locator('.message__text p').first().textContent()) ?? '').trim();
  return { value, message, resultUrl };
}

/** Nothing of the patient on the page: no patient-data state shown, none of their words. */
async function expectNothingShown(page: Page, words: string[]): Promise<void> {
  await expect(
    page.locator(
      '[data-state="results"], [data-state="result"], [data-state="thread"], [data-state="inbox"], [data-saved-copy]',
    ),
  ).toHaveCount(0);
  const text = (await page.locator('body').innerText()).toLowerCase();
  for (const word of words.filter(Boolean)) expect(text, `"${word}" on screen`).not.toContain(word.toLowerCase());
}

for (const lang of ['en', 'es'] as const) {
  test.describe(`privacy (${lang})`, () => {
    test('own device: the copy is locked; a new tab shows none of it until the PIN opens it; the owner signing in may leave it shut @xl', async ({
      page,
      context,
    }) => {
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
      await expect(tab.locator('[data-state="result"] [data-saved-copy]')).toContainText(PW[lang].saved, {
        timeout: 15_000,
      });
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
      await third
        .getByRole('button', { name: lang === 'en' ? 'Sign in and allow' : 'Iniciar sesión y permitir' })
        .click();
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
        await expect(tab.getByRole('textbox', { name: PW[lang].pin, exact: true })).toBeFocused();
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

    test("another patient signing in erases the first patient's copy first, and says so", async ({ page, context }) => {
      test.setTimeout(90_000);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await keepCopyWithPin(page, lang, PIN);
      const seen = await readResultsAndMessages(page, lang);
      const tab = await context.newPage();
      await signIn(tab, lang, PATIENT[lang].other, { axe: false });
      await expect(tab.getByText(PW[lang].erasedOther)).toBeVisible();
      await expectAxeClean(tab, "another patient's copy erased");
      expect(await copyKept(tab)).toEqual({ flag: false, meta: false });
      // This patient is asked about the device anew, and sees nothing of the other.
      await expect(tab.getByRole('heading', { name: PW[lang].question })).toBeVisible();
      const found = findInStorage(await deviceStorage(tab), [seen.message, PATIENT[lang].name]);
      expect(found).toEqual([]);
    });

    test("the phone's screen lock keeps the key (virtual authenticator with PRF), and opens the copy again", async ({
      page,
      context,
    }) => {
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
      await expect(tab.getByRole('textbox', { name: PW[lang].pin, exact: true })).toBeHidden();
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

    test('nothing readable in IndexedDB, localStorage or Cache Storage after reading results and messages on an unlocked own device', async ({
      page,
    }) => {
      test.setTimeout(90_000);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await controlled(page);
      await keepCopyWithPin(page, lang, PIN);
      const seen = await readResultsAndMessages(page, lang);
      const { access, patient } = await sessionTokens(page);
      // The result's own date and id, as the clinic holds them.
      const id = new URL(seen.resultUrl, 'http://x').searchParams.get('id') ?? '';
      const observation = (await (
        await page.request.get(`${SANDBOX_FHIR}/Observation/${id}`, { headers: { Authorization: `Bearer ${access}` } })
      ).json()) as { effectiveDateTime?: string };
      const date = (observation.effectiveDateTime ?? '').slice(0, 10);
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const kept = await deviceStorage(page);
      // There is something to look through: the encrypted copy holds what was read.
      expect(
        kept.indexedDB.filter((d) => d.place.startsWith('clara/')).reduce((n, d) => n + d.json.length, 0),
      ).toBeGreaterThan(2000);
      const needles = [
        PATIENT[lang].name,
        ...PATIENT[lang].name.split(' '),
        seen.value,
        seen.message.slice(0, 40),
        date,
        id,
        patient,
      ];
      expect(findInStorage(kept, needles, { sessionStorage: false })).toEqual([]);
    });

    test('sign-out ends everything: nothing of the patient is left, and the sandbox has the refresh token revoked', async ({
      page,
    }) => {
      test.setTimeout(90_000);
      await ownDeviceInSettings(page, lang, PIN);
      await controlled(page);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      const seen = await readResultsAndMessages(page, lang);
      const tokens = await sessionTokens(page);
      expect(tokens.refresh, "a refresh token on the patient's own device").not.toBe('');
      await (await signOutButton(page, lang)).click();
      await expect(page.getByText(PW[lang].signedOut)).toBeVisible();
      await expectAxeClean(page, 'signed out');
      await expect.poll(() => isRevoked(tokens.refresh), { timeout: 10_000 }).toBe(true);
      expect((await revocations()).find((r) => r.tokenSha256 === sha256(tokens.refresh))).toMatchObject({
        kind: 'refresh',
        patient: tokens.patient,
      });
      // The access token is of no use either.
      expect(
        (
          await page.request.get(`${SANDBOX_FHIR}/Patient/${tokens.patient}`, {
            headers: { Authorization: `Bearer ${tokens.access}` },
          })
        ).status(),
      ).toBe(401);
      await expect
        .poll(() => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('clara.'))))
        .toEqual([]);
      const kept = await deviceStorage(page);
      expect(
        kept.localStorage
          .map((e) => e.key)
          .filter((k) => !['clara.device', 'clara.lang', 'clara.textSize', 'clara.theme'].includes(k)),
      ).toEqual([]);
      expect(kept.indexedDB.filter((d) => d.place.startsWith('clara/'))).toEqual([]);
      expect(kept.caches.filter((c) => !c.cache.includes('precache'))).toEqual([]);
      expect(
        findInStorage(kept, [
          PATIENT[lang].name,
          seen.value,
          seen.message.slice(0, 40),
          tokens.refresh,
          tokens.access,
          tokens.patient,
        ]),
      ).toEqual([]);
    });

    test('sign-out offline erases everything at once, and revokes the tokens when the connection returns', async ({
      page,
      context,
    }) => {
      test.setTimeout(90_000);
      await ownDeviceInSettings(page, lang, PIN);
      await controlled(page);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      const seen = await readResultsAndMessages(page, lang);
      const tokens = await sessionTokens(page);
      await context.setOffline(true);
      await (await signOutButton(page, lang)).click();
      await expect(page.getByText(PW[lang].signedOut)).toBeVisible();
      await expectAxeClean(page, 'signed out, offline');
      const kept = await deviceStorage(page);
      // Only the tokens still to revoke wait, in this tab's sessionStorage: no patient data anywhere.
      expect(kept.sessionStorage.map((e) => e.key).filter((k) => k.startsWith('clara.'))).toEqual(['clara.revoke']);
      expect(findInStorage(kept, [tokens.refresh], { sessionStorage: false })).toEqual([]);
      expect(kept.indexedDB.filter((d) => d.place.startsWith('clara/'))).toEqual([]);
      expect(findInStorage(kept, [PATIENT[lang].name, seen.value, seen.message.slice(0, 40), tokens.patient])).toEqual(
        [],
      );
      expect(await isRevoked(tokens.refresh)).toBe(false);
      await context.setOffline(false);
      await page.evaluate(() => dispatchEvent(new Event('online')));
      await expect.poll(() => isRevoked(tokens.refresh), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => page.evaluate(() => sessionStorage.getItem('clara.revoke'))).toBeNull();
    });

    test('another tab signs out too: its sign-in ends, its screen is cleared, it says why', async ({
      page,
      context,
    }) => {
      test.setTimeout(90_000);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      const other = await context.newPage();
      await signIn(other, lang, PATIENT[lang].name, { axe: false });
      await other.goto(`/${lang}/results/`);
      await expect(other.locator('[data-state="results"]')).toBeVisible({ timeout: 15_000 });
      const theirs = await sessionTokens(other);
      await (await signOutButton(page, lang)).click();
      await expect(page.getByText(PW[lang].signedOut)).toBeVisible();
      await expect(other).toHaveURL(`/${lang}/sign-in/?signed-out=elsewhere`);
      await expect(other.getByText(PW[lang].elsewhere)).toBeVisible();
      await expect(other.getByRole('button', { name: PW[lang].signOut })).toBeHidden();
      await expectAxeClean(other, 'signed out in another tab');
      expect(
        await other.evaluate(() =>
          Object.keys(sessionStorage).filter((k) => k.startsWith('clara.') && k !== 'clara.revoke'),
        ),
      ).toEqual([]);
      // That tab's own sign-in is revoked too.
      await expect.poll(() => isRevoked(theirs.access), { timeout: 10_000 }).toBe(true);
    });

    test('the time limit: a dialog says how long is left, "I need more time" extends it, and the end signs out (fake clock) @xl', async ({
      page,
    }) => {
      test.setTimeout(90_000);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await expect(page.getByRole('heading', { name: PW[lang].question })).toBeVisible();
      await page.getByRole('button', { name: PW[lang].shared }).click();
      // The time limit's code has loaded (it starts counting when it does); from now on the page's clock moves only when told.
      await page.waitForLoadState('networkidle');
      const start = await page.evaluate(() => Date.now());
      // Sets the page's clock, then has the time limit look at once (as it does when the patient comes back to the tab).
      const at = async (minutes: number) => {
        await page.clock.setFixedTime(start + minutes * 60_000);
        await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      };
      const dialog = page.getByRole('dialog', { name: PW[lang].stillThere });
      // Shared device: 10 minutes, with the warning 2 minutes before.
      await at(7.75);
      await expect(dialog).toBeHidden();
      await at(8.2);
      await expect(dialog).toBeVisible({ timeout: 15_000 });
      await expect(dialog).toContainText(PW[lang].twoMinutes);
      await expect(dialog.getByRole('button', { name: PW[lang].moreTime })).toBeFocused();
      await expectAxeClean(page, 'time limit warning');
      // Focus stays in the dialog.
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => !!document.activeElement?.closest('dialog[open]'))).toBe(true);
      }
      // The words follow the time left (without being read out again).
      await at(8.8);
      await expect(dialog).toContainText(PW[lang].oneMinute, { timeout: 15_000 });
      await dialog.getByRole('button', { name: PW[lang].moreTime }).click();
      await expect(dialog).toBeHidden();
      // The time starts again: no warning before 8 more minutes.
      await at(8.8 + 7.5);
      await expect(dialog).toBeHidden();
      await at(8.8 + 8.2);
      await expect(dialog).toBeVisible({ timeout: 15_000 });
      await at(8.8 + 10.1);
      await expect(page).toHaveURL(`/${lang}/sign-in/?signed-out=idle`, { timeout: 15_000 });
      await expect(page.getByText(PW[lang].idleOut)).toBeVisible();
      await expectAxeClean(page, 'signed out for lack of use');
      expect(await page.evaluate(() => sessionStorage.getItem('clara.session'))).toBeNull();
    });

    test("the time limit on the patient's own device signs out and locks the copy, which stays (fake clock)", async ({
      page,
    }) => {
      test.setTimeout(90_000);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await keepCopyWithPin(page, lang, PIN);
      await page.goto(`/${lang}/results/`);
      await expect(page.locator('[data-state="results"]')).toBeVisible({ timeout: 15_000 });
      await page.waitForLoadState('networkidle');
      const start = await page.evaluate(() => Date.now());
      const dialog = page.getByRole('dialog', { name: PW[lang].stillThere });
      // Own device: 30 minutes.
      await page.clock.setFixedTime(start + 28.2 * 60_000);
      await expect(dialog).toContainText(PW[lang].twoMinutesOwn, { timeout: 15_000 });
      await page.clock.setFixedTime(start + 30.1 * 60_000);
      await expect(page).toHaveURL(`/${lang}/sign-in/?signed-out=idle`, { timeout: 15_000 });
      await expect(page.getByText(PW[lang].idleLocked)).toBeVisible();
      expect(await copyKept(page)).toEqual({ flag: true, meta: true });
      expect(
        await page.evaluate(() =>
          Object.keys(sessionStorage).filter((k) => k.startsWith('clara.') && k !== 'clara.revoke'),
        ),
      ).toEqual([]);
      await page.goto(`/${lang}/results/`);
      await expect(page.getByRole('heading', { name: PW[lang].unlockHeading })).toBeVisible();
      await expect(page.locator('[data-state="results"]')).toHaveCount(0);
    });

    test('a message waiting in the shut copy is never dropped in silence: sign-out asks, and opening the copy on Home sends it', async ({
      page,
      context,
    }) => {
      test.setTimeout(150_000);
      const W =
        lang === 'en'
          ? {
              reply: 'Your reply',
              send: 'Send',
              waiting: 'Not sent yet — we will send it when you are back online',
              stay: 'Stay signed in',
              question:
                'A message you wrote may not be sent yet. It is in the locked copy on this phone. If you sign out now, it will be deleted.',
            }
          : {
              reply: 'Su respuesta',
              send: 'Enviar',
              waiting: 'Todavía no se envió: lo enviaremos cuando vuelva a tener conexión',
              stay: 'Seguir con la sesión',
              question:
                'Puede que un mensaje que usted escribió todavía no se haya enviado. Está en la copia bloqueada de este teléfono. Si cierra sesión ahora, se borrará.',
            };
      await ownDeviceInSettings(page, lang, PIN);
      await controlled(page);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await page.goto(`/${lang}/messages/`);
      await page.locator('.thread-row a').first().click();
      await expect(page.locator('[data-state="thread"]')).toBeVisible({ timeout: 15_000 });
      // Written without a signal: it waits, in the copy.
      await context.setOffline(true);
      const text = `Waiting in the copy ${Date.now()}`;
      await page.getByLabel(W.reply).fill(text);
      await page.getByRole('button', { name: W.send, exact: true }).click();
      await expect(page.locator('[data-message-state]').last()).toContainText(W.waiting);
      await page.close();
      await context.setOffline(false);

      // Another tab: the owner signs in and leaves the copy shut.
      const tab = await context.newPage();
      await tab.goto(`/${lang}/sign-in/`);
      await tab.getByRole('button', { name: lang === 'en' ? /^Sign in with / : /^Iniciar sesión con / }).click();
      await tab.waitForURL(/\/auth\/authorize/);
      await tab.getByRole('radio', { name: PATIENT[lang].name }).check();
      await tab
        .getByRole('button', { name: lang === 'en' ? 'Sign in and allow' : 'Iniciar sesión y permitir' })
        .click();
      await tab.getByRole('button', { name: PW[lang].notNow }).click();
      await expect(tab).toHaveURL(`/${lang}/`);
      // Sign-out asks first, in words, and "Stay signed in" stays.
      await (await signOutButton(tab, lang)).click();
      const ask = tab.getByRole('dialog', { name: W.question });
      await expect(ask).toBeVisible();
      await expectAxeClean(tab, 'sign-out with a message waiting in the shut copy');
      await ask.getByRole('button', { name: W.stay }).click();
      await expect(ask).toBeHidden();
      // Home offers to open the copy; opened, the waiting message goes, once.
      await expect(tab.getByRole('heading', { name: PW[lang].unlockHeading })).toBeVisible();
      await expectAxeClean(tab, 'signed in, copy shut, offered on Home');
      await openWithPin(tab, lang, PIN);
      await expect(tab.locator('html')).toHaveAttribute('data-unlocked', '', { timeout: 15_000 });
      await expect
        .poll(
          async () =>
            (await clinicMessages(PATIENT[lang].name)).filter((m) => m.payload?.some((p) => p.contentString === text))
              .length,
          { timeout: 20_000 },
        )
        .toBe(1);
    });

    test('Settings: moving through the device choices changes nothing; erasing asks first, from the keyboard', async ({
      page,
    }) => {
      test.setTimeout(90_000);
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await keepCopyWithPin(page, lang, PIN);
      await page.goto(`/${lang}/settings/`);
      await expect(page.getByText(PW[lang].statePin)).toBeVisible();
      const own = page.getByRole('radio', { name: PW[lang].ownRadio });
      const shared = page.getByRole('radio', { name: PW[lang].sharedRadio });
      await expect(own).toBeChecked();
      await expect(page.getByRole('group', { name: PW[lang].deviceLegend })).toBeVisible();
      await expectAxeClean(page, 'settings, copy kept');
      // Arrowing through the choices: nothing is erased.
      await own.focus();
      await page.keyboard.press('ArrowDown');
      await expect(shared).toBeChecked();
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowDown');
      expect(await copyKept(page)).toEqual({ flag: true, meta: true });
      // Save asks first; "Keep it" keeps it, and focus comes back.
      await page.keyboard.press('Tab');
      const save = page.getByRole('button', { name: PW[lang].saveChoice });
      await expect(save).toBeFocused();
      await page.keyboard.press('Enter');
      const question = page.getByRole('dialog', { name: PW[lang].eraseQuestion });
      await expect(question).toBeVisible();
      await expect(question.getByRole('button', { name: PW[lang].keepIt })).toBeFocused();
      await expectAxeClean(page, 'erase question');
      await page.keyboard.press('Enter');
      await expect(question).toBeHidden();
      await expect(save).toBeFocused();
      await expect(own).toBeChecked();
      expect(await copyKept(page)).toEqual({ flag: true, meta: true });
      // Escape is "Keep it" too.
      await page.getByRole('button', { name: PW[lang].eraseNow }).click();
      await expect(question).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(question).toBeHidden();
      expect(await copyKept(page)).toEqual({ flag: true, meta: true });
      // Shared, saved, confirmed: erased.
      await shared.check();
      await save.click();
      await question.getByRole('button', { name: PW[lang].erase, exact: true }).click();
      await expect(page.getByText(PW[lang].savedShared)).toBeVisible();
      await expect(page.getByText(PW[lang].stateNone)).toBeVisible();
      await expect(page.getByRole('button', { name: PW[lang].eraseNow })).toBeHidden();
      expect(await copyKept(page)).toEqual({ flag: false, meta: false });
      await expectAxeClean(page, 'copy erased from Settings');
    });
  });
}

/**
 * What each storage holds, by device mode, after each step (the table in the
 * security notes comes from this test's output, attached as storage.json):
 * key names and kinds only, and the assertion that no patient data and no
 * token is anywhere it must not be.
 */
test('what each storage holds, by device mode and step', async ({ page, context }, testInfo) => {
  test.setTimeout(180_000);
  const lang = 'en';
  const patient = PATIENT[lang].name;
  const rows: Record<string, unknown>[] = [];
  const summary = async (p: Page, mode: string, step: string, seen: string[]) => {
    const kept = await deviceStorage(p);
    const tokens = await sessionTokens(p);
    const clara = (list: { key: string }[]) =>
      list
        .map((e) => e.key)
        .filter((k) => k.startsWith('clara.'))
        .map((k) => k.replace(/^(clara\.kv\.[a-z]+)\..*$/, '$1.…'))
        .filter((k, i, all) => all.indexOf(k) === i)
        .sort();
    const row = {
      mode,
      step,
      localStorage: clara(kept.localStorage),
      sessionStorage: clara(kept.sessionStorage),
      indexedDB: kept.indexedDB
        .filter((d) => d.place.startsWith('clara/'))
        .map((d) => `${d.place} (${(JSON.parse(d.json) as { keys: unknown[] }).keys.length})`),
      caches: [...new Set(kept.caches.map((c) => c.cache.replace(/-[^-]*$/, '')))],
    };
    rows.push(row);
    // Patient data and tokens: never in localStorage, IndexedDB in the clear, or Cache Storage.
    expect(
      findInStorage(kept, [patient, ...seen, tokens.access, tokens.refresh].filter(Boolean), { sessionStorage: false }),
      `${mode}, ${step}`,
    ).toEqual([]);
    return row;
  };

  // A shared (or not decided) device.
  await signIn(page, lang, patient, { axe: false });
  await page.getByRole('button', { name: PW[lang].shared }).click();
  await summary(page, 'shared', 'signed in', []);
  let seen = await readResultsAndMessages(page, lang);
  const shared = await summary(page, 'shared', 'read', [seen.value, seen.message]);
  expect(shared['sessionStorage']).toEqual(expect.arrayContaining(['clara.session', 'clara.kv.saved.…']));
  expect(shared['indexedDB']).toEqual([]);
  await (await signOutButton(page, lang)).click();
  await expect(page.getByText(PW[lang].signedOut)).toBeVisible();
  await expect.poll(() => page.evaluate(() => sessionStorage.getItem('clara.revoke'))).toBeNull();
  expect((await summary(page, 'shared', 'signed out', [seen.value, seen.message]))['sessionStorage']).toEqual([]);

  // The patient's own device, its copy open in this tab.
  await ownDeviceInSettings(page, lang, PIN);
  await signIn(page, lang, patient, { axe: false });
  await summary(page, 'own, open', 'signed in', []);
  seen = await readResultsAndMessages(page, lang);
  const open = await summary(page, 'own, open', 'read', [seen.value, seen.message]);
  expect(open['sessionStorage']).toEqual(expect.arrayContaining(['clara.session', 'clara.vault.key']));
  expect(open['sessionStorage']).not.toContain('clara.kv.saved.…');

  // The same device, a new tab: locked, then opened.
  const tab = await context.newPage();
  await tab.goto(`/${lang}/results/`);
  const locked = await summary(tab, 'own, locked (new tab)', 'not signed in', [seen.value, seen.message]);
  expect(locked['sessionStorage']).toEqual([]);
  await openWithPin(tab, lang, PIN);
  await expect(tab.locator('[data-saved-copy]')).toBeVisible({ timeout: 15_000 });
  await summary(tab, 'own, opened in the new tab', 'read (not signed in)', [seen.value, seen.message]);
  await tab.close();

  await (await signOutButton(page, lang)).click();
  await expect(page.getByText(PW[lang].signedOut)).toBeVisible();
  await expect.poll(() => page.evaluate(() => sessionStorage.getItem('clara.revoke'))).toBeNull();
  const out = await summary(page, 'own', 'signed out', [seen.value, seen.message]);
  expect(out['indexedDB']).toEqual([]);
  expect(out['localStorage']).toEqual(['clara.device']);

  await testInfo.attach('storage.json', { body: JSON.stringify(rows, null, 1), contentType: 'application/json' });
  console.log(JSON.stringify(rows));
});
