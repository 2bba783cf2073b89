/**
 * "Listen": the page reads a result or a message aloud with the browser's own
 * voices (Web Speech API). Clara sends nothing anywhere for it.
 *
 * - A voice is chosen for the page's language: one on the phone itself
 *   first (it works without a signal; a voice "from the network" needs one),
 *   then by region, the Spanish of Mexico and the US before Spain's.
 * - One thing speaks at a time: a new Listen stops the one before, and
 *   leaving the page stops it.
 * - It speaks only when tapped.
 * - Long texts are said sentence by sentence: some voices stop by
 *   themselves after about fifteen seconds of one utterance.
 *
 * The button (src/islands/shared/Listen.tsx) loads this module only when
 * it is first tapped: a result and a conversation are Clara's largest pages
 * (see README, "Benchmark"), and most visits never use it.
 */
import type { Lang } from './i18n/langs.ts';
import { prefKey } from './storage-keys.ts';

/** Regions in the order Clara prefers them; any other region of the language comes after. */
const REGIONS: Record<Lang, string[]> = {
  en: ['en-us', 'en-ca', 'en-gb'],
  es: ['es-mx', 'es-us', 'es-419', 'es-es'],
};

/** Does this voice speak `lang` (any region)? */
export function speaks(voice: SpeechSynthesisVoice, lang: Lang): boolean {
  return new RegExp(`^${lang}([-_]|$)`, 'i').test(voice.lang);
}

/** The voice that reads `lang` best, or none (then Listen is not offered). */
export function pickVoice(voices: readonly SpeechSynthesisVoice[], lang: Lang): SpeechSynthesisVoice | undefined {
  const rank = (voice: SpeechSynthesisVoice) => {
    const region = REGIONS[lang].indexOf(voice.lang.replace('_', '-').toLowerCase());
    return (voice.localService ? 0 : 10) + (region < 0 ? 5 : region);
  };
  return voices.filter((voice) => speaks(voice, lang)).sort((a, b) => rank(a) - rank(b))[0];
}

/** The reading speed chosen in Settings (src/lib/prefs.ts, `readingSpeed`), as the utterance's rate. */
export function readingRate(): number {
  try {
    return { slower: 0.75, faster: 1.25 }[localStorage.getItem(prefKey('readingSpeed')) as 'slower'] ?? 1;
  } catch {
    return 1;
  }
}

/** The words of `root`'s parts marked `data-listen`, in order, each ending like a sentence. */
export function textOf(root: Element | null): string {
  return [...(root?.querySelectorAll<HTMLElement>('[data-listen]') ?? [])]
    .map((el) => el.innerText.trim().replace(/[^.!?:…]$/, '$&.'))
    .join(' ');
}

/** Ends what is being said now (its button goes back to "Listen"). */
let finish: (() => void) | undefined;

export function stopSpeaking(): void {
  finish?.();
  speechSynthesis.cancel();
}

/**
 * Says `what` (a text, or an element's parts marked `data-listen`), after
 * stopping anything else; `onDone` when it ends or is stopped.
 */
export function speak(what: string | Element | null, voice: SpeechSynthesisVoice, onDone: () => void): void {
  const text = typeof what === 'string' ? what : textOf(what);
  stopSpeaking();
  // Once, however it ends: the last sentence said, Stop, an error, or another Listen.
  let ended = false;
  const done = () => {
    if (ended) return;
    ended = true;
    if (finish === done) finish = undefined;
    onDone();
  };
  finish = done;
  addEventListener('pagehide', stopSpeaking);
  // A sentence ends at . ! ? or … before a space, or at a line break (never inside "6.4").
  const parts = text
    .split(/(?<=[.!?…])\s+|\n+/)
    .map((part) => part.trim())
    .filter(Boolean);
  parts.forEach((part, i) => {
    const utterance = new SpeechSynthesisUtterance(part);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = readingRate();
    // Being stopped, or failing, ends it too.
    utterance.onerror = done;
    if (i === parts.length - 1) utterance.onend = done;
    speechSynthesis.speak(utterance);
  });
  if (!parts.length) done();
}
