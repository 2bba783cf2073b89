/**
 * The results list: newest first, grouped by day and by panel, vital signs
 * in their own section, each row with the plain name, value and unit, the
 * flag in words and shape, the date, and "New" for what was not opened yet.
 * Older results page in on request.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession, granted, personKey } from '../lib/auth/session.ts';
import { groupResults } from '../lib/results/group-by-day.ts';
import { keepNewest, patientContext, resultsPage, type ResultsListData } from '../lib/results/fetch-list.ts';
import { sameTestTokens } from '../lib/results/loinc.ts';
import type { Result } from '../lib/results/model.ts';
import { capitalize, formatDate, plural, type PluralForms } from '../lib/i18n/format.ts';
import type { Lang } from '../lib/i18n/langs.ts';
import { resultName, valueText, type ResultWords } from '../lib/results/words.ts';
import { newSince, seenIds } from '../lib/store/seen.ts';
import { signInHref } from '../lib/navigation.ts';
import { FlagBadge } from './shared/Flag.tsx';
import type { CallInfo, ProblemStrings } from '../lib/i18n/problem-words.ts';
import { DataState } from './shared/DataState.tsx';
import { Problem } from './shared/LazyProblem.tsx';
import { SavedNote, type SavedWords } from './shared/SavedNote.tsx';
import { usePatientData } from './shared/usePatientData.ts';
import type { ListKeys } from './ResultsList.keys.ts';

export type ResultsListStrings = ProblemStrings & ResultWords & SavedWords & Record<ListKeys, string>;

export interface Props {
  lang: Lang;
  timeZone: string;
  strings: ResultsListStrings;
  forms: { moreLoaded: PluralForms };
  /** Plain names by canonical LOINC code (the glossary). */
  names: Record<string, string>;
  viewPath: string;
  call: CallInfo;
}

type ListData = ResultsListData;

async function firstPage(signal: AbortSignal): Promise<ListData> {
  // Patient (birth date and sex, for the usual ranges) side by side with the searches, not before them.
  return resultsPage(undefined, patientContext(signal), signal);
}

