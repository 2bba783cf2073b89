/**
 * Offline and on one bar of signal, in both languages: the service worker
 * keeps the app, the patient's own device keeps what they saw, a message
 * written offline is sent once when the signal returns, a new version is
 * offered through the banner, and nothing stores a token or a FHIR response.
 * (npm test sets PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS=1, so going
 * offline cuts the service worker's own network too.)
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.ts';
import { startNginx } from '../../scripts/lib/nginx.ts';
import { createStaticServer, listen } from '../../scripts/lib/static-server.ts';
import { expectAxeClean } from './support/axe.ts';
import { deviceStorage } from './support/storage.ts';
import { accessToken, clinicMessages, signIn, signOutButton } from './support/clara.ts';
import { PORTAL_SERVER, SANDBOX_ORIGIN, SPARE_PORT } from './support/env.ts';
import { DEFAULT_ORIGINS } from './support/test.ts';
import { keepCopyWithPin, kept, openWithPin } from './support/privacy.ts';

const T = {
  en: {
    patient: 'Margaret Olsen',
    saved: /^Saved on this phone · updated \d{1,2}:\d{2}/,
    offlineBanner:
      'You are offline. Clara shows what is saved on this phone, and sends your messages when you are back online.',
    offlineTitle: 'You are offline',
    replyLabel: 'Your reply',
    send: 'Send',
    waiting: 'Not sent yet — we will send it when you are back online',
    sent: /^Sent at /,
    update: 'Update',
    updateReady: 'A new version of Clara is ready.',
  },
  es: {
    patient: 'Catalina Cantú',
    saved: /^Guardado en este teléfono · actualizado \d{1,2}:\d{2}/,
    offlineBanner:
      'No tiene conexión. Clara le muestra lo que está guardado en este teléfono y enviará sus mensajes cuando vuelva a tener conexión.',
    offlineTitle: 'No tiene conexión',
    replyLabel: 'Su respuesta',
    send: 'Enviar',
    waiting: 'Todavía no se envió: lo enviaremos cuando vuelva a tener conexión',
    sent: /^Enviado: /,
    update: 'Actualizar',
    updateReady: 'Hay una nueva versión de Clara.',
  },
} as const;

/** Waits until the service worker controls the page (the first visit installs it; a reload puts it in charge). */
async function controlled(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

for (const lang of ['en', 'es'] as const) {
  test(`offline: the shell, results and a conversation show, saved; a message written offline is sent once (${lang}) @xl`, async ({
    page,
    context,
  }) => {
    test.setTimeout(90_000);
    await signIn(page, lang, T[lang].patient, { axe: false });
    // The patient's own phone: the copy is kept, locked with a Clara PIN, and open in this tab.
    await keepCopyWithPin(page, lang, '482915');
    await controlled(page);

    // Online: read results, one result, the messages and a conversation (each is kept on this phone).
    await page.goto(`/${lang}/results/`);
    await expect(page.locator('[data-state="results"]')).toBeVisible({ timeout: 15_000 });
    await kept(page, 'results');
    const firstResult = page.locator('.result-row a').first();
    const resultHref = (await firstResult.getAttribute('href')) ?? '';
    await firstResult.click();
    await expect(page.locator('[data-state="result"]')).toBeVisible();
    await kept(page, `result.${new URL(resultHref, page.url()).searchParams.get('id')}`);
    await page.goto(`/${lang}/messages/`);
    await page.locator('.thread-row a').first().click();
    await expect(page.locator('[data-state="thread"]')).toBeVisible();
    const threadUrl = page.url();
    await kept(page, `thread.${new URL(threadUrl).searchParams.get('id')}`);
    const topic = await page.getByRole('heading', { level: 1 }).textContent();

    await context.setOffline(true);

    await page.goto(`/${lang}/results/`);
    await expect(page.locator('[data-state="results"]')).toBeVisible();
    await expect(page.locator('[data-saved-copy]')).toContainText(T[lang].saved);
    await expect(page.getByText(T[lang].offlineBanner)).toBeVisible();
    await expectAxeClean(page, 'offline results');

    await page.goto(resultHref);
    await expect(page.locator('[data-state="result"] [data-saved-copy]')).toContainText(T[lang].saved);

    await page.goto(threadUrl);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(topic ?? '');
    await expect(page.locator('[data-saved-copy]')).toContainText(T[lang].saved);
    await expectAxeClean(page, 'offline conversation');

    const text = `Written offline ${randomUUID().slice(0, 8)}`;
    await page.getByLabel(T[lang].replyLabel).fill(text);
    await page.getByRole('button', { name: T[lang].send, exact: true }).click();
    await expect(page.locator('[data-message-state]').last()).toContainText(T[lang].waiting);
    await expectAxeClean(page, 'offline, waiting to send');

    // A page never visited: the offline page, in the patient's language.
    await page.goto(`/${lang}/nowhere/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].offlineTitle);

    // A new tab, still offline: the copy is locked, and the PIN opens it without a signal.
    const tab = await context.newPage();
    await tab.goto(`/${lang}/results/`);
    await expect(tab.locator('[data-state="results"]')).toHaveCount(0);
    await openWithPin(tab, lang, '482915');
    await expect(tab.locator('[data-saved-copy]')).toContainText(T[lang].saved, { timeout: 15_000 });
    await expectAxeClean(tab, 'offline, copy opened in a new tab');
    await tab.close();

    await page.goto(threadUrl);
    await context.setOffline(false);
    await page.evaluate(() => dispatchEvent(new Event('online')));
    await expect(page.locator('.message').filter({ hasText: text }).locator('[data-message-state]')).toContainText(
      T[lang].sent,
      { timeout: 20_000 },
    );
    const held = (await clinicMessages(T[lang].patient)).filter((m) =>
      m.payload?.some((p) => p.contentString === text),
    );
    expect(held).toHaveLength(1);
  });
}

test('Cache Storage and IndexedDB hold no token and no FHIR response; sign-out erases the device copy', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await signIn(page, 'en', 'Tommy Friesen', { axe: false });
  await keepCopyWithPin(page, 'en', '482915');
  await controlled(page);
  await page.goto('/en/results/');
  await page.locator('.result-row a').first().click();
  await expect(page.locator('[data-state="result"]')).toBeVisible();
  await page.goto('/en/messages/');
  await page.locator('.thread-row a').first().click();
  await expect(page.locator('[data-state="thread"]')).toBeVisible();
  const token = await accessToken(page);
  const fhir = `${SANDBOX_ORIGIN}/fhir`;
  const kept = await deviceStorage(page);
  const problems = [
    ...kept.caches.flatMap((c) => [
      ...(c.url.startsWith(fhir) ? [`FHIR response cached: ${c.url}`] : []),
      ...(c.authorization ? [`request with Authorization cached: ${c.url}`] : []),
      ...(c.body.includes(token) ? [`token in cache ${c.cache}: ${c.url}`] : []),
      ...(c.body.includes('"resourceType"') ? [`FHIR resource in cache ${c.cache}: ${c.url}`] : []),
    ]),
    ...kept.indexedDB.flatMap((d) => [
      ...(d.json.includes(token) ? [`token in IndexedDB ${d.place}`] : []),
      ...(/refresh_token|access_token|accessToken|refreshToken/.test(d.json)
        ? [`token fields in IndexedDB ${d.place}`]
        : []),
    ]),
  ];
  const found = {
    problems,
    caches: [...new Set(kept.caches.map((c) => c.cache))],
    idbBytes: kept.indexedDB.reduce((n, d) => n + d.json.length, 0),
  };
  expect(found.problems).toEqual([]);
  // There is something to check: the precache, and the saved copy.
  expect(found.caches.some((c) => c.includes('precache'))).toBe(true);
  expect(found.idbBytes).toBeGreaterThan(100);

  await (await signOutButton(page, 'en')).click();
  await expect(page).toHaveURL('/en/sign-in/?signed-out=1');
  const left = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(left).not.toContain('clara');
});

test.describe('a new version', () => {
  test.use({ allowedOrigins: [...DEFAULT_ORIGINS, `http://localhost:${SPARE_PORT}`] });

  test('a new version is offered in a calm banner and applied by "Update"', async ({ browser }) => {
    // A copy of the site on a server of its own (nginx, as in production), so changing it touches no other test.
    const dir = mkdtempSync(join(tmpdir(), 'clara-update-'));
    cpSync('dist', dir, { recursive: true });
    const port = SPARE_PORT;
    let close: () => Promise<void>;
    if (PORTAL_SERVER === 'nginx') {
      close = (await startNginx({ root: dir, port, name: 'update test portal' })).close;
    } else {
      const server = createStaticServer({ root: dir, port });
      await listen(server, port, '127.0.0.1', 'update test portal');
      close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const context = await browser.newContext({ baseURL: `http://localhost:${port}` });
    const page = await context.newPage();
    try {
      for (const lang of ['en', 'es'] as const) {
        await page.goto(`/${lang}/help/`);
        await controlled(page);
        const sw = join(dir, 'sw.js');
        writeFileSync(sw, `${readFileSync(sw, 'utf8')}\n// next version ${lang} ${Date.now()}\n`);
        await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
        const banner = page.locator('.update-banner');
        await expect(banner).toContainText(T[lang].updateReady);
        await expectAxeClean(page, `update offered (${lang})`);
        // The page is not reloaded behind the patient's back.
        const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
        await page.waitForTimeout(500);
        expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(marker);
        await banner.getByRole('button', { name: T[lang].update }).click();
        await page.waitForFunction(() => !(window as unknown as { marker?: number }).marker);
        await expect(page.locator('.update-banner')).toHaveCount(0);
        expect(
          await page.evaluate(() =>
            navigator.serviceWorker.getRegistration().then((r) => !r?.waiting && r?.active?.state === 'activated'),
          ),
        ).toBe(true);
      }
    } finally {
      await context.close();
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
