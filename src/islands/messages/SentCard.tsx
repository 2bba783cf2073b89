/**
 * What the new-message page shows once a message is in the outbox: the
 * message, where its sending stands (followed live), and where to go next.
 * It takes the focus, so the patient hears it.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { OutboxItem } from '../../lib/messages/outbox.ts';
import { sending } from '../../lib/messages/sending.ts';
import { signInHref } from '../../lib/navigation.ts';
import type { Props } from './compose-props.ts';
import { MessageStatus } from './MessageStatus.tsx';
import { MessageText } from './MessageText.tsx';

export function SentCard({
  props,
  sent,
  setSent,
}: {
  props: Props;
  sent: OutboxItem;
  setSent: (item: OutboxItem) => void;
}) {
  const { lang, mode, strings } = props;
  const statusRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    statusRef.current?.focus();
  }, [sent.clientId]);
  return (
    <div class="card" data-state="sent" tabIndex={-1} ref={statusRef} aria-labelledby="sent-heading">
      <h2 id="sent-heading">{strings['sent.heading']}</h2>
      <MessageText text={sent.text} showAll={strings['thread.showAll']} />
      <div role="status">
        <MessageStatus
          lang={lang}
          item={sent}
          words={strings}
          onRetry={() =>
            void sending()
              .then((m) => m.deliver(sent))
              .then(setSent)
          }
          signInHref={signInHref(lang)}
        />
        {sent.state === 'sent' && mode === 'callback' && <p>{strings['callMe.sent']}</p>}
      </div>
      <div class="actions">
        {sent.state === 'sent' && sent.serverId && (
          <a class="button" href={`${props.paths.thread}?id=${encodeURIComponent(sent.serverId)}`}>
            {strings['sent.goToThread']}
          </a>
        )}
        <a class="button button--secondary" href={props.paths.messages}>
          {strings['sent.another']}
        </a>
      </div>
    </div>
  );
}
