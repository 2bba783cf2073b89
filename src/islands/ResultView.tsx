/**
 * One result, explained like a good nurse would: what the test is, the
 * value, the usual range in words and as a bar, what it can mean, how it
 * changed, what happens next, and the ways to ask or call. This file loads
 * the result and puts the page together; its parts are in result-view/.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession, granted, personKey } from '../lib/auth/session.ts';
import { FhirError } from '../lib/fhir/errors.ts';
import { fill } from '../lib/i18n/format.ts';
import { glossary as loadGlossary } from '../lib/glossary-client.ts';
import type { GlossaryEntry } from '../lib/glossary.ts';
import { nameInTitle } from '../lib/page-title.ts';
import { unfoldWhenPrinting } from '../lib/print-unfold.ts';
import { historyHint, resultDetail, type ResultDetail } from '../lib/results/fetch-detail.ts';
import { direction as directionOf } from '../lib/results/meaning.ts';
import type { Result } from '../lib/results/model.ts';
import { flagTone, resultName, valueText } from '../lib/results/words.ts';
import { markSeen } from '../lib/store/seen.ts';
import { signInHref } from '../lib/navigation.ts';
import { SavedNote } from './shared/SavedNote.tsx';
import { usePatientData } from './shared/usePatientData.ts';
import { FlagBadge } from './shared/Flag.tsx';
import { Listen } from './shared/LazyListen.tsx';
import { DataState } from './shared/DataState.tsx';
import { LazyTrend } from './result-view/LazyTrend.tsx';
import type { Props } from './result-view/props.ts';
import { ValueCard } from './result-view/ValueCard.tsx';

interface Loaded {
  detail: ResultDetail;
  glossary?: GlossaryEntry;
  /** Plain names of a panel's tests (only for a panel). */
  names?: Record<string, string>;
}

