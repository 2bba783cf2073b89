/**
 * Each profile's CapabilityStatement and SMART configuration tell the truth:
 * a walk over what they claim (resource types, interactions, search
 * parameters, _include, the common parameters, scopes, capabilities) checks
 * that it works, and that what they leave out is refused. Then strict-ehr's
 * unevenness with its real limits: page size and opaque links, required
 * parameters, ignored _sort and _elements, 429 with Retry-After, a second per
 * search, the patient banner and no refresh token.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {
  Bundle,
  CapabilityStatement,
  CapabilityStatementRestResource,
  Communication,
  Resource,
} from '@medplum/fhirtypes';
import { PROFILE_NAMES, PROFILES, type ProfileName, type SandboxProfile } from './profiles.ts';
import type { Sandbox } from './server.ts';
import { fhir, fhirJson, patientId, PORTAL, post, signIn, testSandbox } from './testing.ts';

/** Adán Portillo's nurse, on his care team. */
const LOPEZ = 'Practitioner/d5b0de25-19b8-4ed4-a27e-cccc4c621c69';
const ALL_TYPES = [
  'Patient',
  'Observation',
  'DiagnosticReport',
  'Communication',
  'CareTeam',
  'Condition',
  'MedicationRequest',
  'Encounter',
  'Practitioner',
  'DocumentReference',
  'Binary',
];
const INTERACTIONS = ['read', 'vread', 'search-type', 'create'] as const;

/** A value each claimed search parameter can be tried with (the patient's own id for patient and subject). */
function sampleValue(param: { name: string; type?: string }, me: string): string {
  if (param.name === 'patient' || param.name === 'subject' || param.name === 'sender' || param.name === 'recipient')
    return `Patient/${me}`;
  if (param.name === 'part-of') return 'Communication/nothing';
  if (param.type === 'date') return 'ge2000-01-01';
  if (param.name === 'category') return 'laboratory';
  return 'something';
}

/** What a search of this type must carry in this profile, filled in. */
function requiredParams(resource: CapabilityStatementRestResource, me: string): string {
  const required = (resource.searchParam ?? []).filter((p) => p.documentation?.startsWith('Required'));
  const groups = new Map<string, string>();
  for (const p of required) {
    const key = p.documentation ?? '';
    if (!groups.has(key)) groups.set(key, `${p.name}=${encodeURIComponent(sampleValue(p, me))}`);
  }
  return [...groups.values()].join('&');
}

