/**
 * One message in a conversation: who wrote it (name and role, or "You
 * wrote"), when, its text and files, and for the patient's own messages where
 * their sending stands. `Pending` is one still in the outbox, below the
 * conversation until the server has it.
 */
import { fill, timeInWords } from '../../lib/i18n/format.ts';
import type { OutboxItem } from '../../lib/messages/outbox.ts';
import { personName } from '../../lib/messages/people-text.ts';
import type { Message } from '../../lib/messages/types.ts';
import { signInHref } from '../../lib/navigation.ts';
import { Listen } from '../shared/LazyListen.tsx';
import type { Props } from './thread-props.ts';
import { FileLink } from './FileLink.tsx';
import { MessageStatus } from './MessageStatus.tsx';
import { MessageText } from './MessageText.tsx';
import { useOutboxItem } from './useOutboxItem.ts';

export function MessageView({
  message,
  props,
  status,
}: {
  message: Message;
  props: Props;
  status?: OutboxItem | undefined;
}) {
  const { strings, lang } = props;
  const who = message.mine
    ? strings['thread.youWrote']
    : fill(strings['thread.from'], { name: personName(message.from, strings) });
  const role =
    !message.mine && message.from.role !== 'you'
      ? (message.from.roleText ?? strings[`role.${message.from.role}`])
      : undefined;
  return (
    <li class={`message${message.mine ? ' message--mine' : ''}`} data-message-id={message.id}>
      <article aria-label={who}>
        <p class="message__who">
          <strong>{who}</strong>
          {role && <span class="message__role">{role}</span>}
        </p>
        {message.sent && <p class="message__time">{timeInWords(lang, message.sent, props.time)}</p>}
        {message.text && <Listen lang={lang} words={props.listen} read={() => `${who}. ${message.text}`} />}
        {message.text && (
          <MessageText text={message.text} clinicHost={props.clinicHost} showAll={strings['thread.showAll']} />
        )}
        {status && (
          <div role="status">
            <MessageStatus
              lang={lang}
              item={status}
              words={strings}
              onRetry={() => undefined}
              signInHref={signInHref(lang)}
            />
          </div>
        )}
        {message.attachments.length > 0 && (
          <>
            <p>
              <strong>{strings['thread.files']}</strong>
            </p>
            <ul class="files">
              {message.attachments.map((file) => (
                <FileLink file={file} props={props} />
              ))}
            </ul>
          </>
        )}
      </article>
    </li>
  );
}

export function Pending({
  item,
  props,
  onRetry,
}: {
  item: OutboxItem;
  props: Props;
  onRetry: (item: OutboxItem) => void;
}) {
  const [current] = useOutboxItem(item);
  const shown = current ?? item;
  return (
    <li class="message message--mine message--pending" data-client-id={shown.clientId}>
      <article aria-label={props.strings['thread.youWrote']}>
        <p class="message__who">
          <strong>{props.strings['thread.youWrote']}</strong>
        </p>
        <MessageText text={shown.text} showAll={props.strings['thread.showAll']} />
        <div role="status">
          <MessageStatus
            lang={props.lang}
            item={shown}
            words={props.strings}
            onRetry={() => onRetry(shown)}
            signInHref={signInHref(props.lang)}
          />
        </div>
      </article>
    </li>
  );
}
