/**
 * The page's first FHIR requests, started from its <head> before the
 * JavaScript arrives (components/EarlyStart.astro writes the script).
 *
 * On one bar of signal the page's scripts arrive 1.5–2 s after the HTML;
 * until then the FHIR server sits idle. So a data page's HTML carries a
 * small script that, when this tab holds a session, starts the requests the
 * page's island will make first, exactly as the FHIR client makes them (the
 * same URL, headers, cache, credentials and referrer policy), and leaves
 * them in `window.__claraEarly` by URL with the token they carry. The
 * client (client.ts, `takeEarly`) takes a matching one as its own first
 * attempt, once: timeouts, errors and 401 → refresh → retry are handled as
 * for any of its requests. A request nobody takes is just not used.
 *
 * The query shapes come from the functions the islands use (results/fetch-list.ts,
 * messages/load.ts, client.ts `readPath`/`searchPath`), so there is one
 * source for both; the build calls them with placeholders for the patient's
 * id and the page's `?id=`, and the script fills them in.
 *
 * The script does nothing when: there is no session in this tab; the
 * browser says it is offline (the page shows the kept copy); the token
 * expires within 30 s (the client refreshes it first: an early request would
 * only fail); the scope grants nothing of that type; the answer is already
 * kept for the session (Patient's birth date and sex, the care teams).
 */
import { readPath, searchPath } from './client.ts';
import { PATIENT_CONTEXT_PARAMS, firstObservationsParams, firstReportsParams } from '../results/fetch-list.ts';
import { aboutParams, helpersParams, receivedParams, sentParams, threadPartsParams } from '../messages/load.ts';
import { teamParams } from '../messages/care-team.ts';
import { historyParams } from '../results/fetch-detail.ts';
import { PHONE_PARAMS } from '../messages/compose-setup.ts';
import { GREETING_PARAMS, newMessagesParams, newResultsParams } from './summary-api.ts';
import { NEW_FOR_DAYS } from '../store/seen.ts';
import { FRESH_MS } from '../store/saved.ts';
import { CARE_TEAM, freshKey, HELPERS, PATIENT_CONTEXT, SERVER_NO_STORE } from '../storage-keys.ts';

/** Stand-ins the script replaces: the patient's id, the page's `?id=`, and the day from which things are new (seen.ts `newSince`); safe in paths and queries as they are. */
export const PATIENT = '__P__';
export const PAGE_ID = '__I__';
export const SINCE = '__D__';
/** The test the results list's link named in the fragment (`#history=`, already encoded as a query value; results/fetch-detail.ts). */
export const SAME_TEST = '__H__';

/**
 * One early request: the resource type (for the scope; "" for a file of
 * Clara's own origin, fetched as `fetch(path)`), the path (relative to the
 * FHIR base, or absolute on Clara's origin), and a sessionStorage key whose
 * presence makes it unnecessary.
 */
export type EarlyRequest = [type: string, path: string, unlessKept?: string];

/**
 * A page whose island shows a copy saved less than FRESH_MS ago without
 * asking the clinic (usePatientData's `reuseFresh`) starts its list with
 * `["=", <the copy's name>]`: nothing starts while that copy is fresh.
 */
const fresh = (name: string): EarlyRequest => ['=', name];

/** The requests a page starts early, by route; pages not listed start none. */
export function earlyRequests(route: string, glossaryFile: string): EarlyRequest[] {
  switch (route) {
    case 'home':
      return [
        ['Patient', readPath('Patient', PATIENT, GREETING_PARAMS)],
        ['Observation', searchPath('Observation', newResultsParams(SINCE))],
        ['Communication', searchPath('Communication', newMessagesParams(PATIENT, SINCE))],
      ];
    case 'results':
      return [
        fresh('results'),
        ['Patient', readPath('Patient', PATIENT, PATIENT_CONTEXT_PARAMS), PATIENT_CONTEXT],
        ['Observation', searchPath('Observation', firstObservationsParams())],
        ['DiagnosticReport', searchPath('DiagnosticReport', firstReportsParams())],
      ];
    case 'resultView':
      // The result's history needs its test: the list's link names it in the fragment (else it waits for the result).
      return [
        fresh(`result.${PAGE_ID}`),
        ['Observation', readPath('Observation', PAGE_ID)],
        ['Observation', searchPath('Observation', historyParams(SAME_TEST))],
        ['', glossaryFile],
      ];
    case 'messages':
      return [
        ['Communication', searchPath('Communication', receivedParams(PATIENT))],
        ['Communication', searchPath('Communication', sentParams(PATIENT))],
        ['Communication', searchPath('Communication', aboutParams(PATIENT))],
        ['CareTeam', searchPath('CareTeam', teamParams(PATIENT)), CARE_TEAM],
        ['RelatedPerson', searchPath('RelatedPerson', helpersParams(PATIENT)), HELPERS],
      ];
    case 'thread':
      return [
        ['Communication', readPath('Communication', PAGE_ID)],
        ['Communication', searchPath('Communication', threadPartsParams(PAGE_ID))],
        ['CareTeam', searchPath('CareTeam', teamParams(PATIENT)), CARE_TEAM],
        ['RelatedPerson', searchPath('RelatedPerson', helpersParams(PATIENT)), HELPERS],
      ];
    case 'newMessage':
      return [['CareTeam', searchPath('CareTeam', teamParams(PATIENT)), CARE_TEAM]];
    case 'callMe':
      return [
        ['CareTeam', searchPath('CareTeam', teamParams(PATIENT)), CARE_TEAM],
        ['Patient', readPath('Patient', PATIENT, PHONE_PARAMS)],
      ];
    default:
      return [];
  }
}

