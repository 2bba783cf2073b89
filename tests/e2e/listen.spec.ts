/**
 * "Listen" reads a result and each message aloud, in both languages, with
 * axe after every step, and (@xl) at Extra large text in the Dark theme. The
 * browser's speech is a recording stand-in (support/speech.ts): the tests
 * check what was asked to be said, in which language and voice, at the
 * reading speed chosen in Settings; that nothing speaks on load; that Stop,
 * another Listen and leaving the page stop it; and that the button is not
 * there without a voice for the page's language.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.ts';
import { expectAxeClean } from './support/axe.ts';
import { signIn, type Lang } from './support/clara.ts';
import { fakeSpeech, finishSpeaking, PHONE_VOICES, said, speechCalls } from './support/speech.ts';

const T = {
  en: {
    listen: 'Listen',
    stop: 'Stop',
    speed: 'Reading speed',
    slower: 'Slower',
    saved: 'Saved: Slower.',
    potassium: 'Potassium',
    back: 'Back to my results',
    trend: 'Your results over time',
    lang: 'en-US',
    voice: 'English (United States)',
    patient: /^Amy .*Shaw/,
  },
  es: {
    listen: 'Escuchar',
    stop: 'Detener',
    speed: 'Velocidad de lectura',
    slower: 'Más despacio',
    saved: 'Guardado: Más despacio.',
    potassium: 'Potasio',
    back: 'Volver a mis resultados',
    trend: 'Sus resultados con el tiempo',
    // A voice on the phone, and Mexico's Spanish before Spain's (the US voice is from the network).
    lang: 'es-MX',
    voice: 'Español (México)',
    patient: 'Adán Portillo',
  },
} as const;

const listenButton = (page: Page, lang: Lang) => page.getByRole('button', { name: T[lang].listen, exact: true });
const stopButton = (page: Page, lang: Lang) => page.getByRole('button', { name: T[lang].stop, exact: true });

/** Waits until the stand-in's voices have arrived (so a missing button is really missing). */
async function voicesArrived(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => self.speechSynthesis?.getVoices().length ?? -1)).not.toBe(0);
}

/** Taps Listen and waits until the voice has been asked to say something (the speech code loads on the first tap). */
async function listenAndWait(page: Page, button: ReturnType<Page['getByRole']>): Promise<void> {
  const from = (await speechCalls(page)).length;
  await button.click();
  await expect
    .poll(async () => (await speechCalls(page)).slice(from).some((c) => c.call === 'speak' && c.text !== ''))
    .toBe(true);
}

async function openPotassium(page: Page, lang: Lang): Promise<void> {
  await signIn(page, lang, 'Margaret Olsen', { from: `/${lang}/sign-in/?return=%2F${lang}%2Fresults%2F`, axe: false });
  await page
    .locator('.result-row a')
    .filter({ has: page.locator('[data-flag="critical-high"]') })
    .first()
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].potassium, { timeout: 15_000 });
}