async function walk(name: ProfileName, profile: SandboxProfile): Promise<void> {
  const sandbox = await testSandbox({ profile });
  try {
    const adan = patientId(sandbox, 'Portillo');
    const metadata = await fhirJson<CapabilityStatement>(sandbox, undefined, 'metadata');
    expect(metadata.status).toBe(200);
    const rest = metadata.body.rest?.[0];
    const resources = rest?.resource ?? [];
    const smart = (await (await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`)).json()) as {
      scopes_supported: string[];
      capabilities: string[];
      grant_types_supported: string[];
    };

    // The SMART configuration: each supported scope is granted as asked; others are not.
    const resourceScopes = smart.scopes_supported.filter((s) => s.startsWith('patient/') && !s.includes('?'));
    expect(resourceScopes.map((s) => s.slice('patient/'.length).split('.')[0]).sort()).toEqual(
      resources.map((r) => r.type).sort(),
    );
    for (const scope of smart.scopes_supported.filter((s) => s.startsWith('patient/'))) {
      const tokens = await signIn(sandbox, 'Portillo', { scope: `launch/patient ${scope}` });
      expect(tokens.scope, scope).toBe(`launch/patient ${scope}`);
    }
    const offline = await signIn(sandbox, 'Portillo', {
      scope: 'openid fhirUser launch/patient offline_access patient/Patient.rs',
    });
    expect(!!offline.refresh_token, `${name}: refresh token`).toBe(smart.capabilities.includes('permission-offline'));
    expect(String(offline.scope).includes('offline_access')).toBe(smart.scopes_supported.includes('offline_access'));
    expect(smart.grant_types_supported.includes('refresh_token')).toBe(
      smart.capabilities.includes('permission-offline'),
    );
    expect(offline['need_patient_banner'] === true, `${name}: need_patient_banner`).toBe(
      smart.capabilities.includes('context-banner'),
    );

    const tokens = await signIn(sandbox, 'Portillo', {
      scope: `openid fhirUser launch/patient ${resourceScopes.join(' ')}`,
    });
    const token = tokens.access_token;

    for (const type of ALL_TYPES) {
      const resource = resources.find((r) => r.type === type);
      const claimed = new Set((resource?.interaction ?? []).map((i) => i.code as string));
      if (!resource) {
        // Not in the CapabilityStatement: every endpoint of the type answers 404.
        for (const [method, path] of [
          ['GET', type],
          ['GET', `${type}/x`],
          ['POST', type],
        ] as const) {
          const res = await fhir(
            sandbox,
            token,
            path,
            method === 'POST' ? { method, body: JSON.stringify({ resourceType: type }) } : { method },
          );
          expect(res.status, `${name}: ${method} ${path}`).toBe(404);
        }
        continue;
      }
      const required = requiredParams(resource, adan);
      const and = required ? `&${required}` : '';

      // search-type, and every search parameter it lists.
      let found: Resource | undefined;
      if (claimed.has('search-type')) {
        const all = await fhirJson<Bundle>(sandbox, token, `${type}?_count=5${and}`);
        expect(all.status, `${name}: search ${type}`).toBe(200);
        found = all.body.entry?.[0]?.resource;
        for (const param of resource.searchParam ?? []) {
          const search = `${type}?${param.name}=${encodeURIComponent(sampleValue(param, adan))}${and}`;
          expect((await fhir(sandbox, token, search)).status, `${name}: ${search}`).toBe(200);
        }
        for (const include of resource.searchInclude ?? []) {
          const res = await fhirJson<Bundle>(sandbox, token, `${type}?_include=${include}${and}`);
          expect(res.status, `${name}: _include=${include}`).toBe(200);
        }
        if (!resource.searchInclude?.length) {
          const res = await fhir(sandbox, token, `${type}?_include=${type}:subject${and}`);
          expect(res.status, `${name}: ${type} without _include`).toBe(400);
        }
        // A parameter it does not list, and _revinclude (listed nowhere), are refused.
        for (const unlisted of [
          `${type}?_revinclude=Provenance:target${and}`,
          `${type}?_lastUpdated=ge2000-01-01${and}`,
          `${type}?_has:Observation:subject:code=x${and}`,
        ]) {
          expect((await fhir(sandbox, token, unlisted)).status, `${name}: ${unlisted}`).toBe(400);
        }
      } else {
        expect((await fhir(sandbox, token, type)).status).toBe(405);
      }
      expect(found, `${name}: Portillo has a ${type}`).toBeDefined();

      // read and vread.
      const read = await fhir(sandbox, token, `${type}/${found?.id}`);
      expect(read.status, `${name}: read ${type}`).toBe(claimed.has('read') ? 200 : 405);
      const vread = await fhir(sandbox, token, `${type}/${found?.id}/_history/${found?.meta?.versionId}`);
      expect(vread.status, `${name}: vread ${type}`).toBe(claimed.has('vread') ? 200 : 405);
      // Never listed: history, update, patch, delete.
      expect((await fhir(sandbox, token, `${type}/${found?.id}/_history`)).status).toBe(404);
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        expect(
          (await fhir(sandbox, token, `${type}/${found?.id}`, { method, body: JSON.stringify(found) })).status,
          `${name}: ${method} ${type}`,
        ).toBe(405);
      }

      // create (and conditional create) where listed; 405 elsewhere.
      if (claimed.has('create')) {
        expect(type).toBe('Communication');
        const message: Communication = {
          resourceType: 'Communication',
          status: 'completed',
          identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` }],
          subject: { reference: `Patient/${adan}` },
          sender: { reference: `Patient/${adan}` },
          recipient: [{ reference: LOPEZ }],
          payload: [{ contentString: 'From the walk over the CapabilityStatement.' }],
        };
        const condition = { 'If-None-Exist': `identifier=urn:ietf:rfc:3986|${message.identifier?.[0]?.value}` };
        expect((await post(sandbox, token, type, message, condition)).status).toBe(201);
        expect((await post(sandbox, token, type, message, condition)).status).toBe(
          resource.conditionalCreate ? 200 : 201,
        );
      } else {
        const res = await post(sandbox, token, type, found);
        expect(res.status, `${name}: create ${type}`).toBe(405);
        expect(res.headers.get('allow')).not.toContain('POST');
      }
      for (const code of INTERACTIONS)
        if (!claimed.has(code)) expect(['read', 'vread', 'search-type', 'create']).toContain(code);
    }

    // The parameters every search may carry.
    const common = new Set((rest?.searchParam ?? []).map((p) => p.name));
    const obs = resources.find((r) => r.type === 'Observation') as CapabilityStatementRestResource;
    const and = `&${requiredParams(obs, adan)}`.replace(/&$/, '');
    expect(common.has('_count')).toBe(true);
    const twelve = await fhirJson<Bundle>(sandbox, token, `Observation?_count=12${and}`);
    expect(twelve.body.entry?.length).toBe(Math.min(12, profile.paging.maxCount));
    expect(common.has('_summary')).toBe(true);
    const counted = await fhirJson<Bundle>(sandbox, token, `Observation?_summary=count${and}`);
    expect(counted.body.total).toBe(twelve.body.total);
    expect(counted.body.entry).toBeUndefined();
    const plain = await fhirJson<Bundle>(sandbox, token, `Observation?_count=50${and}`);
    const sorted = await fhirJson<Bundle>(sandbox, token, `Observation?_count=50&_sort=-date${and}`);
    const dates = (b: Bundle) =>
      (b.entry ?? []).map((e) => (e.resource as { effectiveDateTime?: string }).effectiveDateTime ?? '');
    if (common.has('_sort')) {
      expect(dates(sorted.body)).toEqual([...dates(sorted.body)].sort().reverse());
    } else {
      // Accepted and ignored: the same answer as without it.
      expect(sorted.status).toBe(200);
      expect(sorted.body.entry?.map((e) => e.resource?.id)).toEqual(plain.body.entry?.map((e) => e.resource?.id));
    }
    const subsetted = await fhirJson<Bundle>(sandbox, token, `Observation?_count=1&_elements=code${and}`);
    const first = subsetted.body.entry?.[0]?.resource as unknown as Record<string, unknown>;
    expect('status' in first, `${name}: _elements`).toBe(!common.has('_elements'));
  } finally {
    await sandbox.close();
  }
}

