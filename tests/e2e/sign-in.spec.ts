/**
 * Signing in with SMART App Launch against the sandbox EHR, as a patient
 * would, in both languages, with axe at every step.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.ts';
import { expectAxeClean } from './support/axe.ts';
import { accessToken, choosePatient, expireSignIn, signIn, signOutButton, WORDS, type Lang } from './support/clara.ts';
import { SANDBOX_ORIGIN } from './support/env.ts';
import { ROUTE_IDS } from './support/pages.ts';
import { deviceStorage } from './support/storage.ts';
import { ownDeviceInSettings } from './support/privacy.ts';
import { ROUTES } from '../../src/lib/routes.ts';

const PATIENT: Record<Lang, { name: string; first: string }> = {
  en: { name: 'Tommy Friesen', first: 'Tommy' },
  es: { name: 'Catalina Cantú', first: 'Catalina' },
};

const TEXT = {
  en: {
    hello: (name: string) => `Hello, ${name}`,
    counts: [
      /You have \d+ new test results?\.|No new test results\./,
      /You have \d+ unread messages?\.|No unread messages\./,
    ],
    notGranted: 'You did not allow Clara to see your test results.',
    expired: 'Your sign-in has ended. Sign in again to go back to where you were.',
    signedOut: 'You are signed out. Clara has forgotten your sign-in on this device.',
    noPkce: "Clara cannot sign in safely with this clinic's system, so it did not try. Please call the clinic.",
    setup: "The clinic's sign-in is not set up right, so Clara cannot sign you in. Please call the clinic.",
    denied:
      'Sign-in did not finish. You may have pressed Cancel, or the clinic did not let you in. If you help someone and can no longer see their information, please call the clinic.',
    server: "The clinic's system has a problem right now.",
    malformed: "The clinic's system sent something Clara cannot read.",
    tryAgain: 'Try again',
  },
  es: {
    hello: (name: string) => `Hola, ${name}`,
    counts: [
      /Tiene \d+ resultados? nuevos?\.|No tiene resultados nuevos\./,
      /Tiene \d+ mensajes? sin leer\.|No tiene mensajes sin leer\./,
    ],
    notGranted: 'Usted no le permitió a Clara ver sus resultados.',
    expired: 'Su sesión terminó. Inicie sesión de nuevo para volver a donde estaba.',
    signedOut: 'Cerró su sesión. Clara borró los datos de su sesión en este aparato.',
    noPkce:
      'Clara no puede iniciar sesión de forma segura con el sistema de esta clínica, así que no lo intentó. Por favor, llame a la clínica.',
    setup:
      'El inicio de sesión de la clínica no está bien configurado, así que Clara no puede iniciar su sesión. Por favor, llame a la clínica.',
    denied:
      'No se terminó de iniciar la sesión. Tal vez usted canceló, o la clínica no le dio permiso. Si usted ayuda a alguien y ya no puede ver su información, llame a la clínica.',
    server: 'El sistema de la clínica tiene un problema en este momento.',
    malformed: 'El sistema de la clínica envió algo que Clara no puede leer.',
    tryAgain: 'Intentar de nuevo',
  },
} as const;

async function expectGreeting(page: Page, lang: Lang): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TEXT[lang].hello(PATIENT[lang].first));
  for (const line of TEXT[lang].counts) await expect(page.getByText(line)).toBeVisible();
}

for (const lang of ['en', 'es'] as const) {
  test.describe(`sign-in (${lang})`, () => {
    test(`a new patient signs in from Home and is greeted by name with their counts @xl`, async ({ page }) => {
      await page.goto(`/${lang}/`);
      await expectAxeClean(page, 'home, signed out');
      await page
        .locator('main')
        .getByRole('link', { name: lang === 'en' ? 'Sign in' : 'Iniciar sesión' })
        .click();
      await expect(page).toHaveURL(new RegExp(`/${lang}/sign-in/\\?return=`));
      await expectAxeClean(page, 'sign-in page');
      await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
      await choosePatient(page, lang, PATIENT[lang].name);
      await expect(page).toHaveURL(`/${lang}/`);
      await expectGreeting(page, lang);
      await expect(await signOutButton(page, lang)).toBeVisible();
      await expectAxeClean(page, 'home, signed in, Menu open');
    });

    test('a clinic server without PKCE S256 is refused, with words', async ({ page }) => {
      await page.route('**/.well-known/smart-configuration', async (route) => {
        const response = await route.fetch();
        const config = (await response.json()) as Record<string, unknown>;
        await route.fulfill({ response, json: { ...config, code_challenge_methods_supported: ['plain'] } });
      });
      let authorizeRequested = false;
      page.on('request', (request) => {
        if (request.url().includes('/auth/authorize')) authorizeRequested = true;
      });
      await page.goto(`/${lang}/sign-in/`);
      await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
      await expect(page.getByText(TEXT[lang].noPkce)).toBeVisible();
      expect(authorizeRequested).toBe(false);
      await expectAxeClean(page, 'sign-in refused without S256');
    });

    test('a token endpoint on an origin the CSP does not allow: the patient is told to call, the console names the origin', async ({
      page,
    }) => {
      // Same sandbox, another origin (127.0.0.1 is not localhost): as if the clinic's token endpoint lived elsewhere.
      const elsewhere = `http://127.0.0.1:${new URL(SANDBOX_ORIGIN).port}`;
      await page.route('**/.well-known/smart-configuration', async (route) => {
        const response = await route.fetch();
        const config = (await response.json()) as Record<string, unknown>;
        await route.fulfill({ response, json: { ...config, token_endpoint: `${elsewhere}/auth/token` } });
      });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      let authorizeRequested = false;
      page.on('request', (request) => {
        if (request.url().includes('/auth/authorize')) authorizeRequested = true;
      });
      await page.goto(`/${lang}/sign-in/`);
      await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
      await expect(page.getByText(TEXT[lang].setup)).toBeVisible();
      expect(authorizeRequested).toBe(false);
      expect(errors.join('\n')).toContain(`Add "${elsewhere}" to smart.endpointOrigins`);
      await expectAxeClean(page, 'sign-in not set up right');
    });

    test('cancelling at the clinic brings the patient back, with words', async ({ page }) => {
      await page.goto(`/${lang}/sign-in/`);
      await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
      await page.waitForURL(/\/auth\/authorize/);
      await page.getByRole('button', { name: WORDS[lang].cancel }).click();
      await expect(page.getByText(TEXT[lang].denied)).toBeVisible();
      await expect(page).toHaveURL(`/${lang}/sign-in/`);
      await expectAxeClean(page, 'sign-in cancelled');
    });

    test('an ended session leads to sign-in, then back to the same page @xl', async ({ page }) => {
      await signIn(page, lang, PATIENT[lang].name);
      // Let Home finish its requests first: a request cut by the expiry would end the session on that page.
      await expectGreeting(page, lang);
      await expireSignIn(page, { refresh: true });
      // The page sends the patient on as soon as the clinic refuses the session, maybe before it has loaded.
      await page.goto(`/${lang}/?visit=2`, { waitUntil: 'commit' });
      await expect(page).toHaveURL(new RegExp(`/${lang}/sign-in/\\?return=%2F${lang}%2F%3Fvisit%3D2&reason=expired`));
      await expect(page.getByText(TEXT[lang].expired)).toBeVisible();
      await expectAxeClean(page, 'session ended');
      await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
      await choosePatient(page, lang, PATIENT[lang].name, { axe: false });
      await expect(page).toHaveURL(`/${lang}/?visit=2`);
      await expectGreeting(page, lang);
    });

    test("a refresh token is asked for only on the patient's own device", async ({ page }) => {
      const scope = async () => {
        await page.goto(`/${lang}/sign-in/`);
        await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
        await page.waitForURL(/\/auth\/authorize/);
        return (new URL(page.url()).searchParams.get('scope') ?? '').split(' ');
      };
      // Not decided yet counts as shared.
      expect(await scope()).not.toContain('offline_access');
      await ownDeviceInSettings(page, lang, '482915');
      expect(await scope()).toContain('offline_access');
    });

    test('an expired access token is renewed with the refresh token, without a word to the patient', async ({
      page,
    }) => {
      test.setTimeout(60_000);
      // Refresh tokens are for the patient's own device.
      await ownDeviceInSettings(page, lang, '482915');
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await expectGreeting(page, lang);
      const first = await accessToken(page);
      await expireSignIn(page, { refresh: false });
      // The clinic answers the renewal slowly, as a busy one does. Meanwhile the page shows the
      // copy kept on this phone ("Saved on this phone"), greeting and counts included: the
      // greeting alone does not say the token was renewed, so the test waits for the new token.
      const renewals: string[] = [];
      await page.route('**/auth/token', async (route) => {
        renewals.push(new URLSearchParams(route.request().postData() ?? '').get('grant_type') ?? '');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await route.continue();
      });
      await page.reload();
      const token = () =>
        page.evaluate(
          () => (JSON.parse(sessionStorage.getItem('clara.session') ?? '{}') as { accessToken?: string }).accessToken,
        );
      await expect.poll(token).not.toBe(first);
      expect(await token()).toBeTruthy();
      // The renewed token brings the clinic's current data in place of the copy, with no word and no sign-in.
      await expect(page.locator('[data-saved-copy]')).toHaveCount(0);
      await expectGreeting(page, lang);
      await expect(page.getByRole('alert')).toHaveCount(0);
      await expect(page).toHaveURL(`/${lang}/`);
      expect(renewals).toEqual(['refresh_token']);
    });

    test('with fewer permissions, the page says what was not allowed', async ({ page }) => {
      await signIn(page, lang, PATIENT[lang].name, { deny: [WORDS[lang].results], axe: false });
      await expect(page.getByText(TEXT[lang].notGranted)).toBeVisible();
      await expect(page.getByText(TEXT[lang].counts[1] as RegExp)).toBeVisible();
      await expectAxeClean(page, 'results not granted');
    });

    test('a failing or garbled answer from the clinic is explained, and Try again works', async ({ page }) => {
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      await page.route('**/fhir/R4/Observation?**', (route) =>
        route.fulfill({
          status: 503,
          json: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] },
        }),
      );
      await page.reload();
      await expect(page.getByRole('alert')).toContainText(TEXT[lang].server);
      await expectAxeClean(page, 'server error');
      await page.unroute('**/fhir/R4/Observation?**');
      await page.route('**/fhir/R4/Observation?**', (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/fhir+json',
          body: '{"resourceType":"Bundle","entry":[',
        }),
      );
      await page.getByRole('button', { name: TEXT[lang].tryAgain }).click();
      await expect(page.getByRole('alert')).toContainText(TEXT[lang].malformed);
      await page.unroute('**/fhir/R4/Observation?**');
      await page.getByRole('button', { name: TEXT[lang].tryAgain }).click();
      await expectGreeting(page, lang);
    });

    test('sign out from any page: every page offers it, and afterwards nothing is left', async ({ page }) => {
      await signIn(page, lang, PATIENT[lang].name, { axe: false });
      for (const route of ROUTE_IDS.filter((r) => r !== 'signIn' && r !== 'notFound')) {
        await page.goto(`/${lang}/${ROUTES[route]}`);
        await expect(await signOutButton(page, lang), route).toBeVisible();
      }
      await (await signOutButton(page, lang)).click();
      await expect(page).toHaveURL(`/${lang}/sign-in/?signed-out=1`);
      await expect(page.getByText(TEXT[lang].signedOut)).toBeVisible();
      await expect(await signOutButton(page, lang)).toBeHidden();
      // Nothing is left in this tab but, until the clinic's server has them, the tokens to revoke (privacy.spec.ts).
      await expect
        .poll(() => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('clara.'))))
        .toEqual([]);
      await expectAxeClean(page, 'signed out');
      await page.goto(`/${lang}/`);
      await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(TEXT[lang].hello(PATIENT[lang].first));
    });
  });
}

test('after sign-in, no token is in localStorage, IndexedDB or Cache Storage', async ({ page }) => {
  await signIn(page, 'en', 'Margaret Olsen', { axe: false });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Margaret');
  const token = await accessToken(page);
  const refresh = await page.evaluate(
    () => (JSON.parse(sessionStorage.getItem('clara.session') ?? '{}') as { refreshToken?: string }).refreshToken ?? '',
  );
  const hit = (text: string) => [token, refresh].some((secret) => secret && text.includes(secret));
  const kept = await deviceStorage(page);
  const found = [
    ...kept.localStorage.filter((e) => hit(e.key + e.value)).map((e) => `localStorage ${e.key}`),
    ...kept.indexedDB.filter((d) => hit(d.json)).map((d) => `IndexedDB ${d.place}`),
    ...kept.caches.filter((c) => hit(c.url + c.headers + c.body)).map((c) => `Cache ${c.cache} ${c.url}`),
  ];
  expect(found).toEqual([]);
  // It is where it belongs: this tab's sessionStorage.
  expect(await page.evaluate(() => sessionStorage.getItem('clara.session'))).toContain(token);
});
