/**
 * One conversation: messages in order, each with who wrote it (name and
 * role), when, and whether it is the patient's own (in words and by
 * position); files listed and fetched only when tapped; a reply at the
 * bottom that is never lost. Reading marks the conversation read; new
 * replies are fetched now and then and announced politely.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession, granted, personKey } from '../lib/auth/session.ts';
import { configureFhir, fhirRequest, resolveUrl, type FhirResource } from '../lib/fhir/client.ts';
import { blobType } from '../lib/fhir/attachment-type.ts';
import { FhirError } from '../lib/fhir/errors.ts';
import { loadThread } from '../lib/fhir/messages-api.ts';
import type { Attachment, Message, Thread as ThreadModel } from '../lib/fhir/messages.ts';
import { fill, formatSize, plural, timeInWords, type PluralForms, type TimeWords } from '../lib/i18n/format.ts';
import type { Lang } from '../lib/i18n/langs.ts';
import { OUTBOX_EVENT, outboxMayWait } from '../lib/messages/outbox-mark.ts';
import { sending } from '../lib/messages/sending.ts';
import { listItems, type OutboxItem } from '../lib/messages/outbox.ts';
import { signInHref } from '../lib/navigation.ts';
import { smartSettings } from '../lib/settings.ts';
import { markSeen, seenIds } from '../lib/store/seen.ts';
import { personName, withWhom, type PeopleWords } from '../lib/people-text.ts';
import { publishUnread } from '../lib/unread.ts';
import { Listen, type ListenWords } from './shared/LazyListen.tsx';
import { Discard, MessageStatus, MessageText, useOutboxItem, type StateWords } from './shared/messages-ui.tsx';
import type { CallInfo, ProblemStrings } from './shared/Problem.tsx';
import { Problem } from './shared/LazyProblem.tsx';
import { SavedNote, type SavedWords } from './shared/SavedNote.tsx';
import { useComposer } from './shared/useComposer.ts';
import { usePatientData } from './shared/usePatientData.ts';

type Keys =
  | 'thread.loading'
  | 'thread.youWrote'
  | 'thread.from'
  | 'thread.files'
  | 'thread.open'
  | 'thread.cannotOpen'
  | 'thread.fileFailed'
  | 'thread.showAll'
  | 'thread.reply'
  | 'thread.replyLabel'
  | 'thread.none'
  | 'thread.notFound'
  | 'thread.title'
  | 'thread.back'
  | 'inbox.with'
  | 'inbox.noTopic'
  | 'inbox.notGranted'
  | 'compose.emergency'
  | 'compose.send'
  | 'compose.discard'
  | 'compose.discardQuestion'
  | 'compose.discardYes'
  | 'compose.discardNo'
  | 'compose.discarded'
  | 'compose.restored'
  | 'compose.empty'
  | 'action.callMe'
  | 'next.sign-in';

export type ThreadStrings = ProblemStrings & PeopleWords & StateWords & SavedWords & Record<Keys, string>;

export interface Props {
  lang: Lang;
  strings: ThreadStrings;
  time: TimeWords;
  forms: { newReplies: PluralForms };
  paths: { messages: string; callMe: string };
  clinicHost?: string;
  call: CallInfo;
  listen: ListenWords;
}

const POLL_MS = 2 * 60_000;
const MAX_POLL_MS = 15 * 60_000;

function FileLink({ file, props }: { file: Attachment; props: Props }) {
  const [problem, setProblem] = useState('');
  const size = typeof file.size === 'number' ? formatSize(props.lang, file.size) : '';
  const label = size ? fill(props.strings['thread.open'], { name: file.title, size }) : file.title;
  const session = getSession();
  let fhirUrl: string | undefined;
  try {
    fhirUrl = file.url && session ? resolveUrl(session.fhirBaseUrl, file.url) : undefined;
  } catch {
    fhirUrl = undefined;
  }
  if (!file.data && !fhirUrl) {
    return (
      <li>
        {file.title} — {props.strings['thread.cannotOpen']}
      </li>
    );
  }
  // Fetched only now, when the patient asks for it.
  const open = async () => {
    setProblem('');
    try {
      let bytes: Uint8Array;
      let type = file.contentType;
      if (file.data) bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
      else {
        const { body } = await fhirRequest<FhirResource & { data?: string; contentType?: string }>(fhirUrl as string);
        bytes = Uint8Array.from(atob(String(body.data ?? '')), (c) => c.charCodeAt(0));
        type = String(body.contentType ?? type);
      }
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: blobType(type) }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.title;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      setProblem(props.strings['thread.fileFailed']);
    }
  };
  return (
    <li>
      <button type="button" class="button button--secondary" onClick={open}>
        {label}
      </button>
      {problem && <p role="alert">{problem}</p>}
    </li>
  );
}

function MessageView({ message, props, status }: { message: Message; props: Props; status?: OutboxItem | undefined }) {
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

function Pending({ item, props, onRetry }: { item: OutboxItem; props: Props; onRetry: (item: OutboxItem) => void }) {
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

export default function Thread(props: Props) {
  const { lang, strings } = props;
  const session = getSession();
  const id = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('id');
  const allowed = !session || granted(session, 'Communication', 'r');
  const [attempt, setAttempt] = useState(0);
  const [state] = usePatientData<ThreadModel>({
    name: id && allowed ? `thread.${id}` : undefined,
    attempt,
    fetch: async (signal) => {
      configureFhir(smartSettings);
      const thread = await loadThread(id ?? '', signal);
      if (!thread) throw new FhirError('not-found');
      return thread;
    },
  });
  /** This page's own messages in the outbox (waiting, sending, sent). */
  const [mine, setMine] = useState<OutboxItem[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState('');
  const known = useRef<Set<string> | undefined>(undefined);
  const delay = useRef(POLL_MS);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const composer = useComposer(session ? personKey(session) : undefined, `thread.${id ?? ''}`);
  const refresh = () => setAttempt((n) => n + 1);

  useEffect(() => {
    if (!session || !allowed) return;
    void sending().then((m) => {
      m.sendWhenOnline();
      if (outboxMayWait()) void m.flushOutbox();
    });
  }, []);

  // Fetched again every few minutes (less often after failures) and when the patient comes back.
  useEffect(() => {
    if (!session || !allowed || state.status === 'loading' || state.status === 'failed') return;
    delay.current = state.status === 'ready' && state.stale ? Math.min(delay.current * 2, MAX_POLL_MS) : POLL_MS;
    const timer = setTimeout(refresh, delay.current);
    const onVisible = () => document.visibilityState === 'visible' && refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [state]);

  // What came in from the clinic: read (marked), and announced if new.
  useEffect(() => {
    if (state.status !== 'ready' || !session || state.savedAt) return;
    const thread = state.data;
    document.title = document.title.replace(/^[^—]+—/, `${thread.topic || strings['inbox.noTopic']} —`);
    const fresh = known.current ? thread.messages.filter((m) => !m.mine && !known.current?.has(m.id)) : [];
    if (fresh.length) {
      const names = withWhom(lang, [...new Map(fresh.map((m) => [m.from.reference, m.from])).values()], strings);
      setAnnouncement(plural(lang, props.forms.newReplies, fresh.length, { names }));
    }
    known.current = new Set(thread.messages.map((m) => m.id));
    void (async () => {
      // Reading the conversation marks it read, and the navigation's count follows.
      const before = await seenIds(personKey(session), 'messages');
      const newlyRead = thread.messages.filter((m) => !m.mine && !before.has(m.id));
      await markSeen(
        personKey(session),
        'messages',
        newlyRead.map((m) => m.id),
      );
      const stored = sessionStorage.getItem('clara.unread');
      if (stored !== null && newlyRead.length) publishUnread(Math.max(0, Number(stored) - newlyRead.length));
    })();
  }, [state]);

  // This page's own messages: waiting ones below the conversation (also offline), sent ones under the server's copy.
  useEffect(() => {
    if (state.status !== 'ready' || !session) return;
    const thread = state.data;
    void listItems(personKey(session)).then((all) => setMine(all.filter((i) => i.thread === thread.id)));
  }, [state]);

  // A reply joins the conversation above the box, which moves down: the control that has the focus (Send) stays on the screen.
  useEffect(() => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && textarea.current?.form?.contains(active))
      active.scrollIntoView({ block: 'nearest' });
  }, [mine, state]);

  // When a waiting message goes out, or the connection returns, fetch the conversation again.
  useEffect(() => {
    if (!session || !id) return;
    const onSent = (event: Event) => {
      const item = (event as CustomEvent<OutboxItem>).detail;
      if (item.thread === id && item.state === 'sent') refresh();
    };
    addEventListener(OUTBOX_EVENT, onSent);
    addEventListener('online', refresh);
    return () => {
      removeEventListener(OUTBOX_EVENT, onSent);
      removeEventListener('online', refresh);
    };
  }, []);

  if (!id) {
    return session ? (
      <div data-state="no-thread">
        <h1>{strings['thread.title']}</h1>
        <p>{strings['thread.none']}</p>
        <p>
          <a class="button" href={props.paths.messages}>
            {strings['thread.back']}
          </a>
        </p>
      </div>
    ) : null;
  }
  if (!allowed) {
    return (
      <div class="notice notice--note" data-state="not-granted">
        <h1>{strings['thread.title']}</h1>
        <p>
          <strong>{strings['inbox.notGranted']}</strong>
        </p>
        <p>{strings['next.sign-in']}</p>
      </div>
    );
  }
  if (state.status === 'loading')
    return session ? (
      <p role="status" class="notice">
        {strings['thread.loading']}
      </p>
    ) : null;
  if (state.status === 'failed') {
    if (!session) return null;
    return (
      <div>
        <h1>{strings['thread.title']}</h1>
        <Problem lang={lang} error={state.error} strings={strings} call={props.call} onRetry={refresh} />
        <p>
          <a class="button button--secondary" href={props.paths.messages}>
            {strings['thread.back']}
          </a>
        </p>
      </div>
    );
  }

  const thread = state.data;
  const retry = (item: OutboxItem) => void sending().then((m) => m.deliver(item));
  // A message already in the conversation shows its "Sent at …" there, never twice.
  const onServer = new Set(thread.messages.map((m) => m.clientId).filter(Boolean));
  const delivered = new Map(mine.filter((i) => onServer.has(i.clientId)).map((i) => [i.clientId, i]));
  const pending = mine.filter((i) => !onServer.has(i.clientId));
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
      (queued) => setMine((list) => [...list, queued]),
    );
    // When it is sent, the conversation is fetched again (the outbox event above).
    await promise;
  };

  return (
    <div data-state="thread">
      <h1>{thread.topic || strings['inbox.noTopic']}</h1>
      {state.savedAt && (
        <SavedNote
          lang={lang}
          savedAt={state.savedAt}
          stale={!!state.stale}
          signedOut={!!state.signedOut}
          words={strings}
          signInHref={signInHref(lang)}
        />
      )}
      <p class="muted">{fill(strings['inbox.with'], { names: withWhom(lang, thread.with, strings) })}</p>
      <p role="status" class="visually-hidden" data-announce>
        {announcement}
      </p>
      <ol class="message-list">
        {thread.messages.map((m) => (
          <MessageView
            key={m.id}
            message={m}
            props={props}
            status={m.clientId ? delivered.get(m.clientId) : undefined}
          />
        ))}
        {pending.map((item) => (
          <Pending key={item.clientId} item={item} props={props} onRetry={retry} />
        ))}
      </ol>

      {session && (
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
              announce={setAnnouncement}
              field={textarea}
            />
            <a class="button button--secondary" href={`${props.paths.callMe}?thread=${encodeURIComponent(thread.id)}`}>
              {strings['action.callMe']}
            </a>
          </div>
        </form>
      )}
    </div>
  );
}
