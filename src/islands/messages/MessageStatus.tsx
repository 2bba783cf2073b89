/** Where one of the patient's messages stands (sending, sent, waiting, refused…), in words, with what to do next. */
import { clockOf, fill } from '../../lib/i18n/format.ts';
import type { Lang } from '../../lib/i18n/langs.ts';
import type { OutboxItem } from '../../lib/messages/outbox.ts';

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
  | 'action.signIn',
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
          {words['action.signIn']}
        </a>
      )}
    </div>
  );
}
