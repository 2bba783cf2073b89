/**
 * Fetching conversations: the patient's messages as recipient and as sender
 * (two searches, side by side), the care team for names and roles, only the
 * elements the pages show.
 */
import type { Communication, RelatedPerson } from '@medplum/fhirtypes';
import { getSession, granted, isCaregiver, type Session } from '../auth/session.ts';
import { read } from '../fhir/client.ts';
import { cleanText } from '../fhir/text.ts';
import { relationOf } from '../relationship.ts';
import { careTeams, searchAll } from './care-team.ts';
import { buildThreads } from './threads.ts';
import type { Helper, Thread, Viewer } from './types.ts';
import { HELPERS } from '../storage-keys.ts';

export const MESSAGE_ELEMENTS =
  'identifier,status,partOf,inResponseTo,subject,sender,recipient,sent,topic,category,payload';

type Comm = Communication;

/** The query shapes of the message pages' first requests: the islands and the page's early requests (fhir/early.ts) both use these. */
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
  const people = await searchAll<Related>('RelatedPerson', helpersParams(session.patientId), signal, 1).catch(
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
    searchAll<Comm>('Communication', receivedParams(session.patientId), signal),
    searchAll<Comm>('Communication', sentParams(session.patientId), signal),
    searchAll<Comm>('Communication', aboutParams(session.patientId), signal),
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
    searchAll<Comm>('Communication', threadPartsParams(id), signal),
    careTeams(signal),
    helpers(signal),
  ]);
  return buildThreads([head, ...parts], session.patientId, teams, viewerOf(session, helperList)).find(
    (t) => t.id === id,
  );
}
