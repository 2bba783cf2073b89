/**
 * The sandbox EHR: a FHIR R4 server (Medplum's engine, in memory) and a SMART
 * authorization server on one origin, seeded from a folder of FHIR Bundles.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { formatHumanName, Operator, parseSearchRequest } from '@medplum/core';
import type { Observation, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { caregivers } from './caregivers.ts';
import { LANGS } from '../src/lib/i18n/langs.ts';
import { createEngine, loadEntries, type Engine } from './fhir/engine.ts';
import { handleFhir } from './fhir/handler.ts';
import { PageLinks } from './fhir/page-links.ts';
import { RateLimiter } from './fhir/rate-limit.ts';
import { PROFILES, type ProfileName, type SandboxProfile } from './profiles.ts';
import { cors, sendJson } from './http.ts';
import { keepCurrent, prepareSeed, readBundles, type SeedProblem } from './seed.ts';
import { handleAuthorize } from './smart/authorize.ts';
import { smartConfiguration, type SamplePatient, type SmartContext } from './smart/configuration.ts';
import { jwks } from './smart/keys.ts';
import { handleRevoke, handleToken } from './smart/token.ts';
import { TokenStore } from './smart/store.ts';
import { handleStaff } from './staff.ts';
import { clarasStyle } from './style.ts';

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));
/**
 * The searches whose filters and sort keys are worked out after start-up
 * (as Clara asks them, src/lib/results/fetch-list.ts; the patient pin is
 * worked out by samplePatients' counts).
 */
const WARM_SEARCHES = ['Observation?category=laboratory,vital-signs&_sort=-date', 'DiagnosticReport?_sort=-date'];

export interface SandboxOptions {
  port: number;
  host?: string;
  /**
   * The origin browsers reach the sandbox at, when that is not its own port
   * (the benchmark puts it behind a slow link of its own, scripts/lib/bench/link.ts):
   * every address it writes (FHIR base, SMART endpoints, `next` links,
   * redirects, the expected `aud`) uses it. Default http://localhost:<port>.
   */
  publicOrigin?: string;
  dataDir: string;
  /** Move each patient's dates so their latest result is recent (the built-in sample set). */
  keepCurrent: boolean;
  /** Origins of the portal: CORS, and the base of the registered redirect URIs. */
  portalOrigins: string[];
  clientId: string;
  clinicName: string;
  /** Guards the clinic-side endpoints (/sandbox/…). */
  secret: string;
  accessSeconds: number;
  /** How the sandbox behaves (profiles.ts): a name, or a profile of one's own (tests). Default `full`. */
  profile?: ProfileName | SandboxProfile;
  /** References a patient may always write to (clinic.config.json messages.defaultRecipients). */
  defaultRecipients?: readonly string[];
}

export interface Sandbox {
  origin: string;
  fhirBaseUrl: string;
  engine: Engine;
  store: TokenStore;
  profile: SandboxProfile;
  patients: SamplePatient[];
  problems: SeedProblem[];
  loaded: number;
  server: Server;
  /** The background warm-up of Clara's first searches: how many resources it looked at. */
  warmed: Promise<number>;
  close: () => Promise<void>;
}

