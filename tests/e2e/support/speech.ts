/**
 * A stand-in for the browser's speech (Web Speech API), installed before any
 * page script runs: `window.speechSynthesis` and `SpeechSynthesisUtterance`
 * are replaced by fakes that record every `speak` (text, lang, voice, rate)
 * and `cancel` in sessionStorage, so the record survives moving to another
 * page. Voices arrive a moment after the page loads, with `voiceschanged`,
 * as in Chrome. With `voices: null` the browser has no speech at all.
 */
import type { Page } from '@playwright/test';

export interface FakeVoice {
  lang: string;
  name: string;
  localService?: boolean;
}

export type SpeechCall =
  { call: 'speak'; text: string; lang: string; voice: string | null; rate: number } | { call: 'cancel' };

const LOG = 'test.speech';

export async function fakeSpeech(page: Page, voices: FakeVoice[] | null): Promise<void> {
  await page.addInitScript(
    ({ voices, log }) => {
      const w = window as unknown as Record<string, unknown>;
      if (voices === null) {
        delete w['speechSynthesis'];
        delete w['SpeechSynthesisUtterance'];
        return;
      }
      const record = (entry: unknown) => {
        const all = JSON.parse(sessionStorage.getItem(log) ?? '[]') as unknown[];
        sessionStorage.setItem(log, JSON.stringify([...all, entry]));
      };
      class Utterance {
        lang = '';
        rate = 1;
        voice: { name: string } | null = null;
        onend: ((event: unknown) => void) | null = null;
        onerror: ((event: unknown) => void) | null = null;
        constructor(readonly text: string) {}
      }
      const list = voices.map((v) => ({
        default: false,
        localService: v.localService ?? true,
        name: v.name,
        lang: v.lang,
        voiceURI: v.name,
      }));
      let ready = false;
      let queue: Utterance[] = [];
      const synth = Object.assign(new EventTarget(), {
        getVoices: () => (ready ? list : []),
        speak: (u: Utterance) => {
          record({ call: 'speak', text: u.text, lang: u.lang, voice: u.voice?.name ?? null, rate: u.rate });
          queue.push(u);
        },
        cancel: () => {
          record({ call: 'cancel' });
          const stopped = queue;
          queue = [];
          for (const u of stopped) u.onerror?.({ error: 'canceled' });
        },
        /** Test only: everything queued has been said. */
        finishAll: () => {
          const said = queue;
          queue = [];
          for (const u of said) u.onend?.({});
        },
      });
      Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
      w['SpeechSynthesisUtterance'] = Utterance;
      setTimeout(() => {
        ready = true;
        synth.dispatchEvent(new Event('voiceschanged'));
      }, 200);
    },
    { voices, log: LOG },
  );
}

/** Everything asked of the speech so far, in this tab. */
export async function speechCalls(page: Page): Promise<SpeechCall[]> {
  return page.evaluate((log) => JSON.parse(sessionStorage.getItem(log) ?? '[]') as SpeechCall[], LOG);
}

/** What was asked to be said (not the empty utterance that opens speech inside a tap). */
export async function said(page: Page): Promise<Extract<SpeechCall, { call: 'speak' }>[]> {
  return (await speechCalls(page)).filter(
    (c): c is Extract<SpeechCall, { call: 'speak' }> => c.call === 'speak' && c.text !== '',
  );
}

/** The voice finishes everything it was asked to say. */
export async function finishSpeaking(page: Page): Promise<void> {
  await page.evaluate(() => (window.speechSynthesis as unknown as { finishAll: () => void }).finishAll());
}

/** Voices of a usual phone: English and Spanish on the phone, Spain's Spanish too. */
export const PHONE_VOICES: FakeVoice[] = [
  { lang: 'en-US', name: 'English (United States)' },
  { lang: 'es-ES', name: 'Español (España)' },
  { lang: 'es-MX', name: 'Español (México)' },
  { lang: 'es-US', name: 'Español (Estados Unidos) en línea', localService: false },
];
