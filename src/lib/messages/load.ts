/**
 * Fetching conversations: the patient's messages as recipient and as sender
 * (two searches, side by side), the care team for names and roles, only the
 * elements the pages show.
 */
import type { CareTeam, Communication, RelatedPerson, Resource } from '@medplum/fhirtypes';
import { getSession, granted, isCaregiver, type Session } from '../auth/session.ts';
import { read, search, type Page } from '../fhir/client.ts';
import { cleanText } from '../fhir/text.ts';
import { relationOf } from '../relationship.ts';
import { buildThreads } from './threads.ts';
import type { Helper, Thread, Viewer } from './types.ts';
import { CARE_TEAM, HELPERS } from '../storage-keys.ts';

export const MESSAGE_ELEMENTS =
  'identifier,status,partOf,inResponseTo,subject,sender,recipient,sent,topic,category,payload';

type Comm = Communication;
type Team = CareTeam;

async function all<T extends Resource>(
  type: string,
  params: Record<string, string>,
  signal?: AbortSignal,
  pages = 5,
): Promise<T[]> {
  const out: T[] = [];
  let page: Page<T> | undefined = await search<T>(type, params, signal);
  for (let i = 0; page && i < pages; i++) {
    out.push(...page.resources);
    page = page.next ? await search<T>(type, page.next, signal) : undefined;
  }
  return out;
}

/** The query shapes of the message pages' first requests: the islands and the page's early requests (fhir/early.ts) both use these. */
export const teamParams = (patientId: string): Record<string, string> => ({
  patient: `Patient/${patientId}`,
  status: 'active',
  _elements: 'status,participant,name',
});
export const receivedParams = (patientId: string): Record<string, string> => ({
  recipient: `Patient/${patientId}`,
  _sort: '-sent',
  _count: '100',
  _elements: MESSAGE_ELEMENTS,
});
export const sentParams = (patientId: string): Record<string, string> => ({
  sender: `Patient/${patientId}`,
  _sort: '-sent',
  _count: '100',
  _elements: MESSAGE_ELEMENTS,
});
/** Conversations about the patient that a caregiver takes part in (issue 14). */
export const aboutParams = (patientId: string): Record<string, string> => ({
  subject: `Patient/${patientId}`,
  _sort: '-sent',
  _count: '100',
  _elements: MESSAGE_ELEMENTS,
});
export const threadPartsParams = (id: string): Record<string, string> => ({
  'part-of': `Communication/${id}`,
  _sort: 'sent',
  _count: '100',
  _elements: MESSAGE_ELEMENTS,
});

/** The patient's active care teams (names and roles), once per session. */
export async function careTeams(signal?: AbortSignal): Promise<CareTeam[]> {
  const session = getSession();
  if (!session) return [];
  try {
    const cached = sessionStorage.getItem(CARE_TEAM);
    if (cached) return JSON.parse(cached) as CareTeam[];
  } catch {
    // not cached
  }
  const teams = await all<Team>('CareTeam', teamParams(session.patientId), signal).catch(() => [] as Team[]);
  try {
    sessionStorage.setItem(CARE_TEAM, JSON.stringify(teams));
  } catch {
    // fine
  }
  return teams;
}

/** The query shape of the caregivers' search: the island and the page's early requests (early.ts) both use it. */
export const helpersParams = (patientId: string): Record<string, string> => ({
  patient: `Patient/${patientId}`,
  _elements: 'name,relationship',
});

/** The patient's caregivers (names and relationships), once per sign-in, where the clinic lets Clara read them. */
export async function helpers(signal?: AbortSignal): Promise<Helper[]> {
  const session = getSession();
  if (!session || !granted(session, 'RelatedPerson', 's')) return [];
  try {
    const cached = sessionStorage.getItem(HELPERS);
    if (cached) return JSON.parse(cached) as Helper[];
  } catch {
    // not cached
  }
  type Related = RelatedPerson;
  const people = await all<Related>('RelatedPerson', helpersParams(session.patientId), signal, 1).catch(
    () => [] as Related[],
  );
  const out = people.map((p): Helper => {
    const { relation, text } = relationOf(p.relationship);
    // The first given name, as on her line ("Lucía"); patient.ts's greetingName, without loading it on every message page.
    const name = cleanText(p.name?.[0]?.given?.[0]) || cleanText(p.name?.[0]?.text);
    return {
      reference: `RelatedPerson/${p.id}`,
      name,
      ...(relation ? { relation } : {}),
      ...(text ? { relationText: text } : {}),
    };
  });
  try {
    sessionStorage.setItem(HELPERS, JSON.stringify(out));
  } catch {
    // fine
  }
  return out;
}

/** Who is looking, for naming people in conversations. */
function viewerOf(session: Session, helperList: Helper[]): Viewer {
  return {
    me: session.fhirUser ?? `Patient/${session.patientId}`,
    ...(isCaregiver(session) && session.caregiver?.patient ? { patientName: session.caregiver.patient } : {}),
    helpers: helperList,
  };
}

/**
 * Every conversation of the patient, newest first: what the patient sent and
 * received, and the conversations about the patient (subject) that a
 * caregiver takes part in (the server shows those only to the patient and
 * the patient's caregivers).
 */
export async function loadThreads(signal?: AbortSignal): Promise<Thread[]> {
  const session = getSession();
  if (!session) return [];
  const [received, sent, about, teams, helperList] = await Promise.all([
    all<Comm>('Communication', receivedParams(session.patientId), signal),
    all<Comm>('Communication', sentParams(session.patientId), signal),
    all<Comm>('Communication', aboutParams(session.patientId), signal),
    careTeams(signal),
    helpers(signal),
  ]);
  return buildThreads([...received, ...sent, ...about], session.patientId, teams, viewerOf(session, helperList));
}

/** One conversation: its header (or first message) and everything part of it. */
export async function loadThread(id: string, signal?: AbortSignal): Promise<Thread | undefined> {
  const session = getSession();
  if (!session) return undefined;
  const [head, parts, teams, helperList] = await Promise.all([
    read<Comm>('Communication', id, {}, signal),
    all<Comm>('Communication', threadPartsParams(id), signal),
    careTeams(signal),
    helpers(signal),
  ]);
  return buildThreads([head, ...parts], session.patientId, teams, viewerOf(session, helperList)).find(
    (t) => t.id === id,
  );
}
