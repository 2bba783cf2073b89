/**
 * The "Listen" button. While it speaks, the same button says "Stop". It
 * changes its words rather than being a toggle with aria-pressed: a toggle
 * must keep one name ("Listen, pressed" would not match the "Stop" a sighted
 * user reads), and the name must hold the visible words (WCAG 2.5.3).
 * Screen readers say the new name of the focused button; nothing else is
 * announced (the voice itself is the feedback; a live region would say it
 * twice). Shown only when the browser has a voice for the page's language;
 * it never speaks by itself.
 *
 * What speaks (src/lib/listen.ts) is loaded on the first tap, so pages carry
 * only this button.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../lib/i18n/langs.ts';

type Speech = typeof import('../../lib/listen.ts');

export interface ListenWords {
  listen: string;
  stop: string;
}

let speech: Speech | undefined;

/** Is there a voice for `lang`? (The same test as `speaks()` in listen.ts, without loading it.) */
const hasVoice = (lang: Lang) =>
  !!self.speechSynthesis?.getVoices().some((voice) => new RegExp(`^${lang}([-_]|$)`, 'i').test(voice.lang));

/**
 * `read` gives what to say: a text, or an element whose parts marked
 * `data-listen` are read in order (see `textOf()` in listen.ts).
 */
export function Listen({ lang, words, read }: { lang: Lang; words: ListenWords; read: () => string | Element | null }) {
  const [shown, setShown] = useState(() => hasVoice(lang));
  const [speaking, setSpeaking] = useState(false);
  /** Still wanted when the speech code arrives (not stopped meanwhile). */
  const wanted = useRef(false);

  // Voices arrive after the page loads, and can change.
  useEffect(() => {
    const update = () => setShown(hasVoice(lang));
    self.speechSynthesis?.addEventListener('voiceschanged', update);
    update();
    return () => self.speechSynthesis?.removeEventListener('voiceschanged', update);
  }, []);

  const toggle = () => {
    wanted.current = !speaking;
    setSpeaking(!speaking);
    if (speaking) return speech?.stopSpeaking();
    // Safari on the iPhone speaks later only if speech began inside a tap:
    // an empty utterance now, while the code is on its way the first time.
    if (!speech) speechSynthesis.speak(new SpeechSynthesisUtterance(''));
    const done = () => setSpeaking((wanted.current = false));
    import('../../lib/listen.ts').then((loaded) => {
      speech = loaded;
      const voice = loaded.pickVoice(speechSynthesis.getVoices(), lang);
      if (!wanted.current) return;
      if (voice) loaded.speak(read(), voice, done);
      else done();
    }, done);
  };

  return shown ? (
    <button type="button" class="button button--secondary no-print" onClick={toggle}>
      <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d={speaking ? 'M7 7h10v10H7z' : 'M4 9h4l5-4v14l-5-4H4zm12.5-.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12'} />
      </svg>
      <span>{speaking ? words.stop : words.listen}</span>
    </button>
  ) : null;
}
