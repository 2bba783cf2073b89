/**
 * The kept copy, its locks, sign-out and time limits in journeys: the words
 * a patient sees, setting a lock as a patient does, the phone's screen lock
 * as a virtual authenticator (Chrome DevTools Protocol, with PRF), and the
 * sandbox's list of revoked tokens.
 */
import { createHash } from 'node:crypto';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { Lang } from './clara.ts';
import { SANDBOX_ORIGIN, SANDBOX_SECRET } from './env.ts';
import { freshKey } from '../../../src/lib/storage-keys.ts';

export const PW = {
  en: {
    question: 'Is this your own phone or computer?',
    own: 'It is mine: keep a copy',
    shared: 'It is shared: keep nothing',
    lockHeading: 'Lock your copy',
    newPin: 'New Clara PIN (6 numbers)',
    pinAgain: 'Type the same PIN again',
    savePin: 'Save my PIN',
    mismatch: 'The two PINs are not the same. Type the PIN again.',
    useKey: 'Use my screen lock',
    keptPin: 'Clara keeps a copy on this phone. It opens with your Clara PIN. You can change this in Settings.',
    keptKey: 'Clara keeps a copy on this phone. It opens with your screen lock. You can change this in Settings.',
    unlockHeading: 'Open your saved information',
    unlockAfter: 'Open your saved information?',
    pin: 'Your Clara PIN (6 numbers)',
    open: 'Open',
    openKey: 'Open with my screen lock',
    notNow: 'Not now',
    format: 'Type the 6 numbers of your Clara PIN.',
    wrong: 'That PIN is not right. Please try again.',
    left2: 'That PIN is not right. You have 2 more tries. Then Clara erases the copy on this phone.',
    left1: 'That PIN is not right. You have 1 more try. If it is wrong again, Clara erases the copy on this phone.',
    erased: 'The PIN was wrong 5 times, so Clara erased the copy on this phone. Sign in to see your information.',
    erasedOther: 'Information another person kept on this phone was erased.',
    saved: /^Saved on this phone · updated /,
    signIn: /^Sign in/,
    signedOut: 'You are signed out. Clara has forgotten your sign-in on this device.',
    elsewhere: 'You were signed out in another tab. Clara has forgotten your sign-in on this device.',
    idleOut: 'You were signed out because Clara was not used for a while. This keeps your information private.',
    idleLocked: 'You were signed out because Clara was not used for a while. The copy on this phone is locked.',
    stillThere: 'Are you still there?',
    twoMinutes: 'For your privacy, Clara will sign you out in 2 minutes.',
    oneMinute: 'For your privacy, Clara will sign you out in 1 minute.',
    twoMinutesOwn: 'For your privacy, Clara will sign you out and lock your copy in 2 minutes.',
    moreTime: 'I need more time',
    signOut: 'Sign out',
    deviceLegend: 'This device',
    ownRadio: /^My own phone or computer/,
    sharedRadio: 'Shared or public: keep nothing on it',
    saveChoice: 'Save this choice',
    statePin: 'Clara keeps a locked copy of your results and messages on this device. It opens with your Clara PIN.',
    stateNone: 'Clara keeps nothing on this device beyond this tab.',
    eraseNow: 'Erase what is kept now',
    eraseQuestion: 'Erase what Clara keeps on this device?',
    keepIt: 'Keep it',
    erase: 'Erase',
    erasedNow: 'Clara erased what it kept on this device.',
    savedShared: 'Saved: Shared or public: keep nothing on it.',
  },
  es: {
    question: '¿Este teléfono o computadora es suyo?',
    own: 'Es mío: guardar una copia',
    shared: 'Es compartido: no guardar nada',
    lockHeading: 'Bloquee su copia',
    newPin: 'PIN nuevo de Clara (6 números)',
    pinAgain: 'Escriba el mismo PIN otra vez',
    savePin: 'Guardar mi PIN',
    mismatch: 'Los dos PIN no son iguales. Escriba el PIN otra vez.',
    useKey: 'Usar el bloqueo de pantalla',
    keptPin: 'Clara guarda una copia en este teléfono. Se abre con su PIN de Clara. Puede cambiarlo en Ajustes.',
    keptKey: 'Clara guarda una copia en este teléfono. Se abre con el bloqueo de pantalla. Puede cambiarlo en Ajustes.',
    unlockHeading: 'Abrir su información guardada',
    unlockAfter: '¿Abrir su información guardada?',
    pin: 'Su PIN de Clara (6 números)',
    open: 'Abrir',
    openKey: 'Abrir con el bloqueo de pantalla',
    notNow: 'Ahora no',
    format: 'Escriba los 6 números de su PIN de Clara.',
    wrong: 'Ese PIN no es correcto. Inténtelo otra vez.',
    left2: 'Ese PIN no es correcto. Le quedan 2 intentos más. Después, Clara borra la copia de este teléfono.',
    left1:
      'Ese PIN no es correcto. Le queda 1 intento más. Si se equivoca otra vez, Clara borra la copia de este teléfono.',
    erased:
      'El PIN fue incorrecto 5 veces, así que Clara borró la copia de este teléfono. Inicie sesión para ver su información.',
    erasedOther: 'Se borró la información que otra persona guardó en este teléfono.',
    saved: /^Guardado en este teléfono · actualizado /,
    signIn: /^Inici(ar|e) sesión/,
    signedOut: 'Cerró su sesión. Clara borró los datos de su sesión en este aparato.',
    elsewhere: 'Se cerró su sesión en otra pestaña. Clara ya olvidó su inicio de sesión en este aparato.',
    idleOut: 'Se cerró su sesión porque no usó Clara por un rato. Así su información está protegida.',
    idleLocked: 'Se cerró su sesión porque no usó Clara por un rato. La copia de este teléfono está bloqueada.',
    stillThere: '¿Sigue ahí?',
    twoMinutes: 'Para proteger su información, Clara cerrará su sesión en 2 minutos.',
    oneMinute: 'Para proteger su información, Clara cerrará su sesión en 1 minuto.',
    twoMinutesOwn: 'Para proteger su información, Clara cerrará su sesión y bloqueará su copia en 2 minutos.',
    moreTime: 'Necesito más tiempo',
    signOut: 'Cerrar sesión',
    deviceLegend: 'Este aparato',
    ownRadio: /^Mi propio teléfono o computadora/,
    sharedRadio: 'Compartido o público: no guardar nada',
    saveChoice: 'Guardar esta opción',
    statePin:
      'Clara guarda en este aparato una copia bloqueada de sus resultados y mensajes. Se abre con su PIN de Clara.',
    stateNone: 'Clara no guarda nada en este aparato fuera de esta pestaña.',
    eraseNow: 'Borrar ahora lo que está guardado',
    eraseQuestion: '¿Borrar lo que Clara guarda en este aparato?',
    keepIt: 'No, dejarlo',
    erase: 'Borrar',
    erasedNow: 'Clara borró lo que guardaba en este aparato.',
    savedShared: 'Guardado: Compartido o público: no guardar nada.',
  },
} as const;