function Row({ result, props, isNew }: { result: Result; props: Props; isNew: boolean }) {
  const { lang, strings, names, viewPath, timeZone } = props;
  return (
    <li class="result-row" data-result-id={result.id}>
      {/* The fragment names the test, so the result page asks for its history beside it (no server sees a fragment). */}
      <a
        class="result-row__link"
        href={`${viewPath}?id=${encodeURIComponent(result.id)}${result.code && !result.members.length ? `#${new URLSearchParams({ history: sameTestTokens(result.code) })}` : ''}`}
      >
        <span class="result-row__name">{resultName(result, names)}</span>
        <span class="result-row__value">{valueText(lang, result.value, strings)}</span>
        {result.flag && <FlagBadge flag={result.flag} words={strings} />}
        {result.date && (
          <span class="result-row__date">
            {formatDate(lang, new Date(result.date), { dateStyle: 'medium', timeZone })}
          </span>
        )}
        {isNew && <span class="badge">{strings['list.new']}</span>}
      </a>
    </li>
  );
}

export default function ResultsList(props: Props) {
  const { lang, strings, timeZone } = props;
  const session = getSession();
  const allowed = !session || granted(session, 'Observation', 's');
  const [attempt, setAttempt] = useState(0);
  const [state, update] = usePatientData<ListData>({
    name: allowed ? 'results' : undefined,
    fetch: firstPage,
    reuseFresh: true,
    attempt,
    keep: keepNewest,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [announcement, setAnnouncement] = useState('');
  const [seen, setSeen] = useState<Set<string>>(new Set());
  const focusId = useRef<string | undefined>(undefined);

  useEffect(() => {
    const patientId = state.status === 'ready' ? state.patientId : session ? personKey(session) : undefined;
    if (patientId) void seenIds(patientId, 'results').then(setSeen);
  }, [state.status]);

  // After "Show older results", focus moves to the first result that came in.
  useEffect(() => {
    if (!focusId.current) return;
    document.querySelector<HTMLElement>(`[data-result-id="${CSS.escape(focusId.current)}"] a`)?.focus();
    focusId.current = undefined;
  });

  if (!allowed || state.status !== 'ready')
    return (
      <DataState
        state={allowed ? state : { status: 'not-granted' }}
        lang={lang}
        words={strings}
        loading={strings['list.loading']}
        notGranted={strings['list.notGranted']}
        call={props.call}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );

  const data = state.data;
  const since = newSince();
  const isNew = (r: Result) => !seen.has(r.id) && (r.issued ?? r.date ?? '') >= since;
  const labs = data.results.filter((r) => r.category === 'laboratory');
  const vitals = data.results.filter((r) => r.category === 'vital-signs');
  const labDays = groupResults(labs, data.reports, timeZone);
  const vitalDays = groupResults(vitals, [], timeZone);

  const loadMore = async () => {
    setLoadingMore(true);
    setMoreError(undefined);
    setAnnouncement(strings['list.moreLoading']);
    try {
      const batch = await resultsPage(data.next, await patientContext());
      focusId.current = batch.results[0]?.id;
      update((d) => {
        const seenResults = new Set(d.results.map((x) => x.id));
        const seenReports = new Set(d.reports.map((x) => x.id));
        const results = [...d.results, ...batch.results.filter((r) => !seenResults.has(r.id))];
        const reports = [...d.reports, ...batch.reports.filter((r) => !seenReports.has(r.id))];
        const first = d.pages?.length
          ? d.pages
          : [{ results: d.results.length, reports: d.reports.length, next: d.next, more: d.more }];
        return {
          results,
          reports,
          next: batch.next,
          more: batch.more,
          pages: [...first, { results: results.length, reports: reports.length, next: batch.next, more: batch.more }],
        };
      });
      setAnnouncement(plural(lang, props.forms.moreLoaded, batch.results.length));
    } catch (error) {
      setMoreError(error);
      setAnnouncement('');
    } finally {
      setLoadingMore(false);
    }
  };

  const dayTitle = (day: string) =>
    day === 'unknown'
      ? ''
      : capitalize(
          formatDate(lang, new Date(`${day}T12:00:00Z`), {
            weekday: 'long',
            year: 'numeric',
            month: 'long',
            day: 'numeric',
            timeZone: 'UTC',
          }),
          lang,
        );

  const renderDays = (days: ReturnType<typeof groupResults>, prefix: string) =>
    days.map((day) => (
      <div class="result-day" key={`${prefix}-${day.day}`}>
        <h3>{dayTitle(day.day)}</h3>
        {day.panels.map((panel) => (
          <div class="result-panel" key={panel.id}>
            <h4>{resultName(panel, props.names)}</h4>
            <ul class="result-list">
              {panel.results.map((r) => (
                <Row key={r.id} result={r} props={props} isNew={isNew(r)} />
              ))}
            </ul>
          </div>
        ))}
        {day.single.length > 0 && (
          <ul class="result-list">
            {day.single.map((r) => (
              <Row key={r.id} result={r} props={props} isNew={isNew(r)} />
            ))}
          </ul>
        )}
      </div>
    ));

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
  if (!data.results.length) {
    return (
      <div data-state="empty">
        {saved}
        <div class="card">
          <p>{strings['list.empty']}</p>
        </div>
      </div>
    );
  }

  return (
    <div data-state="results">
      {saved}
      <section aria-labelledby="results-labs">
        <h2 id="results-labs">{strings['list.labs']}</h2>
        {labDays.length ? renderDays(labDays, 'lab') : <p>{strings['list.empty']}</p>}
      </section>
      <section aria-labelledby="results-vitals">
        <h2 id="results-vitals">{strings['list.vitals']}</h2>
        {vitalDays.length ? renderDays(vitalDays, 'vital') : <p>{strings['list.emptyVitals']}</p>}
      </section>
      {moreError !== undefined && (
        <Problem lang={lang} error={moreError} strings={strings} call={props.call} onRetry={() => void loadMore()} />
      )}
      <div class="actions">
        {data.more && session ? (
          <button
            type="button"
            class="button button--secondary"
            onClick={loadMore}
            disabled={loadingMore}
            aria-describedby="results-more-status"
          >
            {loadingMore ? strings['list.moreLoading'] : strings['list.more']}
          </button>
        ) : (
          <p>{strings['list.allShown']}</p>
        )}
      </div>
      <p id="results-more-status" role="status" class="visually-hidden">
        {announcement}
      </p>
    </div>
  );
}