async function samplePatients(engine: Engine): Promise<SamplePatient[]> {
  const patients = (await engine.repo.search<Patient>({ resourceType: 'Patient', count: 10000 })).entry ?? [];
  const out: SamplePatient[] = [];
  for (const { resource } of patients) {
    if (!resource?.id) continue;
    const results = await engine.repo.search<Observation>({
      resourceType: 'Observation',
      filters: [{ code: 'subject', operator: Operator.EQUALS, value: `Patient/${resource.id}` }],
      count: 0,
      total: 'accurate',
    });
    const preferred = resource.communication?.find((c) => c.preferred) ?? resource.communication?.[0];
    const language = preferred?.language?.coding?.[0]?.code;
    out.push({
      id: resource.id,
      name: formatHumanName(resource.name?.[0], { prefix: false }) || resource.id,
      ...(resource.birthDate ? { birthDate: resource.birthDate } : {}),
      ...(language ? { language } : {}),
      ...(resource.gender ? { gender: resource.gender } : {}),
      results: results.total ?? 0,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const profile = typeof options.profile === 'object' ? options.profile : PROFILES[options.profile ?? 'full'];
  const engine = createEngine();
  const store = new TokenStore({ accessSeconds: options.accessSeconds });

  const read = readBundles(options.dataDir);
  const prepared = prepareSeed(read.bundles);
  if (options.keepCurrent) keepCurrent(prepared.entries, new Date());
  const { loaded, problems: loadProblems } = await loadEntries(engine, prepared.entries);
  const problems = [...read.problems, ...prepared.problems, ...loadProblems];
  const patients = await samplePatients(engine);
  const relatedPersons = [...(await engine.repo.matches<RelatedPerson>({ resourceType: 'RelatedPerson' }))];

  // Listen first: with port 0 the system picks a free port, and the origin depends on it.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${options.port} is already in use, so the sandbox EHR cannot start. Stop the program using it, or set SANDBOX_PORT to another port.`,
            )
          : error,
      );
    });
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = options.publicOrigin?.replace(/\/$/, '') ?? `http://localhost:${port}`;
  const fhirBaseUrl = `${origin}/fhir/R4`;

  const smart: SmartContext = {
    store,
    origin,
    fhirBaseUrl,
    clinicName: options.clinicName,
    clients: [
      {
        clientId: options.clientId,
        redirectUris: options.portalOrigins.flatMap((o) => LANGS.map((lang) => `${o}/${lang}/sign-in/`)),
      },
    ],
    patients: () => patients,
    // Worked out at each sign-in: an access that ends today is refused from tomorrow on.
    caregivers: () => caregivers(relatedPersons, new Date()),
    portalOrigins: options.portalOrigins,
    profile,
  };
  const fhirContext = {
    engine,
    store,
    baseUrl: fhirBaseUrl,
    authorizeUrl: `${origin}/auth/authorize`,
    tokenUrl: `${origin}/auth/token`,
    profile,
    defaultRecipients: options.defaultRecipients ?? [],
    pages: new PageLinks(),
    ...(profile.rateLimit ? { limiter: new RateLimiter(profile.rateLimit) } : {}),
  };
  const staffContext = { engine, store, secret: options.secret };

  // Clara's first searches (the results list, its reports), worked out once in the background (fhir/indexed-repository.ts).
  const warmed = engine.repo.warm(WARM_SEARCHES.map((q) => parseSearchRequest(q)));

  server.on('request', async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    try {
      if (path === '/.well-known/smart-configuration' || path === '/fhir/R4/.well-known/smart-configuration') {
        if (cors(req, res, options.portalOrigins)) return;
        sendJson(res, 200, smartConfiguration(smart));
      } else if (path === '/auth/authorize') {
        await handleAuthorize(req, res, smart, url.searchParams);
      } else if (path === '/auth/token') {
        if (cors(req, res, options.portalOrigins)) return;
        await handleToken(req, res, smart);
      } else if (path === '/auth/revoke') {
        if (cors(req, res, options.portalOrigins)) return;
        await handleRevoke(req, res, smart);
      } else if (path === '/auth/jwks') {
        sendJson(res, 200, jwks());
      } else if (path.startsWith('/fhir/R4/') || path === '/fhir/R4') {
        if (cors(req, res, options.portalOrigins)) return;
        await handleFhir(req, res, fhirContext, path.slice('/fhir/R4'.length), url.searchParams);
      } else if (path === '/sandbox/style.css') {
        res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' });
        res.end(clarasStyle());
      } else if (path.startsWith('/sandbox/')) {
        await handleStaff(req, res, staffContext, path.slice('/sandbox/'.length), url.searchParams);
      } else if (path === '/') {
        sendJson(res, 200, {
          name: 'Clara sandbox EHR',
          fhir: fhirBaseUrl,
          smartConfiguration: `${fhirBaseUrl}/.well-known/smart-configuration`,
          patients: patients.map((p) => p.name),
        });
      } else {
        sendJson(res, 404, { error: 'Not found' });
      }
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: (error as Error).message });
      else res.end();
    }
  });

  return {
    origin,
    fhirBaseUrl,
    engine,
    store,
    profile,
    patients,
    problems,
    loaded,
    server,
    warmed,
    close: () =>
      new Promise<void>((resolve) => {
        engine.repo.stopWarming();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
