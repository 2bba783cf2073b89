/**
 * One conversation: messages in order, each with who wrote it (name and
 * role), when, and whether it is the patient's own (in words and by
 * position); files listed and fetched only when tapped; a reply at the
 * bottom that is never lost. Reading marks the conversation read; new
 * replies are fetched now and then and announced politely.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession, granted } from '../lib/auth/session.ts';
import { configureFhir, fhirRequest, resolveUrl, type FhirResource } from '../lib/fhir/client.ts';
import { FhirError } from '../lib/fhir/errors.ts';
import { loadThread } from '../lib/fhir/messages-api.ts';
import type { Attachment, Message, Thread as ThreadModel } from '../lib/fhir/messages.ts';
import { fill, formatSize, plural, timeInWords, type PluralForms, type TimeWords } from '../lib/i18n/format.ts';
import type { Lang } from '../lib/i18n/langs.ts';
import { deliver, flushOutbox, sendWhenOnline } from '../lib/messages/deliver.ts';
import { listItems, type OutboxItem } from '../lib/messages/outbox.ts';
import { signInHref } from '../lib/navigation.ts';
import { smartSettings } from '../lib/settings.ts';
import { markSeen, seenIds } from '../lib/store/seen.ts';
import { personName, withWhom, type PeopleWords } from './Inbox.tsx';
import { DiscardDialog, MessageStatus, MessageText, publishUnread, useOutboxItem, type StateWords } from './shared/messages-ui.tsx';
import { Problem, type CallInfo, type ProblemStrings } from './shared/Problem.tsx';
import { useComposer } from './shared/useComposer.ts';

type Keys =
  | 'thread.loading' | 'thread.youWrote' | 'thread.from' | 'thread.files' | 'thread.open' | 'thread.cannotOpen' | 'thread.fileFailed'
  | 'thread.showAll' | 'thread.reply' | 'thread.replyLabel' | 'thread.none' | 'thread.notFound' | 'thread.title' | 'thread.back'
  | 'inbox.with' | 'inbox.noTopic' | 'inbox.notGranted' | 'compose.emergency' | 'compose.send' | 'compose.discard' | 'compose.discardQuestion'
  | 'compose.discardYes' | 'compose.discardNo' | 'compose.discarded' | 'compose.restored' | 'compose.empty' | 'action.callMe' | 'next.sign-in';

export type ThreadStrings = ProblemStrings & PeopleWords & StateWords & Record<Keys, string>;

interface Props {
  lang: Lang;
  strings: ThreadStrings;
  time: TimeWords;
  forms: { newReplies: PluralForms };
  paths: { messages: string; callMe: string };
  clinicHost?: string;
  call: CallInfo;
}

type State =
  | { status: 'loading' }
  | { status: 'none' }
  | { status: 'not-granted' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; thread: ThreadModel };

const POLL_MS = 2 * 60_000;

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
    return <li>{file.title} — {props.strings['thread.cannotOpen']}</li>;
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
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
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
      <button type="button" class="button button--secondary" onClick={open}>{label}</button>
      {problem && <p role="alert">{problem}</p>}
    </li>
  );
}

function MessageView({ message, props, status }: { message: Message; props: Props; status?: OutboxItem | undefined }) {
  const { strings, lang } = props;
  const who = message.mine ? strings['thread.youWrote'] : fill(strings['thread.from'], { name: personName(message.from, strings) });
  const role = !message.mine && message.from.role !== 'you' ? message.from.roleText ?? strings[`role.${message.from.role}`] : undefined;
  return (
    <li class={`message${message.mine ? ' message--mine' : ''}`} data-message-id={message.id}>
      <article aria-label={who}>
        <p class="message__who">
          <strong>{who}</strong>
          {role && <span class="message__role">{role}</span>}
        </p>
        {message.sent && <p class="message__time">{timeInWords(lang, message.sent, props.time)}</p>}
        {message.text && <MessageText text={message.text} clinicHost={props.clinicHost} showAll={strings['thread.showAll']} />}
        {status && (
          <div role="status">
            <MessageStatus lang={lang} item={status} words={strings} onRetry={() => undefined} signInHref={signInHref(lang)} />
          </div>
        )}
        {message.attachments.length > 0 && (
          <>
            <p><strong>{strings['thread.files']}</strong></p>
            <ul class="files">
              {message.attachments.map((file) => <FileLink file={file} props={props} />)}
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
        <p class="message__who"><strong>{props.strings['thread.youWrote']}</strong></p>
        <MessageText text={shown.text} showAll={props.strings['thread.showAll']} />
        <div role="status">
          <MessageStatus lang={props.lang} item={shown} words={props.strings} onRetry={() => onRetry(shown)} signInHref={signInHref(props.lang)} />
        </div>
      </article>
    </li>
  );
}

export default function Thread(props: Props) {
  const { lang, strings } = props;
  const session = getSession();
  const id = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('id');
  const [state, setState] = useState<State>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState<OutboxItem[]>([]);
  const [delivered, setDelivered] = useState<Map<string, OutboxItem>>(new Map());
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState('');
  const [asking, setAsking] = useState(false);
  const known = useRef<Set<string> | undefined>(undefined);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const discardButton = useRef<HTMLButtonElement>(null);
  const composer = useComposer(session?.patientId, `thread.${id ?? ''}`);
  const refreshRef = useRef<() => Promise<void>>(async () => undefined);

  useEffect(() => {
    configureFhir(smartSettings);
    if (!session) return;
    if (!id) {
      setState({ status: 'none' });
      return;
    }
    if (!granted(session, 'Communication', 'r')) {
      setState({ status: 'not-granted' });
      return;
    }
    sendWhenOnline();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = POLL_MS;
    let controller = new AbortController();
    const refresh = async (firstTime = false) => {
      controller.abort();
      controller = new AbortController();
      try {
        const thread = await loadThread(id, controller.signal);
        if (!thread) {
          setState({ status: 'failed', error: new FhirError('not-found') });
          return;
        }
        const fresh = known.current ? thread.messages.filter((m) => !m.mine && !known.current?.has(m.id)) : [];
        if (fresh.length) {
          const names = withWhom(lang, [...new Map(fresh.map((m) => [m.from.reference, m.from])).values()], strings);
          setAnnouncement(plural(lang, props.forms.newReplies, fresh.length, { names }));
        }
        known.current = new Set(thread.messages.map((m) => m.id));
        // Reading the conversation marks it read, and the navigation's count follows.
        const before = seenIds(session.patientId, 'messages');
        const newlyRead = thread.messages.filter((m) => !m.mine && !before.has(m.id));
        markSeen(session.patientId, 'messages', newlyRead.map((m) => m.id));
        const stored = sessionStorage.getItem('clara.unread');
        if (stored !== null && newlyRead.length) publishUnread(Math.max(0, Number(stored) - newlyRead.length));
        const items = (await listItems(session.patientId)).filter((i) => i.thread === id);
        const onServer = new Set(thread.messages.map((m) => m.clientId).filter(Boolean));
        // What this page sent shows "Sent at …" under the server's copy; the rest waits in the outbox.
        setDelivered(new Map(items.filter((i) => i.state === 'sent' && onServer.has(i.clientId)).map((i) => [i.clientId, i])));
        setPending(items.filter((i) => !(i.state === 'sent' && onServer.has(i.clientId))));
        setState({ status: 'ready', thread });
        delay = POLL_MS;
      } catch (e) {
        if (controller.signal.aborted) return;
        delay = Math.min(delay * 2, 15 * 60_000);
        if (firstTime) setState({ status: 'failed', error: e });
      }
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), delay);
    };
    refreshRef.current = () => refresh();
    void refresh(true);
    void flushOutbox();
    const onVisible = () => document.visibilityState === 'visible' && void refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [attempt]);

  // The conversation's topic is the page's title.
  useEffect(() => {
    if (state.status === 'ready') document.title = document.title.replace(/^[^—]+—/, `${state.thread.topic || strings['inbox.noTopic']} —`);
  }, [state]);

  if (typeof window === 'undefined') return null;
  if (state.status === 'loading') return <p role="status" class="notice">{strings['thread.loading']}</p>;
  if (state.status === 'none') {
    return (
      <div data-state="no-thread">
        <h1>{strings['thread.title']}</h1>
        <p>{strings['thread.none']}</p>
        <p><a class="button" href={props.paths.messages}>{strings['thread.back']}</a></p>
      </div>
    );
  }
  if (state.status === 'not-granted') {
    return (
      <div class="notice notice--note" data-state="not-granted">
        <h1>{strings['thread.title']}</h1>
        <p><strong>{strings['inbox.notGranted']}</strong></p>
        <p>{strings['next.sign-in']}</p>
      </div>
    );
  }
  if (state.status === 'failed') {
    return (
      <div>
        <h1>{strings['thread.title']}</h1>
        <Problem lang={lang} error={state.error} strings={strings} call={props.call} onRetry={() => setAttempt((n) => n + 1)} />
        <p><a class="button button--secondary" href={props.paths.messages}>{strings['thread.back']}</a></p>
      </div>
    );
  }

  const { thread } = state;
  const retry = (item: OutboxItem) => void deliver(item).then(() => refreshRef.current());
  const send = async (event: Event) => {
    event.preventDefault();
    if (!composer.text.trim()) {
      setError(strings['compose.empty']);
      textarea.current?.focus();
      return;
    }
    setError('');
    const text = composer.text;
    const promise = composer.send({
      kind: 'reply',
      thread: thread.id,
      ...(thread.lastId ? { inResponseTo: thread.lastId } : {}),
      recipients: thread.replyTo.map((p) => ({ reference: p.reference, ...(p.name ? { display: p.name } : {}) })),
      ...(thread.topic ? { topic: thread.topic } : {}),
      ...(thread.topicCode ? { topicCode: thread.topicCode } : {}),
      text,
    });
    const item = await promise;
    setPending((list) => [...list.filter((i) => i.clientId !== item.clientId), item]);
    if (item.state === 'sent') await refreshRef.current();
  };

  return (
    <div data-state="thread">
      <h1>{thread.topic || strings['inbox.noTopic']}</h1>
      <p class="muted">{fill(strings['inbox.with'], { names: withWhom(lang, thread.with, strings) })}</p>
      <p role="status" class="visually-hidden" data-announce>{announcement}</p>
      <ol class="message-list">
        {thread.messages.map((m) => <MessageView key={m.id} message={m} props={props} status={m.clientId ? delivered.get(m.clientId) : undefined} />)}
        {pending.map((item) => <Pending key={item.clientId} item={item} props={props} onRetry={retry} />)}
      </ol>

      <form class="composer" onSubmit={send} noValidate>
        <h2 id="reply-heading">{strings['thread.reply']}</h2>
        {composer.restored && <p class="notice notice--ok" role="status">{strings['compose.restored']}</p>}
        <label for="reply-text" class="label">{strings['thread.replyLabel']}</label>
        {error && <p id="reply-error" class="field-error" role="alert">{error}</p>}
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
        <p id="reply-emergency" class="notice notice--note"><strong>{strings['compose.emergency']}</strong></p>
        <div class="actions">
          <button type="submit" class="button">{strings['compose.send']}</button>
          {composer.text.trim() && (
            <button type="button" class="button button--secondary" ref={discardButton} onClick={() => setAsking(true)}>{strings['compose.discard']}</button>
          )}
          <a class="button button--secondary" href={`${props.paths.callMe}?thread=${encodeURIComponent(thread.id)}`}>{strings['action.callMe']}</a>
        </div>
      </form>
      <DiscardDialog
        open={asking}
        question={strings['compose.discardQuestion']}
        yes={strings['compose.discardYes']}
        no={strings['compose.discardNo']}
        onAnswer={(yes) => {
          setAsking(false);
          if (yes) {
            void composer.discard().then(() => {
              setAnnouncement(strings['compose.discarded']);
              textarea.current?.focus();
            });
          } else discardButton.current?.focus();
        }}
      />
    </div>
  );
}
