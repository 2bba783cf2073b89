/**
 * The results list: newest first, grouped by day and by panel, vital signs
 * in their own section, each row with the plain name, value and unit, the
 * flag in words and shape, the date, and "New" for what was not opened yet.
 * Older results page in on request.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession, granted } from '../lib/auth/session.ts';
import { configureFhir } from '../lib/fhir/client.ts';
import { patientContext, resultsPage, type ResultsCursor } from '../lib/fhir/results-api.ts';
import { groupResults, type DiagnosticReportLike, type Result } from '../lib/fhir/results.ts';
import { capitalize, formatDate, plural, type PluralForms } from '../lib/i18n/format.ts';
import type { Lang } from '../lib/i18n/langs.ts';
import { valueText, type ResultWords } from '../lib/results-text.ts';
import { smartSettings } from '../lib/settings.ts';
import { newSince, seenIds } from '../lib/store/seen.ts';
import { FlagBadge } from './shared/Flag.tsx';
import { Problem, type CallInfo, type ProblemStrings } from './shared/Problem.tsx';

export type ResultsListStrings = ProblemStrings &
  ResultWords &
  Record<'list.loading' | 'list.labs' | 'list.vitals' | 'list.empty' | 'list.emptyVitals' | 'list.notGranted' | 'list.more' | 'list.moreLoading' | 'list.allShown' | 'list.new' | 'next.sign-in', string>;

interface Props {
  lang: Lang;
  timeZone: string;
  strings: ResultsListStrings;
  forms: { moreLoaded: PluralForms };
  /** Plain names by canonical LOINC code (the glossary). */
  names: Record<string, string>;
  viewPath: string;
  call: CallInfo;
}

type State =
  | { status: 'loading' }
  | { status: 'not-granted' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; results: Result[]; reports: DiagnosticReportLike[]; next: ResultsCursor; more: boolean };

export function resultName(result: Pick<Result, 'code' | 'labName'>, names: Record<string, string>): string {
  return (result.code && names[result.code]) || result.labName;
}

function Row({ result, props, isNew }: { result: Result; props: Props; isNew: boolean }) {
  const { lang, strings, names, viewPath, timeZone } = props;
  return (
    <li class="result-row" data-result-id={result.id}>
      <a class="result-row__link" href={`${viewPath}?id=${encodeURIComponent(result.id)}`}>
        <span class="result-row__name">{resultName(result, names)}</span>
        <span class="result-row__value">{valueText(lang, result.value, strings)}</span>
        {result.flag && <FlagBadge flag={result.flag} words={strings} />}
        {result.date && <span class="result-row__date">{formatDate(lang, new Date(result.date), { dateStyle: 'medium', timeZone })}</span>}
        {isNew && <span class="badge">{strings['list.new']}</span>}
      </a>
    </li>
  );
}

export default function ResultsList(props: Props) {
  const { lang, strings, timeZone } = props;
  const [state, setState] = useState<State>({ status: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [attempt, setAttempt] = useState(0);
  const focusId = useRef<string | undefined>(undefined);

  useEffect(() => {
    configureFhir(smartSettings);
    const session = getSession();
    if (!session) return;
    if (!granted(session, 'Observation', 's')) {
      setState({ status: 'not-granted' });
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    (async () => {
      const patient = await patientContext(controller.signal);
      const batch = await resultsPage(undefined, patient, controller.signal);
      if (!controller.signal.aborted) setState({ status: 'ready', ...batch });
    })().catch((error: unknown) => !controller.signal.aborted && setState({ status: 'failed', error }));
    return () => controller.abort();
  }, [attempt]);

  // After "Show older results", focus moves to the first result that came in.
  useEffect(() => {
    if (!focusId.current) return;
    document.querySelector<HTMLElement>(`[data-result-id="${CSS.escape(focusId.current)}"] a`)?.focus();
    focusId.current = undefined;
  });

  if (typeof window === 'undefined') return null;
  if (state.status === 'loading') return <p role="status" class="notice">{strings['list.loading']}</p>;
  if (state.status === 'not-granted') {
    return (
      <div class="notice notice--note" data-state="not-granted">
        <p><strong>{strings['list.notGranted']}</strong></p>
        <p>{strings['next.sign-in']}</p>
      </div>
    );
  }
  if (state.status === 'failed') {
    return <Problem lang={lang} error={state.error} strings={strings} call={props.call} onRetry={() => setAttempt((n) => n + 1)} />;
  }

  const session = getSession();
  const seen = session ? seenIds(session.patientId, 'results') : new Set<string>();
  const since = newSince();
  const isNew = (r: Result) => !seen.has(r.id) && (r.issued ?? r.date ?? '') >= since;
  const labs = state.results.filter((r) => r.category === 'laboratory');
  const vitals = state.results.filter((r) => r.category === 'vital-signs');
  const labDays = groupResults(labs, state.reports, timeZone);
  const vitalDays = groupResults(vitals, [], timeZone);

  const loadMore = async () => {
    setLoadingMore(true);
    setAnnouncement(strings['list.moreLoading']);
    try {
      const batch = await resultsPage(state.next, await patientContext());
      focusId.current = batch.results[0]?.id;
      setState({
        status: 'ready',
        results: [...state.results, ...batch.results.filter((r) => !state.results.some((x) => x.id === r.id))],
        reports: [...state.reports, ...batch.reports.filter((r) => !state.reports.some((x) => x.id === r.id))],
        next: batch.next,
        more: batch.more,
      });
      setAnnouncement(plural(lang, props.forms.moreLoaded, batch.results.length));
    } catch (error) {
      setState({ status: 'failed', error });
    } finally {
      setLoadingMore(false);
    }
  };

  const dayTitle = (day: string) =>
    day === 'unknown' ? '' : capitalize(formatDate(lang, new Date(`${day}T12:00:00Z`), { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }), lang);

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

  if (!state.results.length) {
    return <div class="card" data-state="empty"><p>{strings['list.empty']}</p></div>;
  }

  return (
    <div data-state="results">
      <section aria-labelledby="results-labs">
        <h2 id="results-labs">{strings['list.labs']}</h2>
        {labDays.length ? renderDays(labDays, 'lab') : <p>{strings['list.empty']}</p>}
      </section>
      <section aria-labelledby="results-vitals">
        <h2 id="results-vitals">{strings['list.vitals']}</h2>
        {vitalDays.length ? renderDays(vitalDays, 'vital') : <p>{strings['list.emptyVitals']}</p>}
      </section>
      <div class="actions">
        {state.more ? (
          <button type="button" class="button button--secondary" onClick={loadMore} disabled={loadingMore} aria-describedby="results-more-status">
            {loadingMore ? strings['list.moreLoading'] : strings['list.more']}
          </button>
        ) : (
          <p>{strings['list.allShown']}</p>
        )}
      </div>
      <p id="results-more-status" role="status" class="visually-hidden">{announcement}</p>
    </div>
  );
}
