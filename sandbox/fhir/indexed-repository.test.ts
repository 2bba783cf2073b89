/**
 * The indexed repository answers exactly as Medplum's MemoryRepository does:
 * every search Clara makes (and a few more: several sort rules, date
 * prefixes, :not, :missing, includes, paging past the end), for every sample
 * patient, compared entry by entry with the index and without it.
 */
import { parseSearchRequest, type SearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Communication, DiagnosticReport, Observation, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Sandbox } from '../server.ts';
import { fhirJson, signIn, testSandbox } from '../testing.ts';
import type { IndexedRepository } from './indexed-repository.ts';

const OBSERVATION_ELEMENTS = 'code,status,category,effectiveDateTime,value,referenceRange,component,hasMember';

let sandbox: Sandbox;
let repo: IndexedRepository;

beforeAll(async () => {
  sandbox = await testSandbox();
  repo = sandbox.engine.repo;
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

/** Medplum's own search, on the same stored resources. */
function plain<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<T>> {
  const search = MemoryRepository.prototype.search as (this: MemoryRepository, r: SearchRequest) => Promise<Bundle>;
  return search.call(repo, request as SearchRequest) as Promise<Bundle<T>>;
}

async function same(query: string): Promise<Bundle> {
  const indexed = await repo.search(parseSearchRequest(query));
  const medplum = await plain(parseSearchRequest(query));
  expect(indexed, query).toEqual(medplum);
  return indexed;
}

/** The searches Clara makes for one patient (src/lib/fhir/*-api.ts, src/islands), as the sandbox pins them. */
async function claraSearches(patientId: string): Promise<number> {
  const me = `Patient/${patientId}`;
  const pin = `subject=${encodeURIComponent(me)}`;
  let count = 0;
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

  // The results list, page by page (Medplum's pages are slices of its whole answer, so its whole
  // answer is computed once: each of its searches of ten years of labs costs about a second), and
  // the reports beside it.
  const list = `Observation?category=laboratory,vital-signs&_sort=-date&${pin}`;
  const whole = await same(list);
  const entries = whole.entry ?? [];
  for (let offset = 0; offset < entries.length + 50; offset += 50) {
    const page = await repo.search(parseSearchRequest(`${list}&_count=50&_offset=${offset}`));
    expect(page.entry ?? [], `${list} @${offset}`).toEqual(entries.slice(offset, offset + 50));
    expect(page.total).toBe(entries.length);
    count++;
  }
  const reports = await same(`DiagnosticReport?_sort=-date&_count=50&_offset=0&${pin}`);
  count++;

  // The home page's summary.
  await same(`Observation?category=laboratory,vital-signs&date=ge${since}&_count=200&${pin}`);
  await same(`Communication?recipient=${encodeURIComponent(me)}&sent=ge${since}&_count=200`);
  count += 2;

  // A result's history (one of the patient's tests) and a panel's members.
  const code = (whole.entry ?? [])
    .map((e) => (e.resource as Observation).code?.coding?.[0])
    .find((c) => c?.system && c.code);
  if (code) {
    await same(`Observation?code=${encodeURIComponent(`${code.system}|${code.code}`)}&_sort=date&_count=100&${pin}`);
    count++;
  }
  const panel = (reports.entry ?? []).map((e) => e.resource as DiagnosticReport).find((r) => r.result?.length);
  if (panel?.result) {
    const ids = panel.result.map((r) => r.reference?.split('/')[1]).join(',');
    await same(`Observation?_id=${ids}&_count=${panel.result.length}&${pin}`);
    await same(`DiagnosticReport?_id=${panel.id}&_include=DiagnosticReport:result&${pin}`);
    count += 2;
  }

  // Messages: the inbox, a conversation, a retry's lookup, the care team.
  const received = await same(`Communication?recipient=${encodeURIComponent(me)}&_sort=-sent&_count=100`);
  await same(`Communication?sender=${encodeURIComponent(me)}&_sort=-sent&_count=100`);
  count += 2;
  const message = (received.entry ?? []).map((e) => e.resource as Communication).find((c) => c.partOf?.length);
  if (message?.partOf?.[0]?.reference) {
    await same(`Communication?part-of=${encodeURIComponent(message.partOf[0].reference)}&_sort=sent&_count=100`);
    count++;
  }
  const identifier = message?.identifier?.[0];
  if (identifier) {
    await same(`Communication?identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`);
    count++;
  }
  await same(`CareTeam?patient=${encodeURIComponent(me)}&status=active`);
  await same(`Patient?_id=${patientId}`);
  return count + 2;
}

describe('the indexed repository returns what MemoryRepository returns', () => {
  test('every search Clara makes, for every sample patient', { timeout: 240_000 }, async () => {
    let searches = 0;
    for (const patient of sandbox.patients) searches += await claraSearches(patient.id);
    expect(searches).toBeGreaterThan(sandbox.patients.length * 10);
  });

  test('sort rules, prefixes, modifiers, includes and paging past the end', { timeout: 120_000 }, async () => {
    const cantu = sandbox.patients.find((p) => p.name.includes('Cantú'))?.id as string;
    const pin = `subject=Patient/${cantu}`;
    for (const query of [
      `Observation?${pin}&code=8302-2,29463-7,2339-0&_sort=status,-date&_count=30&_offset=2`,
      `Observation?${pin}&category=vital-signs&_sort=-date,code&_count=10&_offset=95`,
      `Observation?${pin}&category=laboratory&_count=5&_offset=1000`,
      `Observation?${pin}&category=laboratory&_count=0`,
      `Observation?${pin}&category=vital-signs&date=le2021&date=gt2019-06&_sort=date`,
      `Observation?${pin}&category:not=laboratory&code:missing=false&_sort=-date&_count=20`,
      `Observation?${pin}&code=29463-7&_elements=${OBSERVATION_ELEMENTS}&_count=3`,
      `DiagnosticReport?${pin}&_revinclude=Observation:has-member&_count=2`,
      `Communication?_sort=-sent`,
    ]) {
      await same(query);
    }
  });

  test('after writes the index follows: a new, an updated and a deleted resource', { timeout: 60_000 }, async () => {
    const cantu = sandbox.patients.find((p) => p.name.includes('Cantú'))?.id as string;
    const query = `Observation?subject=Patient/${cantu}&code=http://loinc.org|99999-9&_sort=-date`;
    await same(query);
    const made = await repo.createResource<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '99999-9' }] },
      subject: { reference: `Patient/${cantu}` },
      effectiveDateTime: '2020-01-01',
    });
    expect((await same(query)).total).toBe(1);
    await repo.updateResource({ ...made, effectiveDateTime: '2021-01-01', status: 'amended' });
    expect((await same(`${query}&status=amended`)).total).toBe(1);
    await repo.deleteResource('Observation', made.id);
    expect((await same(query)).total).toBe(0);
  });

  test(
    'over HTTP, with _elements and paging by next links: the same bundles with the index and without',
    { timeout: 60_000 },
    async () => {
      const since = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
      const pages = async (token: string, first: string): Promise<unknown[]> => {
        const out: unknown[] = [];
        let url: string | undefined = first;
        while (url) {
          const page: { body: Bundle } = await fhirJson<Bundle>(sandbox, token, url);
          out.push(page.body);
          url = page.body.link?.find((l) => l.relation === 'next')?.url;
        }
        return out;
      };
      // Margaret Olsen, the bench's patient (Catalina Cantú's ten years are compared at the repository above).
      for (const name of ['Olsen']) {
        const tokens = await signIn(sandbox, name);
        const me = `Patient/${tokens.patient}`;
        const list = await fhirJson<Bundle<Observation>>(
          sandbox,
          tokens.access_token,
          `Observation?category=laboratory,vital-signs&_sort=-date&_count=5&_elements=${OBSERVATION_ELEMENTS}`,
        );
        const code = list.body.entry?.[0]?.resource?.code?.coding?.[0];
        const searches = [
          `Observation?category=laboratory,vital-signs&_sort=-date&_count=5&_elements=${OBSERVATION_ELEMENTS}`,
          `Observation?code=${encodeURIComponent(`${code?.system}|${code?.code}`)}&_sort=date&_count=3&_elements=${OBSERVATION_ELEMENTS}`,
          `Observation?category=laboratory,vital-signs&date=ge${since}&_elements=id&_count=200`,
          'DiagnosticReport?_sort=-date&_count=2&_elements=code,status,effectiveDateTime,result',
          `Communication?recipient=${encodeURIComponent(me)}&_sort=-sent&_count=3&_elements=sender,sent,payload`,
          `Communication?sender=${encodeURIComponent(me)}&_sort=-sent&_count=100`,
          `CareTeam?patient=${encodeURIComponent(me)}&status=active&_elements=status,participant,name`,
        ];
        for (const search of searches) {
          repo.useIndex = true;
          const fast = await pages(tokens.access_token, search);
          repo.useIndex = false;
          try {
            const slow = await pages(tokens.access_token, search);
            expect(fast, `${name}: ${search}`).toEqual(slow);
            expect(fast.length).toBeGreaterThan(0);
          } finally {
            repo.useIndex = true;
          }
        }
      }
    },
  );
});

describe('the warm-up after start-up', () => {
  test('works out the first list’s filters and sort keys for every Observation, and answers the same afterwards', async () => {
    const looked = await sandbox.warmed;
    const observations = (await repo.matches(parseSearchRequest('Observation'))).length;
    const reports = (await repo.matches(parseSearchRequest('DiagnosticReport'))).length;
    expect(looked).toBe(observations + reports);
    const me = `Patient/${sandbox.patients[0]?.id ?? ''}`;
    await same(`Observation?category=laboratory,vital-signs&_sort=-date&subject=${encodeURIComponent(me)}`);
  });

  test('stops when the repository is cleared or the sandbox stops, and a new one can run', async () => {
    const running = repo.warm([parseSearchRequest('Observation?category=laboratory&_sort=date')], 1);
    repo.stopWarming();
    expect(await running).toBeLessThan((await repo.matches(parseSearchRequest('Observation'))).length);
    expect(await repo.warm([parseSearchRequest('Observation?category=laboratory&_sort=date')])).toBe(
      (await repo.matches(parseSearchRequest('Observation'))).length,
    );
  });
});