export default function ResultView(props: Props) {
  const { lang, strings } = props;
  const session = getSession();
  const id = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('id');
  const allowed = !session || granted(session, 'Observation');
  const [attempt, setAttempt] = useState(0);
  const article = useRef<HTMLElement>(null);
  // The result's history (for its trend), still coming when the result is shown (results/fetch-detail.ts).
  const historyLater = useRef<Promise<Result[]> | undefined>(undefined);
  const shown = useRef<ResultDetail | undefined>(undefined);
  const [state, update] = usePatientData<Loaded>({
    name: id && allowed ? `result.${id}` : undefined,
    reuseFresh: true,
    attempt,
    fetch: async (signal) => {
      // The whole glossary, asked for at once beside the result (it names no test).
      const table = loadGlossary(props.paths.glossary);
      const parts = await resultDetail(id ?? '', signal, historyHint(location.hash));
      if (!parts) throw new FhirError('not-found');
      historyLater.current = parts.history;
      // While the history comes, the trend of the copy on screen (the same result) stays.
      const detail = {
        ...parts.detail,
        history: shown.current?.result.id === parts.detail.result.id ? shown.current.history : [],
      };
      const entries = await table;
      const entry = detail.result.code ? entries[detail.result.code] : undefined;
      // A panel keeps only its own tests' names (in the saved copy too).
      const names = detail.members.length
        ? Object.fromEntries(
            detail.members.flatMap((m) => (m.code && entries[m.code] ? [[m.code, entries[m.code]?.name ?? '']] : [])),
          )
        : undefined;
      return { detail, ...(entry ? { glossary: entry } : {}), ...(names ? { names } : {}) };
    },
  });

  if (state.status === 'ready') shown.current = state.data.detail;

  // The history, once it is in: the trend appears (and the saved copy keeps it).
  useEffect(() => {
    const later = historyLater.current;
    if (state.status !== 'ready' || !later) return;
    historyLater.current = undefined;
    later.then(
      (history) => update((d) => ({ ...d, detail: { ...d.detail, history } })),
      // Not in (offline, refused): the result stands without its trend, as a saved copy without one does.
      () => undefined,
    );
  }, [state]);

  // Opening a result marks it (and a panel's results) as seen.
  useEffect(() => {
    if (state.status === 'ready' && session && !state.signedOut) {
      void markSeen(personKey(session), 'results', [
        state.data.detail.result.id,
        ...state.data.detail.members.map((m) => m.id),
      ]);
    }
  }, [state.status]);

  // Printing shows the tables folded under "Show as a table", then folds them again.
  useEffect(unfoldWhenPrinting, []);

  // The result's name becomes the page's title.
  useEffect(() => {
    if (state.status !== 'ready') return;
    nameInTitle(state.data.glossary?.name ?? state.data.detail.result.labName);
  }, [state]);

  if (!id) {
    return session ? (
      <div data-state="no-result">
        <h1>{strings['view.title']}</h1>
        <p>{strings['view.none.text']}</p>
        <p>
          <a class="button" href={props.paths.results}>
            {strings['view.back']}
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
        loading={strings['view.loading']}
        notGranted={strings['list.notGranted']}
        call={props.call}
        onRetry={() => setAttempt((n) => n + 1)}
        title={strings['view.title']}
        back={{ href: props.paths.results, label: strings['view.back'] }}
        focus
      />
    );

  const { detail, glossary } = state.data;
  const { result } = detail;
  const name = glossary?.name ?? result.labName;
  const flag = result.flag;
  const tone = flagTone(flag);
  const direction = directionOf(flag);
  const explanation = direction ? glossary?.[direction] : undefined;
  const status =
    result.status === 'preliminary' || result.status === 'corrected' || result.status === 'cancelled'
      ? result.status
      : undefined;

  return (
    <article class="result-view" data-state="result" data-flag={flag ?? 'none'} ref={article}>
      <h1 data-listen>{name}</h1>
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
      {/* Reads the parts marked data-listen: the value in a sentence, and what it means. */}
      <Listen lang={lang} words={props.listen} read={() => article.current} />
      {result.labName && result.labName !== name && (
        <p class="muted">{fill(strings['view.labName'], { name: result.labName })}</p>
      )}
      {status && (
        <p class="notice notice--note">
          <strong>{strings[`status.${status}`]}</strong>
        </p>
      )}

      {tone === 'critical' && (
        <div class="notice notice--alert" role="alert">
          <p data-listen>
            <strong>{strings['view.meaning.critical']}</strong>
          </p>
          <a class="button" href={props.call.href}>
            {strings['call.label']}: {props.call.number}
          </a>
        </div>
      )}

      <ValueCard result={result} props={props} />

      <section aria-labelledby="measures">
        <h2 id="measures" data-listen>
          {strings['view.measures']}
        </h2>
        <p data-listen>{glossary?.what ?? strings['view.unknownTest']}</p>
        {explanation && (
          <>
            <h3 data-listen>
              {
                strings[
                  direction === 'high' ? 'view.highMeans' : direction === 'low' ? 'view.lowMeans' : 'view.abnormalMeans'
                ]
              }
            </h3>
            <p data-listen>{explanation}</p>
          </>
        )}
      </section>

      {detail.members.length > 0 && (
        <section aria-labelledby="members">
          <h2 id="members">{strings['view.panelMembers']}</h2>
          <ul class="result-list">
            {detail.members.map((m) => (
              <li class="result-row" key={m.id}>
                <a class="result-row__link" href={`${props.paths.view}?id=${encodeURIComponent(m.id)}`}>
                  <span class="result-row__name">{resultName(m, state.data.names ?? {})}</span>
                  <span class="result-row__value">{valueText(lang, m.value, strings)}</span>
                  {m.flag && <FlagBadge flag={m.flag} words={strings} />}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}

      {result.notes.length > 0 && (
        <section aria-labelledby="notes">
          <h2 id="notes">{strings['view.notes']}</h2>
          {result.notes.map((note) => (
            <p class="note-text">{note}</p>
          ))}
        </section>
      )}

      {detail.history.length > 1 && <LazyTrend detail={detail} name={name} props={props} />}

      <section aria-labelledby="next">
        <h2 id="next">{strings['view.next']}</h2>
        <p>{props.next}</p>
      </section>

      <div class="actions no-print">
        <a class="button" href={`${props.paths.ask}?result=${encodeURIComponent(result.id)}`}>
          {strings['view.ask']}
        </a>
        <a class="button button--secondary" href={`${props.paths.callMe}?result=${encodeURIComponent(result.id)}`}>
          {strings['view.callMe']}
        </a>
        <a class="call-link" href={props.call.href}>
          <span class="call-link__text">
            {strings['call.label']}
            <span class="visually-hidden">:</span> <span class="call-link__number">{props.call.number}</span>
          </span>
        </a>
        <button type="button" class="button button--secondary" onClick={() => print()}>
          {strings['view.print']}
        </button>
        <a class="button button--secondary" href={props.paths.results}>
          {strings['view.back']}
        </a>
      </div>
    </article>
  );
}
