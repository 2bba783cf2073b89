/** The "Discard" button of a message being written, and the question it asks first. */
import { useEffect, useRef, useState } from 'preact/hooks';

export type DiscardWords = Record<
  'compose.discard' | 'compose.discardQuestion' | 'compose.discardYes' | 'compose.discardNo' | 'compose.discarded',
  string
>;

/**
 * A composer's "Discard" button (shown while there is something to lose) and
 * its question, "Discard this message?", asked in a modal dialog where the
 * safe answer has focus. Yes: `discard` runs, the patient hears so and is back in the
 * text box (`field`); no, or Escape: back on the Discard button.
 */
export function Discard(props: {
  show: boolean;
  words: DiscardWords;
  discard: () => Promise<void>;
  announce: (text: string) => void;
  field: { current: HTMLTextAreaElement | null };
}) {
  const { words } = props;
  const [asking, setAsking] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const ref = useRef<HTMLDialogElement>(null);
  const noRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (asking && !dialog.open) {
      dialog.showModal();
      noRef.current?.focus();
    } else if (!asking && dialog.open) dialog.close();
  }, [asking]);
  const answer = (yes: boolean) => {
    setAsking(false);
    if (yes) {
      void props.discard().then(() => {
        props.announce(words['compose.discarded']);
        props.field.current?.focus();
      });
    } else button.current?.focus();
  };
  return (
    <>
      {props.show && (
        <button type="button" class="button button--secondary" ref={button} onClick={() => setAsking(true)}>
          {words['compose.discard']}
        </button>
      )}
      <dialog
        ref={ref}
        class="dialog"
        aria-labelledby="discard-question"
        onCancel={(e) => {
          e.preventDefault();
          answer(false);
        }}
      >
        <p id="discard-question">
          <strong>{words['compose.discardQuestion']}</strong>
        </p>
        <div class="actions">
          <button type="button" class="button button--secondary" ref={noRef} onClick={() => answer(false)}>
            {words['compose.discardNo']}
          </button>
          <button type="button" class="button" onClick={() => answer(true)}>
            {words['compose.discardYes']}
          </button>
        </div>
      </dialog>
    </>
  );
}
