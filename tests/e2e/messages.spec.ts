/**
 * Secure messages as a patient uses them, in both languages, with axe in
 * every state (composing, sending, sent, failed, offline): read, reply, a
 * clinician answers, a new message, a call-back request; the clinic's side
 * holds each exactly once. Also: a cut reply and a retry, a refusal, drafts,
 * Discard, and hostile text shown as harmless text.
 */
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './support/test.ts';
import { expectAxeClean } from './support/axe.ts';
import { expectNoHorizontalOverflow } from './support/layout.ts';
import { clinicMessages, signIn, staffReply, type Lang } from './support/clara.ts';

const PATIENT: Record<Lang, string> = { en: 'Tommy Friesen', es: 'Luis Miguel Delarosa' };

const T = {
  en: {
    unread: 'Unread',
    youWrote: 'You wrote',
    replyLabel: 'Your reply',
    send: 'Send',
    sent: /^Sent at \d{1,2}:\d{2}/,
    sending: 'Sending…',
    failed: 'Could not send. Your message is saved. Try again',
    waiting: 'Not sent yet — we will send it when you are back online',
    tooLarge: "The clinic's system did not take this message because it is too long.",
    tryAgain: 'Try again',
    newMessage: 'New message',
    appointments: 'Appointments',
    message: 'Your message',
    goToThread: 'Go to the conversation',
    callMe: 'Please call me instead',
    phone: 'Phone number',
    morning: 'Morning',
    askCall: 'Ask for a call back',
    callSent: 'We have your request. Someone from the clinic will call you.',
    newReply: /^1 new reply from /,
    restored: 'We kept what you were writing.',
    discard: 'Discard',
    keep: 'No, keep it',
    yesDiscard: 'Yes, discard it',
    discarded: 'The message was discarded.',
    empty: 'You have no messages yet.',
    notGranted: 'You did not allow Clara to see your messages.',
    showAll: 'Read the whole message',
    emergency: 'This is not for emergencies. Call 911.',
    messagesDenied: 'Read and send messages with your care team',
  },
  es: {
    unread: 'Sin leer',
    youWrote: 'Usted escribió',
    replyLabel: 'Su respuesta',
    send: 'Enviar',
    sent: /^Enviado: \d{1,2}:\d{2}/,
    sending: 'Enviando…',
    failed: 'No se pudo enviar. Su mensaje está guardado. Intente de nuevo',
    waiting: 'Todavía no se envió: lo enviaremos cuando vuelva a tener conexión',
    tooLarge: 'El sistema de la clínica no aceptó este mensaje porque es demasiado largo.',
    tryAgain: 'Intentar de nuevo',
    newMessage: 'Mensaje nuevo',
    appointments: 'Citas',
    message: 'Su mensaje',
    goToThread: 'Ir a la conversación',
    callMe: 'Pedir que me llamen',
    phone: 'Número de teléfono',
    morning: 'En la mañana',
    askCall: 'Pedir que me llamen',
    callSent: 'Recibimos su solicitud. Alguien de la clínica le va a llamar.',
    newReply: /^1 respuesta nueva de /,
    restored: 'Guardamos lo que estaba escribiendo.',
    discard: 'Borrar',
    keep: 'No, seguir escribiendo',
    yesDiscard: 'Sí, borrarlo',
    discarded: 'Se borró el mensaje.',
    empty: 'Todavía no tiene mensajes.',
    notGranted: 'Usted no le permitió a Clara ver sus mensajes.',
    showAll: 'Leer el mensaje completo',
    emergency: 'Esto no es para emergencias. Llame al 911.',
    messagesDenied: 'Leer y enviar mensajes a su equipo de atención',
  },
} as const;

async function openInbox(
  page: Page,
  lang: Lang,
  patient = PATIENT[lang],
  options: { deny?: string[] } = {},
): Promise<void> {
  await signIn(page, lang, patient, {
    from: `/${lang}/sign-in/?return=%2F${lang}%2Fmessages%2F`,
    axe: false,
    ...options,
  });
  await expect(page).toHaveURL(`/${lang}/messages/`);
}

async function openNewestThread(page: Page): Promise<string> {
  await page.locator('.thread-row a').first().click();
  await expect(page.locator('[data-state="thread"]')).toBeVisible();
  return new URL(page.url()).searchParams.get('id') ?? '';
}

/** In the newest conversation, replies without a connection; returns the text, now "Not sent yet" (the connection stays off). */
async function replyOffline(page: Page, context: BrowserContext, lang: Lang, prefix: string): Promise<string> {
  await openInbox(page, lang);
  await openNewestThread(page);
  const text = `${prefix} ${randomUUID().slice(0, 8)}`;
  await page.getByLabel(T[lang].replyLabel).fill(text);
  await context.setOffline(true);
  await page.getByRole('button', { name: T[lang].send, exact: true }).click();
  await expect(messageState(page)).toContainText(T[lang].waiting);
  return text;
}

