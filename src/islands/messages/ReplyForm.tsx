/**
 * The reply at the bottom of a conversation: the text (kept as a draft by
 * useComposer), the emergency reminder, Send, Discard and "Call me". Sending
 * puts the reply in the outbox first, so it is never lost.
 */
import { useState } from 'preact/hooks';
import type { OutboxItem } from '../../lib/messages/outbox.ts';
import type { Thread } from '../../lib/messages/types.ts';
import type { Props } from './thread-props.ts';
import { Discard } from './Discard.tsx';
import type { Composer } from './useComposer.ts';

export function ReplyForm(props: {
  thread: Thread;
  composer: Composer;
  props: Props;
  /** The reply box, owned by the page: it keeps the focused control on screen as the conversation grows. */
  textarea: { current: HTMLTextAreaElement | null };
  onQueued: (item: OutboxItem) => void;
  announce: (text: string) => void;
}) {
  const { thread, composer, textarea } = props;
  const { strings } = props.props;
  const [error, setError] = useState('');
  const send = async (event: Event) => {
    event.preventDefault();
    if (!composer.text.trim()) {
      setError(strings['compose.empty']);
      textarea.current?.focus();
      return;
    }
    setError('');
    const text = composer.text;
    const promise = composer.send(
      {
        kind: 'reply',
        thread: thread.id,
        ...(thread.lastId ? { inResponseTo: thread.lastId } : {}),
        recipients: thread.replyTo.map((p) => ({ reference: p.reference, ...(p.name ? { display: p.name } : {}) })),
        ...(thread.topic ? { topic: thread.topic } : {}),
        ...(thread.topicCode ? { topicCode: thread.topicCode } : {}),
        text,
      },
      props.onQueued,
    );
    // When it is sent, the conversation is fetched again (the outbox event in Thread.tsx).
    await promise;
  };

  return (
    <form class="composer" onSubmit={send} noValidate>
      <h2 id="reply-heading">{strings['thread.reply']}</h2>
      {composer.restored && (
        <p class="notice notice--ok" role="status">
          {strings['compose.restored']}
        </p>
      )}
      <label for="reply-text" class="label">
        {strings['thread.replyLabel']}
      </label>
      {error && (
        <p id="reply-error" class="field-error" role="alert">
          {error}
        </p>
      )}
      <textarea
        id="reply-text"
        ref={textarea}
        rows={5}
        value={composer.text}
        onInput={(e) => composer.setText((e.target as HTMLTextAreaElement).value)}
        aria-describedby={`reply-emergency${error ? ' reply-error' : ''}`}
        aria-invalid={error ? 'true' : undefined}
        dir="auto"
      />
      <p id="reply-emergency" class="notice notice--note">
        <strong>{strings['compose.emergency']}</strong>
      </p>
      <div class="actions">
        <button type="submit" class="button">
          {strings['compose.send']}
        </button>
        <Discard
          show={composer.text.trim() !== ''}
          words={strings}
          discard={composer.discard}
          announce={props.announce}
          field={textarea}
        />
        <a
          class="button button--secondary"
          href={`${props.props.paths.callMe}?thread=${encodeURIComponent(thread.id)}`}
        >
          {strings['action.callMe']}
        </a>
      </div>
    </form>
  );
}
