/**
 * One conversation: messages in order, each with who wrote it (name and
 * role), when, and whether it is the patient's own (in words and by
 * position); files listed and fetched only when tapped; a reply at the
 * bottom that is never lost. Reading marks the conversation read; new
 * replies are fetched now and then and announced politely.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession, granted, personKey } from '../lib/auth/session.ts';
import { FhirError } from '../lib/fhir/errors.ts';
import { fill, plural } from '../lib/i18n/format.ts';
import { markRead } from '../lib/mark-read.ts';
import { loadThread } from '../lib/messages/load.ts';
import { OUTBOX_EVENT, outboxMayWait } from '../lib/messages/outbox-mark.ts';
import { listItems, type OutboxItem } from '../lib/messages/outbox.ts';
import { withWhom } from '../lib/messages/people-text.ts';
import { sending } from '../lib/messages/sending.ts';
import type { Thread as ThreadModel } from '../lib/messages/types.ts';
import { signInHref } from '../lib/navigation.ts';
import { MessageView, Pending } from './messages/MessageItem.tsx';
import { useComposer } from './messages/useComposer.ts';
import { DataState } from './shared/DataState.tsx';
import { SavedNote } from './shared/SavedNote.tsx';
import { usePatientData } from './shared/usePatientData.ts';
import type { Props } from './messages/thread-props.ts';

const POLL_MS = 2 * 60_000;
const MAX_POLL_MS = 15 * 60_000;
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
      const thread = await loadThread(id ?? '', signal);
      if (!thread) throw new FhirError('not-found');
      return thread;
    },
  });
  /** This page's own messages in the outbox (waiting, sending, sent). */
  const [mine, setMine] = useState<OutboxItem[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const known = useRef<Set<string> | undefined>(undefined);
  const delay = useRef(POLL_MS);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const composer = useComposer(session ? personKey(session) : undefined, `thread.${id ?? ''}`);
  const refresh = () => setAttempt((n) => n + 1);
  // The reply box loads once the conversation is on screen: the conversation is what the patient came for, and
  // on one bar of signal its code would otherwise arrive before the messages (the page's budget, issue 16).
  const [Reply, setReply] = useState<typeof import('./messages/ReplyForm.tsx').ReplyForm>();
  const shown = state.status === 'ready';
  useEffect(() => {
    // A failed load (the connection dropped) is tried again with the next refresh (the connection's return).
    if (shown && session && !Reply)
      import('./messages/ReplyForm.tsx').then(
        (m) => setReply(() => m.ReplyForm),
        () => undefined,
      );
  }, [shown, attempt]);

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
    // Reading the conversation marks it read, and the navigation's count follows.
    void markRead(personKey(session), thread.messages);
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
  if (!allowed || state.status !== 'ready')
    return (
      <DataState
        state={allowed ? state : { status: 'not-granted' }}
        lang={lang}
        words={strings}
        loading={strings['thread.loading']}
        notGranted={strings['inbox.notGranted']}
        call={props.call}
        onRetry={refresh}
        title={strings['thread.title']}
        back={{ href: props.paths.messages, label: strings['thread.back'] }}
      />
    );

  const thread = state.data;
  const retry = (item: OutboxItem) => void sending().then((m) => m.deliver(item));
  // A message already in the conversation shows its "Sent at …" there, never twice.
  const onServer = new Set(thread.messages.map((m) => m.clientId).filter(Boolean));
  const delivered = new Map(mine.filter((i) => onServer.has(i.clientId)).map((i) => [i.clientId, i]));
  const pending = mine.filter((i) => !onServer.has(i.clientId));

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

      {session && Reply && (
        <Reply
          thread={thread}
          composer={composer}
          props={props}
          textarea={textarea}
          onQueued={(queued) => setMine((list) => [...list, queued])}
          announce={setAnnouncement}
        />
      )}
    </div>
  );
}