const messageState = (page: Page) => page.locator('[data-message-state]').last();

for (const lang of ['en', 'es'] as const) {
  test.describe(`messages (${lang})`, () => {
    test('read, reply, a clinician answers, write anew, ask for a call back: the clinic holds each once @xl', async ({
      page,
    }) => {
      // Five pages, three sends and axe at every step: about 16 s on a quiet machine, over 30 s on a busy one.
      test.slow();
      const tag = randomUUID().slice(0, 8);
      await openInbox(page, lang);
      await expect(page.locator('.thread-row').first()).toBeVisible();
      await expect(page.getByText(T[lang].unread).first()).toBeVisible();
      await expectAxeClean(page, 'inbox');

      const threadId = await openNewestThread(page);
      await expect(page.getByText(T[lang].youWrote).first()).toBeVisible();
      await expectAxeClean(page, 'conversation');

      // Reply.
      const reply = `Reply ${tag}: thank you.`;
      await page.getByLabel(T[lang].replyLabel).fill(reply);
      await expect(page.getByText(T[lang].emergency)).toBeVisible();
      await expectAxeClean(page, 'composing a reply');
      await page.getByRole('button', { name: T[lang].send, exact: true }).click();
      await expect(page.locator('.message').filter({ hasText: reply })).toBeVisible();
      await expect(messageState(page)).toContainText(T[lang].sent);
      await expectAxeClean(page, 'reply sent');

      // A clinician answers; the page notices when the patient comes back to it.
      const answer = `Staff answer ${tag}`;
      await staffReply(PATIENT[lang], answer, threadId);
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await expect(page.locator('.message').filter({ hasText: answer })).toBeVisible();
      await expect(page.locator('[data-announce]')).toHaveText(T[lang].newReply);

      // A new message.
      await page.goto(`/${lang}/messages/new/`);
      await page.getByRole('radio', { name: T[lang].appointments }).check();
      const fresh = `New message ${tag}`;
      await page.getByLabel(T[lang].message).fill(fresh);
      await expectAxeClean(page, 'composing a new message');
      await page.getByRole('button', { name: T[lang].send, exact: true }).click();
      await expect(page.locator('[data-state="sent"]')).toBeFocused();
      await expect(page.locator('[data-message-state]')).toContainText(T[lang].sent);
      await expectAxeClean(page, 'new message sent');
      await page.getByRole('link', { name: T[lang].goToThread }).click();
      await expect(page.locator('.message').filter({ hasText: fresh })).toBeVisible();

      // A call back.
      await page.goto(`/${lang}/messages/`);
      await page.getByRole('link', { name: T[lang].callMe }).click();
      await expect(page.getByLabel(T[lang].phone)).toHaveValue(/\d{3}.\d{3}.\d{4}/);
      await page.getByRole('checkbox', { name: T[lang].morning }).check();
      await page.getByLabel(/leave this empty|en blanco/).fill(`Call note ${tag}`);
      await expectAxeClean(page, 'call-back request');
      await page.getByRole('button', { name: T[lang].askCall }).click();
      await expect(page.getByText(T[lang].callSent)).toBeVisible();

      // The clinic's side: exactly these, each once.
      const held = await clinicMessages(PATIENT[lang]);
      const count = (text: string) =>
        held.filter((m) => m.payload?.some((p) => p.contentString?.includes(text))).length;
      expect(count(reply)).toBe(1);
      expect(count(answer)).toBe(1);
      expect(count(fresh)).toBe(1);
      expect(count(`Call note ${tag}`)).toBe(1);
      const callback = held.find((m) => m.payload?.some((p) => p.contentString?.includes(`Call note ${tag}`)));
      expect(callback?.category?.[0]?.coding?.[0]).toMatchObject({
        system: 'http://clara-portal.org/fhir/CodeSystem/message-topic',
        code: 'callback',
      });
      const mine = held.find((m) => m.payload?.some((p) => p.contentString === reply));
      expect(mine?.identifier?.[0]?.value).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(mine?.partOf?.[0]?.reference).toBe(`Communication/${threadId}`);
      expect(mine?.inResponseTo?.[0]?.reference).toMatch(/^Communication\//);
    });

    test('the reply is cut after the server got it: "Could not send", Try again, and still one copy @xl', async ({
      page,
    }) => {
      const tag = randomUUID().slice(0, 8);
      await openInbox(page, lang);
      await openNewestThread(page);
      let cut = true;
      await page.route('**/fhir/R4/Communication', async (route) => {
        if (route.request().method() !== 'POST' || !cut) return route.fallback();
        cut = false;
        await route.fetch();
        await route.abort('connectionreset');
      });
      const text = `Cut reply ${tag}`;
      await page.getByLabel(T[lang].replyLabel).fill(text);
      await page.getByRole('button', { name: T[lang].send, exact: true }).click();
      await expect(messageState(page)).toContainText(T[lang].failed);
      await expect(page.locator('.message').filter({ hasText: text })).toBeVisible();
      await expectAxeClean(page, 'send failed');
      await page.getByRole('button', { name: T[lang].tryAgain }).click();
      await expect(messageState(page)).toContainText(T[lang].sent);
      const held = (await clinicMessages(PATIENT[lang])).filter((m) =>
        m.payload?.some((p) => p.contentString === text),
      );
      expect(held).toHaveLength(1);
      test.info().annotations.push({
        type: 'idempotency',
        description: `sandbox holds ${held.length} copy of "${text}" with identifier ${held[0]?.identifier?.[0]?.value}`,
      });
    });

    test('written offline: "Not sent yet", then sent once when the connection returns @xl', async ({
      page,
      context,
    }) => {
      const text = await replyOffline(page, context, lang, 'Offline reply');
      await expectAxeClean(page, 'offline, not sent yet');
      await context.setOffline(false);
      await expect(messageState(page)).toContainText(T[lang].sent, { timeout: 15_000 });
      const held = (await clinicMessages(PATIENT[lang])).filter((m) =>
        m.payload?.some((p) => p.contentString === text),
      );
      expect(held).toHaveLength(1);
    });

    test('a message left waiting goes out the next time Clara starts, from any page', async ({ page, context }) => {
      const text = await replyOffline(page, context, lang, 'Left waiting');
      // The patient leaves before the signal returns; later Clara opens on another page.
      await page.goto('about:blank');
      await context.setOffline(false);
      await page.goto(`/${lang}/help/`);
      await expect
        .poll(
          async () =>
            (await clinicMessages(PATIENT[lang])).filter((m) => m.payload?.some((p) => p.contentString === text))
              .length,
          { timeout: 15_000 },
        )
        .toBe(1);
    });

    test('while sending, it says so; a refusal keeps the text and says what to do @xl', async ({ page }) => {
      await openInbox(page, lang);
      await openNewestThread(page);
      let answer: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (answer = resolve));
      await page.route('**/fhir/R4/Communication', async (route) => {
        if (route.request().method() !== 'POST') return route.fallback();
        await held;
        await route.fulfill({
          status: 413,
          json: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'too-long' }] },
        });
      });
      const text = `Refused ${randomUUID().slice(0, 8)}`;
      await page.getByLabel(T[lang].replyLabel).fill(text);
      await page.getByRole('button', { name: T[lang].send, exact: true }).click();
      await expect(messageState(page)).toContainText(T[lang].sending);
      await expectAxeClean(page, 'sending');
      answer();
      await expect(messageState(page)).toContainText(T[lang].tooLarge);
      await expect(page.locator('.message--pending').filter({ hasText: text })).toBeVisible();
      await expectAxeClean(page, 'send refused');
    });

    test('a draft survives a reload; Discard asks first', async ({ page }) => {
      await openInbox(page, lang);
      await page.goto(`/${lang}/messages/new/`);
      const box = page.getByLabel(T[lang].message);
      await box.fill('Half a thought about my pills');
      await page.waitForTimeout(600);
      await page.reload();
      await expect(page.getByLabel(T[lang].message)).toHaveValue('Half a thought about my pills');
      await expect(page.getByText(T[lang].restored)).toBeVisible();
      const discard = page.getByRole('button', { name: T[lang].discard, exact: true });
      await discard.click();
      const dialog = page.getByRole('dialog');
      await expect(dialog).toBeVisible();
      await expect(dialog.getByRole('button', { name: T[lang].keep })).toBeFocused();
      await expectAxeClean(page, 'discard question');
      await dialog.getByRole('button', { name: T[lang].keep }).click();
      await expect(page.getByLabel(T[lang].message)).toHaveValue('Half a thought about my pills');
      await expect(discard).toBeFocused();
      await discard.click();
      await page.getByRole('dialog').getByRole('button', { name: T[lang].yesDiscard }).click();
      await expect(page.getByLabel(T[lang].message)).toHaveValue('');
      await expect(page.getByLabel(T[lang].message)).toBeFocused();
      await page.reload();
      await expect(page.getByLabel(T[lang].message)).toHaveValue('');
    });

    test('no messages yet: said plainly, with the way to write one', async ({ page }) => {
      await openInbox(page, lang, 'Rosa Elena Gutiérrez');
      await expect(page.locator('[data-state="empty"]')).toContainText(T[lang].empty);
      await expect(page.getByRole('link', { name: T[lang].newMessage })).toBeVisible();
      await expectAxeClean(page, 'empty inbox');
    });

    test('messages not allowed: the page says so', async ({ page }) => {
      await openInbox(page, lang, PATIENT[lang], { deny: [T[lang].messagesDenied] });
      await expect(page.locator('[data-state="not-granted"]')).toContainText(T[lang].notGranted);
      await expectAxeClean(page, 'messages not granted');
    });
  });
}