for (const lang of ['en', 'es'] as const) {
  test.describe(`listen (${lang})`, () => {
    test('a result is read aloud at the speed chosen in Settings, and stops @xl', async ({ page }) => {
      // A long journey (Settings, sign-in, five steps with axe): more time on a busy machine.
      test.slow();
      await fakeSpeech(page, PHONE_VOICES);
      // Settings: the reading speed, where the browser can read aloud.
      await page.goto(`/${lang}/settings/`);
      const speed = page.getByRole('group', { name: T[lang].speed });
      await expect(speed).toBeVisible();
      await speed.getByRole('radio', { name: T[lang].slower }).check();
      await expect(page.getByRole('status').filter({ hasText: T[lang].saved })).toBeVisible();
      await expectAxeClean(page, 'reading speed chosen');

      await openPotassium(page, lang);
      const listen = listenButton(page, lang);
      await expect(listen).toBeVisible();
      await voicesArrived(page);
      // Nothing speaks by itself.
      expect(await said(page)).toEqual([]);
      await expectAxeClean(page, 'result with Listen');

      await listen.click();
      // The same button, now Stop, keeps the focus; nothing else is announced.
      const stop = stopButton(page, lang);
      await expect(stop).toBeFocused();
      await expect(listen).toHaveCount(0);
      await expect.poll(async () => (await said(page)).length).toBeGreaterThan(3);
      const calls = await said(page);
      for (const call of calls) expect(call).toMatchObject({ lang: T[lang].lang, voice: T[lang].voice, rate: 0.75 });
      const text = calls.map((c) => c.text).join(' ');
      // The value in a sentence and what it means, in the page's words.
      expect(text).toMatch(new RegExp(`^${T[lang].potassium}\\. `));
      // (Never cut at a decimal point: "6. 4" would not match.)
      expect(text).toContain('6.4 mmol/L.');
      expect(text).toContain(await page.locator('.range-bar figcaption').innerText());
      expect(text).toContain(await page.locator('#measures + p').innerText());
      // Not the chart, nor the bar's drawing.
      expect(text).not.toContain(T[lang].trend);
      await expectAxeClean(page, 'result being read');

      await stop.click();
      await expect(listen).toBeFocused();
      expect((await speechCalls(page)).at(-1)).toEqual({ call: 'cancel' });
      await expectAxeClean(page, 'result reading stopped');

      // Read to the end, it is "Listen" again.
      await listenAndWait(page, listen);
      await expect(stop).toBeVisible();
      await finishSpeaking(page);
      await expect(listen).toBeVisible();

      // Leaving the page stops it.
      await listenAndWait(page, listen);
      await expect(stop).toBeVisible();
      const before = (await speechCalls(page)).length;
      await page.getByRole('link', { name: T[lang].back }).click();
      await expect(page).toHaveURL(`/${lang}/results/`);
      const after = (await speechCalls(page)).slice(before);
      expect(after).toContainEqual({ call: 'cancel' });
      expect(after.filter((c) => c.call === 'speak')).toEqual([]);
    });

    test('each message has Listen; one voice at a time', async ({ page }) => {
      await fakeSpeech(page, PHONE_VOICES);
      await signIn(page, lang, T[lang].patient, {
        from: `/${lang}/sign-in/?return=%2F${lang}%2Fmessages%2F`,
        axe: false,
      });
      // A conversation with at least two messages: other journeys, running beside this one, add conversations of
      // one message (a call-back request) at the top of the same patient's list.
      const messages = page.locator('[data-state="thread"] .message');
      const rows = page.locator('.thread-row a');
      await expect(rows.first()).toBeVisible();
      for (let i = 0, n = await rows.count(); i < n; i++) {
        await rows.nth(i).click();
        await expect(messages.first()).toBeVisible();
        if ((await messages.count()) >= 2) break;
        await page.goBack();
        await expect(rows.first()).toBeVisible();
      }
      await voicesArrived(page);
      const count = await messages.count();
      expect(count).toBeGreaterThanOrEqual(2);
      await expect(listenButton(page, lang)).toHaveCount(count);
      expect(await said(page)).toEqual([]);
      await expectAxeClean(page, 'conversation with Listen');

      const first = messages.nth(0);
      const last = messages.nth(count - 1);
      await first.getByRole('button', { name: T[lang].listen, exact: true }).click();
      await expect(first.getByRole('button', { name: T[lang].stop, exact: true })).toBeVisible();
      const firstText = (await first.locator('.message__text').innerText()).trim();
      await expect
        .poll(async () => (await said(page)).map((c) => c.text).join(' '))
        .toContain(firstText.split(/\n/)[0]?.trim() ?? '');
      const spoken = await said(page);
      // Who wrote it comes first ("From …" or "You wrote").
      const who = (await first.locator('.message__who strong').innerText()).trim();
      expect(spoken[0]?.text).toBe(`${who}.`);
      for (const call of spoken) expect(call).toMatchObject({ lang: T[lang].lang, voice: T[lang].voice, rate: 1 });
      await expectAxeClean(page, 'a message being read');

      // Another Listen stops the first: one Stop on the page.
      const before = (await speechCalls(page)).length;
      await last.getByRole('button', { name: T[lang].listen, exact: true }).click();
      await expect(last.getByRole('button', { name: T[lang].stop, exact: true })).toBeVisible();
      await expect(first.getByRole('button', { name: T[lang].listen, exact: true })).toBeVisible();
      await expect(stopButton(page, lang)).toHaveCount(1);
      const next = (await speechCalls(page)).slice(before);
      expect(next[0]).toEqual({ call: 'cancel' });
      expect(
        next
          .filter((c) => c.call === 'speak')
          .map((c) => c.text)
          .join(' '),
      ).toContain((await last.locator('.message__text').innerText()).trim().split(/\n/)[0]?.trim() ?? '');
      await expectAxeClean(page, 'another message being read');
    });

    test('no voice for this language: no Listen', async ({ page }) => {
      await fakeSpeech(page, [{ lang: lang === 'en' ? 'es-MX' : 'en-US', name: 'Other language' }]);
      await openPotassium(page, lang);
      await voicesArrived(page);
      await expect(page.locator('#measures')).toBeVisible();
      await expect(listenButton(page, lang)).toHaveCount(0);
      await expectAxeClean(page, 'result without a voice');
    });

    test('no speech at all: no Listen, no reading speed', async ({ page }) => {
      await fakeSpeech(page, null);
      await page.goto(`/${lang}/settings/`);
      expect(await page.evaluate(() => 'speechSynthesis' in window)).toBe(false);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByRole('group', { name: T[lang].speed })).toHaveCount(0);
      await expectAxeClean(page, 'settings without speech');
      await openPotassium(page, lang);
      await expect(page.locator('#measures')).toBeVisible();
      await expect(listenButton(page, lang)).toHaveCount(0);
    });
  });
}