/**
 * The script (written small: it travels in the page's HTML; the build puts
 * its hash in the page's CSP), built from only the parts the page's requests
 * use: a page that names no `?id=`, no test, no day and no file of Clara's
 * own carries none of the code for them. `p` is the list of requests.
 * Without a session `s.expiresAt` throws, and nothing is started; the
 * promise's own `catch` only keeps an unused failure out of the console (the
 * client still sees it).
 */
function script(requests: EarlyRequest[]): string {
  const text = JSON.stringify(requests);
  const fresh = requests[0]?.[0] === '=';
  const id = text.includes(PAGE_ID);
  const test = text.includes(SAME_TEST);
  const since = text.includes(SINCE);
  const file = requests.some((r) => r[0] === '');
  const kept = requests.some((r) => r[2]);
  const is = (c: boolean, code: string) => (c ? code : '');
  const vars = [
    'S=sessionStorage',
    is(fresh, 'k'),
    's=JSON.parse(S.getItem("clara.session"))',
    'e=window.__claraEarly={}',
    is(id, 'q=new URLSearchParams(location.search).get("id")'),
    is(test, 'h=(/[#&]history=([\\w.%-]+)/.exec(location.hash)||[])[1]'),
  ].filter(Boolean);
  const skip = [
    is(kept, 'r[2]&&S.getItem(r[2])'),
    is(id, `u.indexOf("${PAGE_ID}")>=0&&!q`),
    is(test, `u.indexOf("${SAME_TEST}")>=0&&!h`),
    `${file ? 't&&' : ''}!RegExp("(^|\\\\s)patient/(\\\\*|"+t+")\\\\.").test(s.scope)`,
  ].filter(Boolean);
  const fill = [
    `u.split("${PATIENT}").join(encodeURIComponent(s.patientId))`,
    is(id, `.split("${PAGE_ID}").join(encodeURIComponent(q))`),
    is(test, `.split("${SAME_TEST}").join(h)`),
    is(since, `.split("${SINCE}").join(new Date(Date.now()-${NEW_FOR_DAYS}*864e5).toISOString().slice(0,10))`),
  ].join('');
  const init =
    // The cache mode as client.ts `cacheMode` picks it (a server that says no-store itself: 'default', so preflights are kept).
    `{headers:{Accept:"application/fhir+json",Authorization:"Bearer "+s.accessToken},cache:S.getItem("${SERVER_NO_STORE}")?"default":"no-store",credentials:"omit",referrerPolicy:"no-referrer"}`;
  const start = file
    ? `(u=${fill},t&&(u=s.fhirBaseUrl.replace(/\\/$/,"")+"/"+u),(e[u]=[t?s.accessToken:"",fetch(u,t?${init}:{})])[1].catch(function(){}))`
    : `(u=s.fhirBaseUrl.replace(/\\/$/,"")+"/"+${fill},(e[u]=[s.accessToken,fetch(u,${init})])[1].catch(function(){}))`;
  const freshCheck = fresh
    ? `!((k=p.shift()[1]${is(id, `.split("${PAGE_ID}").join(q)`)})&&Date.now()-S.getItem("${freshKey('"+s.patientId+"', '')}"+k)<${FRESH_MS})&&`
    : '';
  return `(function(p){try{var ${vars.join(',')};s.expiresAt-Date.now()>3e4&&navigator.onLine&&${freshCheck}p.forEach(function(r){var t=r[0],u=r[1];${skip.join('||')}||${start}})}catch(x){}})`;
}

/** The inline script for a page, or "" for a page that starts nothing early. */
export function earlyScript(requests: EarlyRequest[]): string {
  return requests.length ? `${script(requests)}(${JSON.stringify(requests).replace(/</g, '\\u003c')})` : '';
}
