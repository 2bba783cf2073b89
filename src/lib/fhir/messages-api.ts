/**
 * Fetching conversations: the patient's messages as recipient and as sender
 * (two searches, side by side), the care team for names and roles, only the
 * elements the pages show.
 */
import { getSession } from '../auth/session.ts';
import { read, search, type FhirResource, type Page } from './client.ts';
import { buildThreads, type CareTeamLike, type CommunicationLike, type Thread } from './messages.ts';

export const MESSAGE_ELEMENTS = 'identifier,status,partOf,inResponseTo,subject,sender,recipient,sent,topic,category,payload';

type Comm = CommunicationLike & FhirResource;
type Team = CareTeamLike & FhirResource;

async function all<T extends FhirResource>(type: string, params: Record<string, string>, signal?: AbortSignal, pages = 5): Promise<T[]> {
  const out: T[] = [];
  let page: Page<T> | undefined = await search<T>(type, params, signal);
  for (let i = 0; page && i < pages; i++) {
    out.push(...page.resources);
    page = page.next ? await search<T>(type, page.next, signal) : undefined;
  }
  return out;
}

/** Where the care teams are kept for the session (the page's early requests skip CareTeam when it is there). */
export const TEAM_KEY = 'clara.careTeam';

/** The query shapes of the message pages' first requests: the islands and the page's early requests (early.ts) both use these. */
export const teamParams = (patientId: string): Record<string, string> => ({ patient: `Patient/${patientId}`, status: 'active', _elements: 'status,participant,name' });
export const receivedParams = (patientId: string): Record<string, string> => ({ recipient: `Patient/${patientId}`, _sort: '-sent', _count: '100', _elements: MESSAGE_ELEMENTS });
export const sentParams = (patientId: string): Record<string, string> => ({ sender: `Patient/${patientId}`, _sort: '-sent', _count: '100', _elements: MESSAGE_ELEMENTS });
export const threadPartsParams = (id: string): Record<string, string> => ({ 'part-of': `Communication/${id}`, _sort: 'sent', _count: '100', _elements: MESSAGE_ELEMENTS });

/** The patient's active care teams (names and roles), once per session. */
export async function careTeams(signal?: AbortSignal): Promise<CareTeamLike[]> {
  const session = getSession();
  if (!session) return [];
  try {
    const cached = sessionStorage.getItem(TEAM_KEY);
    if (cached) return JSON.parse(cached) as CareTeamLike[];
  } catch {
    // not cached
  }
  const teams = await all<Team>('CareTeam', teamParams(session.patientId), signal).catch(() => [] as Team[]);
  try {
    sessionStorage.setItem(TEAM_KEY, JSON.stringify(teams));
  } catch {
    // fine
  }
  return teams;
}

/** Every conversation of the patient, newest first. */
export async function loadThreads(signal?: AbortSignal): Promise<Thread[]> {
  const session = getSession();
  if (!session) return [];
  const [received, sent, teams] = await Promise.all([
    all<Comm>('Communication', receivedParams(session.patientId), signal),
    all<Comm>('Communication', sentParams(session.patientId), signal),
    careTeams(signal),
  ]);
  return buildThreads([...received, ...sent], session.patientId, teams);
}

/** One conversation: its header (or first message) and everything part of it. */
export async function loadThread(id: string, signal?: AbortSignal): Promise<Thread | undefined> {
  const session = getSession();
  if (!session) return undefined;
  const [head, parts, teams] = await Promise.all([
    read<Comm>('Communication', id, {}, signal),
    all<Comm>('Communication', threadPartsParams(id), signal),
    careTeams(signal),
  ]);
  return buildThreads([head, ...parts], session.patientId, teams).find((t) => t.id === id);
}
