/**
 * Home, signed in: greets the patient by name and says how many new results
 * and unread messages there are, each with the way to them. (The device
 * question below it is static HTML: components/DeviceQuestion.astro.)
 */
import { useState } from 'preact/hooks';
import { getSession, granted, personKey } from '../lib/auth/session.ts';
import type { Communication, Patient } from '@medplum/fhirtypes';
import { read, search } from '../lib/fhir/client.ts';
import { greetingName } from '../lib/fhir/patient.ts';
import { GREETING_PARAMS, newMessagesParams, newResultsParams } from '../lib/fhir/summary-api.ts';
import { fill, plural, type PluralForms } from '../lib/i18n/format.ts';
import type { Lang } from '../lib/i18n/langs.ts';
import { signInHref } from '../lib/navigation.ts';
import { newSince, seenIds } from '../lib/store/seen.ts';
import { publishUnread } from '../lib/unread.ts';
import type { CallInfo, ProblemStrings } from '../lib/i18n/problem-words.ts';
import { DataState } from './shared/DataState.tsx';
import { SavedNote, type SavedWords } from './shared/SavedNote.tsx';
import { usePatientData } from './shared/usePatientData.ts';
import type { HomeKeys } from './HomeSummary.keys.ts';

export type HomeStrings = ProblemStrings & SavedWords & Record<HomeKeys, string>;

export interface Props {
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
  const session = getSession();
  if (!session) throw new Error('no session');
  const since = newSince();
  const me = `Patient/${session.patientId}`;
  const [patient, results, messages, seenResults, readMessages] = await Promise.all([
    granted(session, 'Patient') ? read<Patient>('Patient', session.patientId, GREETING_PARAMS, signal) : undefined,
    granted(session, 'Observation', 's') ? search('Observation', newResultsParams(since), signal) : undefined,
    granted(session, 'Communication', 's')
      ? search<Communication>('Communication', newMessagesParams(session.patientId, since), signal)
      : undefined,
    seenIds(personKey(session), 'results'),
    seenIds(personKey(session), 'messages'),
  ]);
  return {
    name: patient ? greetingName(patient) : '',
    newResults: results ? results.resources.filter((r) => r.id && !seenResults.has(r.id)).length : 'not-granted',
    unread: messages
      ? messages.resources.filter(
          (m) => m.id && m.sender?.reference && m.sender.reference !== me && !readMessages.has(m.id),
        ).length
      : 'not-granted',
  };
}

export default function HomeSummary({ lang, strings, forms, paths, call }: Props) {
  const [attempt, setAttempt] = useState(0);
  const [state] = usePatientData({ name: 'home', fetch: loadSummary, attempt });
  // This island hydrates only where there is patient data; the static page has nothing of it.
  if (state.status === 'loading') {
    return (
      <div aria-busy="true">
        <h1>{strings.helloNoName}</h1>
        <p role="status">{strings.loading}</p>
      </div>
    );
  }
  if (state.status === 'failed')
    return (
      <DataState
        state={state}
        lang={lang}
        words={strings}
        loading={strings.loading}
        call={call}
        onRetry={() => setAttempt((n) => n + 1)}
        title={strings.helloNoName}
      />
    );
  const { name, newResults, unread } = state.data;
  if (typeof unread === 'number' && !state.savedAt) publishUnread(unread);
  return (
    <div data-state="signed-in">
      <h1>{name ? fill(strings.hello, { name }) : strings.helloNoName}</h1>
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
      <div class="summary">
        <section class="card" aria-labelledby="home-results">
          <p id="home-results" class="summary__line">
            {newResults === 'not-granted'
              ? strings.resultsNotGranted
              : newResults === 0
                ? strings.noNewResults
                : plural(lang, forms.newResults, newResults)}
          </p>
          {newResults !== 'not-granted' && (
            <a class="button" href={paths.results}>
              {strings.seeResults}
            </a>
          )}
        </section>
        <section class="card" aria-labelledby="home-messages">
          <p id="home-messages" class="summary__line">
            {unread === 'not-granted'
              ? strings.messagesNotGranted
              : unread === 0
                ? strings.noUnread
                : plural(lang, forms.unread, unread)}
          </p>
          {unread !== 'not-granted' && (
            <a class="button" href={paths.messages}>
              {strings.seeMessages}
            </a>
          )}
        </section>
      </div>
    </div>
  );
}
