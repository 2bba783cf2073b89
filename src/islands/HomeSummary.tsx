/**
 * Home, signed in: greets the patient by name and says how many new results
 * and unread messages there are, each with the way to them.
 */
import { getSession, granted } from '../lib/auth/session.ts';
import { configureFhir, read, search, type FhirResource } from '../lib/fhir/client.ts';
import { greetingName, type PatientLike } from '../lib/fhir/patient.ts';
import { fill, plural, type PluralForms } from '../lib/i18n/format.ts';
import type { Lang } from '../lib/i18n/langs.ts';
import { smartSettings } from '../lib/settings.ts';
import { newSince, seenIds } from '../lib/store/seen.ts';
import { Problem, type CallInfo, type ProblemStrings } from './shared/Problem.tsx';
import { useLoad } from './shared/useLoad.ts';
import { publishUnread } from './shared/messages-ui.tsx';

export interface HomeStrings extends ProblemStrings {
  hello: string;
  helloNoName: string;
  loading: string;
  noNewResults: string;
  noUnread: string;
  seeResults: string;
  seeMessages: string;
  resultsNotGranted: string;
  messagesNotGranted: string;
}

interface Props {
  lang: Lang;
  strings: HomeStrings;
  forms: { newResults: PluralForms; unread: PluralForms };
  paths: { results: string; messages: string };
  call: CallInfo;
}

interface Summary {
  name: string;
  newResults: number | 'not-granted';
  unread: number | 'not-granted';
}

async function loadSummary(signal: AbortSignal): Promise<Summary> {
  configureFhir(smartSettings);
  const session = getSession();
  if (!session) throw new Error('no session');
  const since = newSince();
  const me = `Patient/${session.patientId}`;
  const [patient, results, messages] = await Promise.all([
    granted(session, 'Patient') ? read<FhirResource & PatientLike>('Patient', session.patientId, { _elements: 'name' }, signal) : undefined,
    granted(session, 'Observation', 's')
      ? search('Observation', { category: 'laboratory,vital-signs', date: `ge${since}`, _elements: 'id', _count: '200' }, signal)
      : undefined,
    granted(session, 'Communication', 's')
      ? search<FhirResource & { sender?: { reference?: string } }>('Communication', { recipient: me, sent: `ge${since}`, _elements: 'id,sender', _count: '200' }, signal)
      : undefined,
  ]);
  const seenResults = seenIds(session.patientId, 'results');
  const readMessages = seenIds(session.patientId, 'messages');
  return {
    name: patient ? greetingName(patient) : '',
    newResults: results ? results.resources.filter((r) => r.id && !seenResults.has(r.id)).length : 'not-granted',
    unread: messages
      ? messages.resources.filter((m) => m.id && m.sender?.reference && m.sender.reference !== me && !readMessages.has(m.id)).length
      : 'not-granted',
  };
}

export default function HomeSummary({ lang, strings, forms, paths, call }: Props) {
  // This island hydrates only in a signed-in tab (client:signedin); the static page has nothing of it.
  const [state, retry] = useLoad(loadSummary);
  if (typeof window === 'undefined') return null;
  if (state.status === 'loading') {
    return (
      <div aria-busy="true">
        <h1>{strings.helloNoName}</h1>
        <p role="status">{strings.loading}</p>
      </div>
    );
  }
  if (state.status === 'failed') {
    return (
      <div>
        <h1>{strings.helloNoName}</h1>
        <Problem lang={lang} error={state.error} strings={strings} call={call} onRetry={retry} />
      </div>
    );
  }
  const { name, newResults, unread } = state.data;
  if (typeof unread === 'number') publishUnread(unread);
  return (
    <div data-state="signed-in">
      <h1>{name ? fill(strings.hello, { name }) : strings.helloNoName}</h1>
      <div class="summary">
        <section class="card" aria-labelledby="home-results">
          <p id="home-results" class="summary__line">
            {newResults === 'not-granted' ? strings.resultsNotGranted : newResults === 0 ? strings.noNewResults : plural(lang, forms.newResults, newResults)}
          </p>
          {newResults !== 'not-granted' && <a class="button" href={paths.results}>{strings.seeResults}</a>}
        </section>
        <section class="card" aria-labelledby="home-messages">
          <p id="home-messages" class="summary__line">
            {unread === 'not-granted' ? strings.messagesNotGranted : unread === 0 ? strings.noUnread : plural(lang, forms.unread, unread)}
          </p>
          {unread !== 'not-granted' && <a class="button" href={paths.messages}>{strings.seeMessages}</a>}
        </section>
      </div>
    </div>
  );
}