/** Fills the two PIN fields of the lock form and saves. */
export async function setPin(page: Page, lang: Lang, pin: string, again = pin): Promise<void> {
  await page.getByLabel(PW[lang].newPin).fill(pin);
  await page.getByLabel(PW[lang].pinAgain).fill(again);
  await page.getByRole('button', { name: PW[lang].savePin }).click();
}

/** Home, just signed in: "It is mine", then a Clara PIN (this browser has no screen lock Clara can use). */
export async function keepCopyWithPin(page: Page, lang: Lang, pin: string): Promise<void> {
  await page.getByRole('button', { name: PW[lang].own }).click();
  await setPin(page, lang, pin);
  await expect(page.getByText(PW[lang].keptPin)).toBeVisible({ timeout: 15_000 });
}

/** Settings, before signing in: "My own", saved, with a Clara PIN (so that sign-in asks for a refresh token). */
export async function ownDeviceInSettings(page: Page, lang: Lang, pin: string): Promise<void> {
  await page.goto(`/${lang}/settings/`);
  await page.getByRole('radio', { name: PW[lang].ownRadio }).check();
  await page.getByRole('button', { name: PW[lang].saveChoice }).click();
  await setPin(page, lang, pin);
  await expect(page.getByText(PW[lang].statePin)).toBeVisible({ timeout: 15_000 });
}

/** Opens the locked copy on this page with the PIN. */
export async function openWithPin(page: Page, lang: Lang, pin: string): Promise<void> {
  await page.getByRole('textbox', { name: PW[lang].pin, exact: true }).fill(pin);
  await page.getByRole('button', { name: PW[lang].open, exact: true }).click();
}

/**
 * The phone's screen lock, as Chrome's virtual authenticator: a platform
 * authenticator ("internal") that verifies the user and has PRF. It lives
 * in this tab only (the DevTools Protocol adds it per page).
 */
export async function addScreenLock(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      hasPrf: true,
    },
  });
}

/** Is a copy kept on this device (the pre-paint mark, and the vault's meta record)? */
export async function copyKept(page: Page): Promise<{ flag: boolean; meta: boolean }> {
  return page.evaluate(async () => {
    const flag = !!localStorage.getItem('clara.vault');
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes('clara')) return { flag, meta: false };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('clara');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const meta = db.objectStoreNames.contains('meta')
      ? await new Promise<boolean>((resolve) => {
          const request = db.transaction('meta').objectStore('meta').get('vault');
          request.onsuccess = () => resolve(request.result !== undefined);
          request.onerror = () => resolve(false);
        })
      : false;
    db.close();
    return { flag, meta };
  });
}

export interface Tokens {
  access: string;
  refresh: string;
  patient: string;
}

export async function sessionTokens(page: Page): Promise<Tokens> {
  const session = await page.evaluate(
    () =>
      JSON.parse(sessionStorage.getItem('clara.session') ?? '{}') as {
        accessToken?: string;
        refreshToken?: string;
        patientId?: string;
      },
  );
  return { access: session.accessToken ?? '', refresh: session.refreshToken ?? '', patient: session.patientId ?? '' };
}

/**
 * Waits until the page has kept its copy on the phone. The page shows the
 * clinic's data first and then encrypts and writes the copy; a page left at
 * once (as a test does, in a few milliseconds) may not finish. saveCopy marks
 * the copy fresh in this tab once it is written (src/lib/store/saved.ts).
 */
export async function kept(page: Page, name: string): Promise<void> {
  const key = freshKey((await sessionTokens(page)).patient, name);
  await expect
    .poll(() => page.evaluate((k) => sessionStorage.getItem(k) !== null, key), {
      message: `the copy of "${name}" is kept`,
    })
    .toBe(true);
}

export const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** What the sandbox revoked (kind, patient, when, the token's hash). */
export async function revocations(): Promise<{ kind: string; patient: string; tokenSha256: string }[]> {
  const res = await fetch(`${SANDBOX_ORIGIN}/sandbox/revocations`, { headers: { 'X-Sandbox-Secret': SANDBOX_SECRET } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { revocations: { kind: string; patient: string; tokenSha256: string }[] }).revocations;
}

export async function isRevoked(token: string): Promise<boolean> {
  return (await revocations()).some((r) => r.tokenSha256 === sha256(token));
}

/** Waits until the service worker controls the page (the first visit installs it; a reload puts it in charge). */
export async function controlled(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}
