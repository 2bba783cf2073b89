/**
 * Page objects for Clara's journeys: signing in through the sandbox's
 * authorize page like a patient would, and the clinic's side of the sandbox.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Communication } from '@medplum/fhirtypes';
import { expectAxeClean } from './axe.ts';
import { SANDBOX_ORIGIN, SANDBOX_SECRET } from './env.ts';

export type Lang = 'en' | 'es';

export const WORDS = {
  en: {
    signInButton: /^Sign in with /,
    patientsLegend: 'Choose a sample patient',
    allow: 'Sign in and allow',
    cancel: 'Cancel',
    signOut: 'Sign out',
    menu: 'Menu',
    results: 'See your test results and vital signs',
  },
  es: {
    signInButton: /^Iniciar sesión con /,
    patientsLegend: 'Elija un paciente de ejemplo',
    allow: 'Iniciar sesión y permitir',
    cancel: 'Cancelar',
    signOut: 'Cerrar sesión',
    menu: 'Menú',
    results: 'Ver sus resultados y signos vitales',
  },
} as const;

/** On the sandbox's authorize page: picks the patient, optionally unticks permissions, and allows. */
export async function choosePatient(
  page: Page,
  lang: Lang,
  patient: string | RegExp,
  options: { deny?: string[]; axe?: boolean } = {},
): Promise<void> {
  await page.waitForURL(/\/auth\/authorize/);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  if (options.axe !== false) await expectAxeClean(page, `sandbox authorize page (${lang})`);
  await page.getByRole('radio', { name: patient }).check();
  for (const label of options.deny ?? []) await page.getByRole('checkbox', { name: label }).uncheck();
  await page.getByRole('button', { name: WORDS[lang].allow }).click();
}

/**
 * Signs in as a caregiver (issue 14): her radio on the sandbox's page (named
 * by her name alone), then the patient picker's choice ("Adán Portillo (father)").
 */
export async function signInAsCaregiver(
  page: Page,
  lang: Lang,
  caregiver: string,
  whom: string | RegExp,
): Promise<void> {
  await page.goto(`/${lang}/sign-in/`);
  await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.getByRole('radio', { name: caregiver }).check();
  await page.getByRole('button', { name: WORDS[lang].allow }).click();
  await page.getByRole('radio', { name: whom }).check();
  await page.getByRole('button', { name: lang === 'en' ? 'Open this information' : 'Ver esta información' }).click();
  await page.waitForURL((url) => url.port !== new URL(SANDBOX_ORIGIN).port && !url.pathname.includes('/sign-in/'));
}

/** Signs in from the sign-in page and waits to land back in Clara. */
export async function signIn(
  page: Page,
  lang: Lang,
  patient: string | RegExp,
  options: { deny?: string[]; from?: string; axe?: boolean } = {},
): Promise<void> {
  await page.goto(options.from ?? `/${lang}/sign-in/`);
  await page.getByRole('button', { name: WORDS[lang].signInButton }).click();
  await choosePatient(page, lang, patient, options);
  await page.waitForURL((url) => url.port !== new URL(SANDBOX_ORIGIN).port && !url.pathname.includes('/sign-in/'));
}

/** The frame's "Sign out" button. On a phone it is in the Menu, which this opens first when it is closed. */
export async function signOutButton(page: Page, lang: Lang): Promise<Locator> {
  const menu = page.getByRole('button', { name: WORDS[lang].menu, exact: true });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  return page.getByRole('button', { name: WORDS[lang].signOut, exact: true });
}

/** The access token of this tab's session (to look for it where it must never be). */
export async function accessToken(page: Page): Promise<string> {
  const token = await page.evaluate(
    () => (JSON.parse(sessionStorage.getItem('clara.session') ?? '{}') as { accessToken?: string }).accessToken,
  );
  expect(token, 'a session after sign-in').toBeTruthy();
  return token as string;
}

async function clinic(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${SANDBOX_ORIGIN}/sandbox/${path}`, {
    ...init,
    headers: {
      'X-Sandbox-Secret': SANDBOX_SECRET,
      'Content-Type': 'application/json',
      ...(init.headers as Record<string, string>),
    },
  });
}

/** Makes this tab's sign-in expire at the sandbox (its access token, and its refresh token too when asked). */
export async function expireSignIn(page: Page, options: { refresh: boolean }): Promise<void> {
  const token = await accessToken(page);
  const res = await clinic('expire-tokens', {
    method: 'POST',
    body: JSON.stringify({ accessToken: token, refresh: options.refresh }),
  });
  expect(res.status).toBe(200);
}

/** Every message the clinic holds for a patient (staff-only ones included). */
export async function clinicMessages(patient: string): Promise<Communication[]> {
  const res = await clinic(`messages?patient=${encodeURIComponent(patient)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: Communication[] }).messages;
}

/** A clinician answers in the patient's newest conversation (or `thread`). */
export async function staffReply(patient: string, text: string, thread?: string): Promise<Communication> {
  const res = await clinic('staff-reply', {
    method: 'POST',
    body: JSON.stringify({ patient, text, ...(thread ? { thread } : {}) }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Communication;
}
