/**
 * The inbox: conversations newest first, each with its topic, who it is
 * with, the start of the last message, the time in words and "Unread" in
 * words. Refreshes on open, on returning to the app, and every few minutes
 * (less often after failures); new replies are announced politely.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession, granted } from '../lib/auth/session.ts';
import { fill, plural, timeInWords, type PluralForms, type TimeWords } from '../lib/i18n/format.ts';
import type { Lang } from '../lib/i18n/langs.ts';
import { snippet, unreadIn } from '../lib/messages/inbox.ts';
import { loadThreads } from '../lib/messages/load.ts';
import { withWhom, type PeopleWords } from '../lib/messages/people-text.ts';
import type { Thread } from '../lib/messages/types.ts';
import { newSince, seenIds } from '../lib/store/seen.ts';
import { publishUnread } from '../lib/unread.ts';
import type { CallInfo, ProblemStrings } from '../lib/i18n/problem-words.ts';
import { DataState } from './shared/DataState.tsx';
import { SavedNote, type SavedWords } from './shared/SavedNote.tsx';
import { usePatientData } from './shared/usePatientData.ts';
import { signInHref } from '../lib/navigation.ts';
import type { InboxKeys } from './Inbox.keys.ts';

export type InboxStrings = ProblemStrings & PeopleWords & SavedWords & Record<InboxKeys, string>;

export interface Props {
  lang: Lang;
  strings: InboxStrings;
  time: TimeWords;
  forms: { newReplies: PluralForms };
  threadPath: string;
  call: CallInfo;
}

const POLL_MS = 3 * 60_000;
const MAX_POLL_MS = 15 * 60_000;

interface InboxData {
  threads: Thread[];
}

async function fetchInbox(signal: AbortSignal): Promise<InboxData> {
  return { threads: await loadThreads(signal) };
}

export default function Inbox(props: Props) {
  const { lang, strings } = props;
  const session = getSession();
  const allowed = !session || granted(session, 'Communication', 's');
  const [attempt, setAttempt] = useState(0);
  const again = () => setAttempt((n) => n + 1);
  const [state] = usePatientData<InboxData>({ name: allowed ? 'threads' : undefined, fetch: fetchInbox, attempt });
  const [announcement, setAnnouncement] = useState('');
  const [read, setRead] = useState<Set<string>>(new Set());
  const known = useRef<Set<string> | undefined>(undefined);
  const delay = useRef(POLL_MS);

  // When the connection returns the list is fetched again (unsent messages go then too: see site.ts).
  useEffect(() => {
    if (!session || !allowed) return;
    addEventListener('online', again);
    return () => removeEventListener('online', again);
  }, []);

  // Refresh every few minutes (less often after failures) and when the patient comes back to the app.
  useEffect(() => {
    if (!session || !allowed || state.status === 'loading') return;
    delay.current = state.status === 'ready' && state.stale ? Math.min(delay.current * 2, MAX_POLL_MS) : POLL_MS;
    const timer = setTimeout(again, delay.current);
    const onVisible = () => document.visibilityState === 'visible' && again();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [state]);

  // Unread counts, and new replies said aloud.
  useEffect(() => {
    if (state.status !== 'ready') return;
    void seenIds(state.patientId, 'messages').then((seen) => {
      setRead(seen);
      const unread = state.data.threads.flatMap((t) => unreadIn(t, seen, newSince()));
      if (!state.savedAt) publishUnread(unread.length);
      if (known.current && !state.savedAt) {
        const fresh = unread.filter((m) => !known.current?.has(m.id));
        if (fresh.length) {
          const names = withWhom(lang, [...new Map(fresh.map((m) => [m.from.reference, m.from])).values()], strings);
          setAnnouncement(plural(lang, props.forms.newReplies, fresh.length, { names }));
        }
      }
      if (!state.savedAt) known.current = new Set(state.data.threads.flatMap((t) => t.messages.map((m) => m.id)));
    });
  }, [state]);

  const live = (
    <p role="status" class="visually-hidden" data-announce>
      {announcement}
    </p>
  );
  if (!allowed || state.status !== 'ready')
    return (
      <DataState
        state={allowed ? state : { status: 'not-granted' }}
        lang={lang}
        words={strings}
        loading={strings['inbox.loading']}
        notGranted={strings['inbox.notGranted']}
        call={props.call}
        onRetry={again}
      />
    );

  const saved = state.savedAt ? (
    <SavedNote
      lang={lang}
      savedAt={state.savedAt}
      stale={!!state.stale}
      signedOut={!!state.signedOut}
      words={strings}
      signInHref={signInHref(lang)}
    />
  ) : null;
  const { threads } = state.data;
  if (!threads.length) {
    return (
      <div data-state="empty">
        {live}
        {saved}
        <div class="card">
          <p>{strings['inbox.empty']}</p>
        </div>
      </div>
    );
  }
  return (
    <section aria-labelledby="inbox-heading" data-state="inbox">
      <h2 id="inbox-heading">{strings['inbox.heading']}</h2>
      {live}
      {saved}
      <ul class="thread-list">
        {threads.map((thread) => {
          const last = thread.messages.at(-1);
          const unread = unreadIn(thread, read, newSince()).length > 0;
          const text = last ? snippet(last.text) || strings['inbox.file'] : '';
          return (
            <li class={`thread-row${unread ? ' thread-row--unread' : ''}`} key={thread.id} data-thread-id={thread.id}>
              <a class="thread-row__link" href={`${props.threadPath}?id=${encodeURIComponent(thread.id)}`}>
                <span class="thread-row__topic">{thread.topic || strings['inbox.noTopic']}</span>
                {unread && <span class="badge">{strings['inbox.unread']}</span>}
                <span class="thread-row__with">
                  {fill(strings['inbox.with'], { names: withWhom(lang, thread.with, strings) })}
                </span>
                {last && (
                  <span class="thread-row__snippet" dir="auto">
                    {last.mine ? fill(strings['inbox.youWrote'], { text }) : text}
                  </span>
                )}
                {thread.lastSent && (
                  <span class="thread-row__time">{timeInWords(lang, thread.lastSent, props.time)}</span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
