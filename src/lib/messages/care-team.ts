/**
 * The patient's care teams, read once per session: the names and roles the
 * message pages show, and whom the new-message and call-back forms can
 * write to. Apart from the conversations (load.ts) so that the forms load
 * none of the code that reads and threads messages (build/chunks.ts).
 */
import type { CareTeam, Resource } from '@medplum/fhirtypes';
import { getSession } from '../auth/session.ts';
import { search, type Page } from '../fhir/client.ts';
import { CARE_TEAM } from '../storage-keys.ts';

/** Every match of a search, following the server's `next` links for at most `pages` pages. */
export async function searchAll<T extends Resource>(
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

/** The query shape of the care team's search: the pages and their early requests (fhir/early.ts) both use it. */
export const teamParams = (patientId: string): Record<string, string> => ({
  patient: `Patient/${patientId}`,
  status: 'active',
  _elements: 'status,participant,name',
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
  const teams = await searchAll<CareTeam>('CareTeam', teamParams(session.patientId), signal).catch(
    () => [] as CareTeam[],
  );
  try {
    sessionStorage.setItem(CARE_TEAM, JSON.stringify(teams));
  } catch {
    // fine
  }
  return teams;
}
