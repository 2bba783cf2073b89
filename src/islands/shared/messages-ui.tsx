/** Pieces the message pages share: the text of a message, its sending state, the discard question. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { linkParts } from '../../lib/fhir/links.ts';
import { clockOf, fill } from '../../lib/i18n/format.ts';
import type { Lang } from '../../lib/i18n/langs.ts';
import type { OutboxItem } from '../../lib/messages/outbox.ts';
import { OUTBOX_EVENT } from '../../lib/messages/outbox-mark.ts';

const LONG = 1500;

/** Message text, shown as text: line breaks kept, only the clinic's own https links tappable, long ones folded. */
export function MessageText({
  text,
  clinicHost,
  showAll,
}: {
  text: string;
  clinicHost?: string | undefined;
  showAll: string;
}) {
  const [open, setOpen] = useState(text.length <= LONG);
  const shown = open ? text : `${text.slice(0, LONG - 300).trimEnd()}…`;
  return (
    <div class="message__text">
      <p dir="auto">
        {linkParts(shown, clinicHost).map((part) =>
          'href' in part ? (
            <a href={part.href} rel="noopener noreferrer">
              {part.text}
            </a>
          ) : (
            part.text
          ),
        )}
      </p>
      {!open && (
        <button type="button" class="button button--secondary" onClick={() => setOpen(true)}>
          {showAll}
        </button>
      )}
    </div>
  );
}

export type StateWords = Record<
  | 'state.sending'
  | 'state.sent'
  | 'state.waiting'
  | 'state.failed'
  | 'state.needs-sign-in'
  | 'state.refused.too-large'
  | 'state.refused.invalid'
  | 'state.refused.not-allowed'
  | 'state.refused.gone'
  | 'tryAgain'
  | 'signIn',
  string
>;

/** The words for where a message stands; "Sent" only after the clinic's server said so. */
export function stateText(lang: Lang, item: OutboxItem, words: StateWords): string {
  switch (item.state) {
    case 'sending':
      return words['state.sending'];
    case 'sent':
      return fill(words['state.sent'], { time: clockOf(lang, item.sentAt ?? item.createdAt) });
    case 'waiting':
      return words['state.waiting'];
    case 'failed':
      return navigator.onLine === false ? words['state.waiting'] : words['state.failed'];
    case 'needs-sign-in':
      return words['state.needs-sign-in'];
    case 'refused':
      return words[`state.refused.${item.reason ?? 'invalid'}`];
  }
}

export function MessageStatus(props: {
  lang: Lang;
  item: OutboxItem;
  words: StateWords;
  onRetry: () => void;
  signInHref: string;
}) {
  const { item, words } = props;
  const tone = item.state === 'sent' ? 'ok' : item.state === 'refused' || item.state === 'failed' ? 'alert' : 'note';
  return (
    <div class={`message-state notice notice--${tone}`} data-message-state={item.state}>
      <p>
        <strong>{stateText(props.lang, item, words)}</strong>
      </p>
      {(item.state === 'failed' || item.state === 'waiting') && (
        <button type="button" class="button" onClick={props.onRetry}>
          {words.tryAgain}
        </button>
      )}
      {item.state === 'needs-sign-in' && (
        <a class="button" href={props.signInHref}>
          {words.signIn}
        </a>
      )}
    </div>
  );
}

/** Follows an outbox item as it is sent (events from deliver.ts). */
export function useOutboxItem(
  initial: OutboxItem | undefined,
): [OutboxItem | undefined, (item: OutboxItem | undefined) => void] {
  const [item, setItem] = useState(initial);
  const current = useRef(item);
  current.current = item;
  useEffect(() => {
    const listener = (event: Event) => {
      const next = (event as CustomEvent<OutboxItem>).detail;
      if (next.clientId === current.current?.clientId) setItem(next);
    };
    addEventListener(OUTBOX_EVENT, listener);
    return () => removeEventListener(OUTBOX_EVENT, listener);
  }, []);
  return [item, setItem];
}

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