test('a hostile message is shown as harmless text @xl', async ({ page }) => {
  const tag = randomUUID().slice(0, 8);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await openInbox(page, 'en', 'Neva Hyatt');
  const threadId = await openNewestThread(page);
  const hostile = [
    `Hostile ${tag} <script>window.__pwned = 1; alert(1)</script>`,
    '<img src=x onerror="window.__pwned = 2">',
    '<a href="javascript:alert(3)">click me</a> javascript:alert(4)',
    'Our forms: https://riverbend-clinic.example.org/forms and a trap: https://evil.example/login',
    'Right-to-left override: \u202Egnp.exe\u202C and control \u0007 chars',
    'x'.repeat(100_000),
  ].join('\n');
  await staffReply('Neva Hyatt', hostile, threadId);
  await page.reload();
  const message = page.locator('.message').filter({ hasText: `Hostile ${tag}` });
  await expect(message).toBeVisible();
  await expect(message).toContainText('<script>window.__pwned = 1; alert(1)</script>');
  await expect(message.locator('script, img')).toHaveCount(0);
  // Only the clinic's own https link is a link.
  const links = message.locator('a');
  await expect(links).toHaveCount(1);
  await expect(links.first()).toHaveAttribute('href', 'https://riverbend-clinic.example.org/forms');
  await expect(message).not.toContainText('\u202E');
  // 100 KB of text is folded, and never makes the page scroll sideways.
  await expect(message.getByRole('button', { name: T.en.showAll })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await message.getByRole('button', { name: T.en.showAll }).click();
  await expectNoHorizontalOverflow(page);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toBe(0);
  await expectAxeClean(page, 'hostile message');
});

test('unread messages show on Home and in the navigation, and reading clears them', async ({ page }) => {
  await signIn(page, 'es', 'Catalina Cantú', { axe: false });
  await expect(page.getByText(/^Tiene \d+ mensajes? sin leer\.$/)).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: /Mensajes/ });
  await expect(nav).toContainText(/\d+ sin leer/);
  await page.goto('/es/messages/');
  await expect(page.locator('[data-state="inbox"]')).toBeVisible();
  const rows = page.locator('.thread-row--unread a');
  const unread = await rows.count();
  expect(unread).toBeGreaterThan(0);
  for (let i = 0; i < unread; i++) {
    await page.goto('/es/messages/');
    await expect(page.locator('[data-state="inbox"]')).toBeVisible();
    const count = await nav.textContent();
    await page.locator('.thread-row--unread a').first().click();
    await expect(page.locator('[data-state="thread"]')).toBeVisible();
    // Reading marks it read, in the kept copy, a moment after it shows: the navigation's count says when.
    await expect(nav).not.toHaveText(count ?? '');
  }
  await page.goto('/es/messages/');
  await expect(page.locator('[data-state="inbox"]')).toBeVisible();
  await expect(page.locator('.thread-row--unread')).toHaveCount(0);
  await expect(nav).not.toContainText('sin leer');
  // The file in María's message is listed with its size and opened only when asked.
  await page.locator('.thread-row a').filter({ hasText: 'A1c' }).first().click();
  const file = page.getByRole('button', { name: /^Abrir Consejos para su azúcar\.txt \(0[.,]\d kB\)$/ });
  await expect(file).toBeVisible();
  const download = page.waitForEvent('download');
  await file.click();
  expect((await download).suggestedFilename()).toBe('Consejos para su azúcar.txt');
  await expectAxeClean(page, 'conversation with a file');
});

test('"Please call me instead" from a result names the result', async ({ page }) => {
  await signIn(page, 'en', 'Margaret Olsen', { from: '/en/sign-in/?return=%2Fen%2Fresults%2F', axe: false });
  await page
    .locator('.result-row a')
    .filter({ has: page.locator('[data-flag="critical-high"]') })
    .first()
    .click();
  const id = new URL(page.url()).searchParams.get('id');
  await page.getByRole('link', { name: T.en.callMe }).click();
  await expect(page).toHaveURL(`/en/messages/call-me/?result=${id}`);
  await expect(page.locator('[data-about-result]')).toContainText('Potassium');
  await expectAxeClean(page, 'call back about a result');
});