/** strict-ehr without its delay and rate limit, so the walk takes seconds (both are tested below with the real values). */
function quick(profile: SandboxProfile): SandboxProfile {
  const { rateLimit: _, ...rest } = profile;
  return { ...rest, searchLatencyMs: 0 };
}

describe("each profile's CapabilityStatement and SMART configuration tell the truth", () => {
  test.each(PROFILE_NAMES)('%s', { timeout: 120_000 }, async (name) => {
    await walk(name, quick(PROFILES[name]));
  });
});

describe('strict-ehr, with its real limits', () => {
  let sandbox: Sandbox;
  let me: string;
  beforeAll(async () => {
    sandbox = await testSandbox({ profile: 'strict-ehr' });
    me = patientId(sandbox, 'Cantú');
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
  });

  test('tokens: need_patient_banner, no refresh token, offline_access not granted', async () => {
    const tokens = await signIn(sandbox, 'Cantú');
    expect(tokens['need_patient_banner']).toBe(true);
    expect(tokens.refresh_token).toBeUndefined();
    expect(String(tokens.scope).split(' ')).not.toContain('offline_access');
  });

  test(
    'Observation searches need patient (or subject) and category; 400 with an OperationOutcome otherwise',
    { timeout: 30_000 },
    async () => {
      const tokens = await signIn(sandbox, 'Cantú');
      for (const search of [
        'Observation?category=laboratory',
        `Observation?patient=${me}`,
        'Observation?code=http://loinc.org|4548-4',
        'Observation?_id=x',
      ]) {
        const res = await fhirJson<{ resourceType: string }>(sandbox, tokens.access_token, search);
        expect(res.status, search).toBe(400);
        expect(res.body.resourceType).toBe('OperationOutcome');
      }
      expect(
        (await fhir(sandbox, tokens.access_token, `Observation?subject=Patient/${me}&category=laboratory`)).status,
      ).toBe(200);
    },
  );

  test(
    'pages of 10 with opaque next links that lead through every result once; _sort and _elements ignored; no _offset',
    { timeout: 120_000 },
    async () => {
      const tokens = await signIn(sandbox, 'Cantú');
      const started = Date.now();
      let url: string | undefined =
        `${sandbox.fhirBaseUrl}/Observation?patient=${me}&category=vital-signs&_count=50&_sort=-date&_elements=code`;
      const seen: string[] = [];
      let pages = 0;
      let total = 0;
      while (url && pages < 8) {
        const page: { status: number; body: Bundle } = await fhirJson<Bundle>(sandbox, tokens.access_token, url);
        expect(page.status).toBe(200);
        total = page.body.total ?? 0;
        expect(page.body.entry?.length).toBeLessThanOrEqual(10);
        for (const e of page.body.entry ?? []) {
          seen.push(e.resource?.id ?? '');
          expect('status' in (e.resource as object)).toBe(true);
        }
        url = page.body.link?.find((l) => l.relation === 'next')?.url;
        if (url) {
          expect(url).toMatch(/\/fhir\/R4\?_getpages=[\w-]{20,}$/);
          expect(url).not.toContain('_offset');
        }
        pages++;
      }
      expect(pages).toBeGreaterThan(2);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(Math.min(total, 80));
      // One second per search.
      expect(Date.now() - started).toBeGreaterThanOrEqual(pages * 1000);
      expect(
        (await fhir(sandbox, tokens.access_token, `Observation?patient=${me}&category=laboratory&_offset=10`)).status,
      ).toBe(400);
      // Another patient cannot follow the link.
      const other = await signIn(sandbox, 'Portillo');
      const mine = await fhirJson<Bundle>(
        sandbox,
        tokens.access_token,
        `Observation?patient=${me}&category=laboratory`,
      );
      const next = mine.body.link?.find((l) => l.relation === 'next')?.url as string;
      expect((await fhir(sandbox, other.access_token, next)).status).toBe(410);
    },
  );

  test(
    'past 10 requests at once, 429 with Retry-After; after waiting, the next request goes through',
    { timeout: 30_000 },
    async () => {
      const tokens = await signIn(sandbox, 'Cantú');
      const replies = await Promise.all(
        Array.from({ length: 14 }, () => fhir(sandbox, tokens.access_token, `Patient/${me}`)),
      );
      const limited = replies.filter((r) => r.status === 429);
      expect(replies.filter((r) => r.status === 200).length).toBe(10);
      expect(limited.length).toBe(4);
      const retryAfter = Number(limited[0]?.headers.get('retry-after'));
      // The portal's JavaScript can read it (CORS).
      const cors = await fetch(`${sandbox.fhirBaseUrl}/Patient/${me}`, {
        headers: { Authorization: `Bearer ${tokens.access_token}`, Origin: PORTAL },
      });
      expect(cors.status).toBe(429);
      expect(cors.headers.get('access-control-expose-headers')).toContain('Retry-After');
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(((await limited[0]?.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
      // Another sign-in has its own bucket.
      const other = await signIn(sandbox, 'Cantú');
      expect((await fhir(sandbox, other.access_token, `Patient/${me}`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      expect((await fhir(sandbox, tokens.access_token, `Patient/${me}`)).status).toBe(200);
    },
  );

  test(
    'a page that paces itself stays under the limit: a results page and five more pages, one after another',
    { timeout: 30_000 },
    async () => {
      const tokens = await signIn(sandbox, 'Cantú');
      const first = await Promise.all([
        fhir(sandbox, tokens.access_token, `Patient/${me}`),
        fhirJson<Bundle>(sandbox, tokens.access_token, `Observation?patient=${me}&category=laboratory`),
        fhir(sandbox, tokens.access_token, `DiagnosticReport?patient=${me}`),
      ]);
      expect(first[0].status).toBe(200);
      expect(first[2].status).toBe(200);
      let next = first[1].body.link?.find((l) => l.relation === 'next')?.url;
      for (let i = 0; i < 5 && next; i++) {
        const page: { status: number; body: Bundle } = await fhirJson<Bundle>(sandbox, tokens.access_token, next);
        expect(page.status).toBe(200);
        next = page.body.link?.find((l) => l.relation === 'next')?.url;
      }
    },
  );
});
