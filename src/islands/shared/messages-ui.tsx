/** Pieces the message pages share: the text of a message, its sending state, the discard question. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { linkParts } from '../../lib/fhir/links.ts';
import { clockOf, fill } from '../../lib/i18n/format.ts';
import type { Lang } from '../../lib/i18n/langs.ts';
import type { OutboxItem } from '../../lib/messages/outbox.ts';
import { OUTBOX_EVENT } from '../../lib/messages/deliver.ts';

const LONG = 1500;

/** Message text, shown as text: line breaks kept, only the clinic's own https links tappable, long ones folded. */
export function MessageText({ text, clinicHost, showAll }: { text: string; clinicHost?: string | undefined; showAll: string }) {
  const [open, setOpen] = useState(text.length <= LONG);
  const shown = open ? text : `${text.slice(0, LONG - 300).trimEnd()}…`;
  return (
    <div class="message__text">
      <p dir="auto">
        {linkParts(shown, clinicHost).map((part) => ('href' in part ? <a href={part.href} rel="noopener noreferrer">{part.text}</a> : part.text))}
      </p>
      {!open && (
        <button type="button" class="button button--secondary" onClick={() => setOpen(true)}>{showAll}</button>
      )}
    </div>
  );
}

export type StateWords = Record<
  'state.sending' | 'state.sent' | 'state.waiting' | 'state.failed' | 'state.needs-sign-in' |
  'state.refused.too-large' | 'state.refused.invalid' | 'state.refused.not-allowed' | 'state.refused.gone' |
  'tryAgain' | 'signIn',
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
        <button type="button" class="button" onClick={props.onRetry}>{words.tryAgain}</button>
      )}
      {item.state === 'needs-sign-in' && <a class="button" href={props.signInHref}>{words.signIn}</a>}
    </div>
  );
}

/** Follows an outbox item as it is sent (events from deliver.ts). */
export function useOutboxItem(initial: OutboxItem | undefined): [OutboxItem | undefined, (item: OutboxItem | undefined) => void] {
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

/** "Discard this message?" asked in a modal dialog; the safe answer has focus. */
export function DiscardDialog(props: { open: boolean; question: string; yes: string; no: string; onAnswer: (discard: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const noRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      dialog.showModal();
      noRef.current?.focus();
    } else if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="discard-question" onCancel={(e) => { e.preventDefault(); props.onAnswer(false); }}>
      <p id="discard-question"><strong>{props.question}</strong></p>
      <div class="actions">
        <button type="button" class="button button--secondary" ref={noRef} onClick={() => props.onAnswer(false)}>{props.no}</button>
        <button type="button" class="button" onClick={() => props.onAnswer(true)}>{props.yes}</button>
      </div>
    </dialog>
  );
}
