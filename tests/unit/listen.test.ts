/**
 * "Listen" (src/lib/listen.ts): which voice reads each language, the reading
 * speed from Settings, long texts said sentence by sentence, one voice at a
 * time, and Stop.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { pickVoice, readingRate, speak, stopSpeaking } from '../../src/lib/listen.ts';
import { installBrowserGlobals } from './support/browser-globals.ts';

const voice = (lang: string, localService = true, name = lang) =>
  ({ lang, localService, name, default: false, voiceURI: name }) as SpeechSynthesisVoice;

interface Said {
  text: string;
  lang: string;
  rate: number;
  voice: string;
}

/** A speechSynthesis that records what it was asked to say; `finish()` ends what is queued. */
function fakeSpeech() {
  const said: Said[] = [];
  let queue: { onend: (() => void) | null; onerror: (() => void) | null }[] = [];
  let cancels = 0;
  class Utterance {
    voice: SpeechSynthesisVoice | null = null;
    lang = '';
    rate = 1;
    onend: (() => void) | null = null;
    onerror: (() => void) | null = null;
    constructor(readonly text: string) {}
  }
  const g = globalThis as unknown as Record<string, unknown>;
  g['SpeechSynthesisUtterance'] = Utterance;
  g['speechSynthesis'] = {
    speak: (u: Utterance) => {
      said.push({ text: u.text, lang: u.lang, rate: u.rate, voice: u.voice?.name ?? '' });
      queue.push(u);
    },
    cancel: () => {
      cancels++;
      const stopped = queue;
      queue = [];
      for (const u of stopped) u.onerror?.();
    },
  };
  return {
    said,
    cancels: () => cancels,
    finish: () => {
      const done = queue;
      queue = [];
      for (const u of done) u.onend?.();
    },
  };
}

describe('the voice for each language', () => {
  test('a voice on the phone before one from the network, then the preferred region', () => {
    const voices = [voice('es-ES'), voice('es-MX', false), voice('es-US'), voice('en-US'), voice('es_MX')];
    expect(pickVoice(voices, 'es')?.lang).toBe('es_MX');
    expect(pickVoice([voice('es-ES'), voice('es-US')], 'es')?.lang).toBe('es-US');
    expect(pickVoice([voice('es-AR'), voice('es-ES')], 'es')?.lang).toBe('es-ES');
    expect(pickVoice([voice('es-MX', false), voice('es-AR')], 'es')?.lang).toBe('es-AR');
    expect(pickVoice([voice('en-GB'), voice('en-US'), voice('es-US')], 'en')?.lang).toBe('en-US');
  });

  test('no voice for the language: none (the button is not shown)', () => {
    expect(pickVoice([voice('en-US'), voice('fr-FR')], 'es')).toBeUndefined();
    // "est" (Estonian) is not Spanish.
    expect(pickVoice([voice('est')], 'es')).toBeUndefined();
    expect(pickVoice([], 'en')).toBeUndefined();
  });
});

describe('speaking', () => {
  beforeEach(() => installBrowserGlobals());

  test('the reading speed from Settings is the rate', () => {
    expect(readingRate()).toBe(1);
    localStorage.setItem('clara.readingSpeed', 'slower');
    expect(readingRate()).toBe(0.75);
    localStorage.setItem('clara.readingSpeed', 'faster');
    expect(readingRate()).toBe(1.25);
    localStorage.setItem('clara.readingSpeed', 'very fast');
    expect(readingRate()).toBe(1);
  });

  test("sentence by sentence (not at a decimal point), in the voice's language and at the chosen rate; done when the last one ends", () => {
    const speech = fakeSpeech();
    localStorage.setItem('clara.readingSpeed', 'slower');
    let done = 0;
    speak('Your value, 6.4 mmol/L, is high. It can mean… many things!\nCall us?', voice('en-US'), () => done++);
    expect(speech.said).toEqual([
      { text: 'Your value, 6.4 mmol/L, is high.', lang: 'en-US', rate: 0.75, voice: 'en-US' },
      { text: 'It can mean…', lang: 'en-US', rate: 0.75, voice: 'en-US' },
      { text: 'many things!', lang: 'en-US', rate: 0.75, voice: 'en-US' },
      { text: 'Call us?', lang: 'en-US', rate: 0.75, voice: 'en-US' },
    ]);
    expect(done).toBe(0);
    speech.finish();
    expect(done).toBe(1);
  });

  test('one thing at a time: a new Listen stops the one before, which is told it ended', () => {
    const speech = fakeSpeech();
    const ended: string[] = [];
    speak('First.', voice('es-MX'), () => ended.push('first'));
    speak('Second.', voice('es-MX'), () => ended.push('second'));
    expect(ended).toEqual(['first']);
    expect(speech.said.map((s) => s.text)).toEqual(['First.', 'Second.']);
    // The second is still speaking: stopping the first again must not touch it.
    speech.finish();
    expect(ended).toEqual(['first', 'second']);
  });

  test('Stop cancels and ends', () => {
    const speech = fakeSpeech();
    let done = 0;
    speak('A long message. With two sentences.', voice('en-US'), () => done++);
    const before = speech.cancels();
    stopSpeaking();
    expect(speech.cancels()).toBe(before + 1);
    expect(done).toBe(1);
  });

  test('leaving the page stops it', () => {
    const speech = fakeSpeech();
    let done = 0;
    speak('Still talking.', voice('en-US'), () => done++);
    const before = speech.cancels();
    dispatchEvent(new Event('pagehide'));
    expect(speech.cancels()).toBe(before + 1);
    expect(done).toBe(1);
  });
});
