/**
 * The sandbox's SMART App Launch authorization server (v2, standalone
 * patient launch, public clients, PKCE S256 only): discovery, the authorize
 * page where you pick a sample patient, the token endpoint, and JWKS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { Lang } from '../../src/lib/i18n/langs.ts';
import { escapeHtml, readBody, redirect, sendHtml, sendJson } from '../http.ts';
import { pickLang, sandboxT } from '../i18n.ts';
import { grantResourceScope, parseResourceScope } from '../fhir/access.ts';
import { scopesSupported, smartCapabilities, supportedPermissions, type SandboxProfile } from '../profiles.ts';
import { isTokenError, type TokenStore } from './store.ts';
import { activeLinks, patientIsTo, type Caregiver, type CaregiverLink } from '../caregivers.ts';

export interface SamplePatient {
  id: string;
  name: string;
  birthDate?: string;
  /** Preferred language code as recorded (es, en-US, de-DE …). */
  language?: string;
  /** As recorded (male, female, other, unknown): picks "father" or "mother" on the caregiver list. */
  gender?: string;
  results: number;
}

export interface RegisteredClient {
  clientId: string;
  redirectUris: string[];
}

export interface SmartContext {
  store: TokenStore;
  /** Public origin of the sandbox, e.g. http://localhost:4322 */
  origin: string;
  /** FHIR base URL; also the SMART issuer and the expected `aud`. */
  fhirBaseUrl: string;
  clinicName: string;
  clients: RegisteredClient[];
  patients: () => SamplePatient[];
  /** The caregivers, with what each may do now (caregivers.ts). */
  caregivers: () => Caregiver[];
  /** Origins the authorize form may redirect to (CSP form-action). */
  portalOrigins: string[];
  /** What the server supports: scopes_supported, capabilities, refresh tokens, the patient banner. */
  profile: SandboxProfile;
}

/** The launch and identity scopes this server grants (offline_access only where the profile gives refresh tokens). */
function basicScopes(profile: SandboxProfile): Set<string> {
  return new Set(['openid', 'fhirUser', 'launch/patient', ...(profile.offlineAccess ? ['offline_access'] : [])]);
}

/**
 * The resource scopes a request can be granted, one per type (wildcards
 * expanded): what was asked ∩ what the profile supports ∩ what a patient may
 * do (read and search; create Communication). The authorize page offers
 * exactly these, and the token's `scope` lists those the patient allowed.
 */
export function grantableScopes(requested: readonly string[], profile: SandboxProfile): string[] {
  const types = Object.keys(profile.resources);
  const out = requested.flatMap((scope) =>
    grantResourceScope(
      scope,
      types,
      (type) => supportedPermissions(profile, type),
      (type, code) => !!profile.resources[type]?.searchParams.includes(code),
    ),
  );
  return [...new Set(out)];
}

let signingKey: { privateKey: KeyObject; jwk: Record<string, unknown> } | undefined;

function key() {
  if (!signingKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    signingKey = {
      privateKey,
      jwk: { ...publicKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' },
    };
  }
  return signingKey;
}

function idToken(claims: Record<string, unknown>): string {
  const { privateKey, jwk } = key();
  const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${enc({ alg: 'RS256', typ: 'JWT', kid: jwk['kid'] })}.${enc(claims)}`;
  const signature = createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url');
  return `${head}.${signature}`;
}

export function smartConfiguration(ctx: SmartContext): Record<string, unknown> {
  return {
    issuer: ctx.fhirBaseUrl,
    jwks_uri: `${ctx.origin}/auth/jwks`,
    authorization_endpoint: `${ctx.origin}/auth/authorize`,
    token_endpoint: `${ctx.origin}/auth/token`,
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint: `${ctx.origin}/auth/revoke`,
    revocation_endpoint_auth_methods_supported: ['none'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ctx.profile.offlineAccess ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
    scopes_supported: scopesSupported(ctx.profile),
    capabilities: smartCapabilities(ctx.profile),
  };
}

export function jwks(): Record<string, unknown> {
  return { keys: [key().jwk] };
}

type Params = Record<string, string>;

/** Validates an authorize request. Problems with the client or redirect are shown, never redirected. */
function validate(
  ctx: SmartContext,
  p: Params,
): { page: 'client' | 'redirect' } | { redirectError: { error: string; description: string } } | { ok: true } {
  const client = ctx.clients.find((c) => c.clientId === p['client_id']);
  if (!client) return { page: 'client' };
  if (!p['redirect_uri'] || !client.redirectUris.includes(p['redirect_uri'])) return { page: 'redirect' };
  if (p['response_type'] !== 'code')
    return { redirectError: { error: 'unsupported_response_type', description: 'response_type must be code.' } };
  if (!p['state']) return { redirectError: { error: 'invalid_request', description: 'state is required.' } };
  if (p['code_challenge_method'] !== 'S256' || !/^[A-Za-z0-9\-._~]{43,128}$/.test(p['code_challenge'] ?? '')) {
    return {
      redirectError: { error: 'invalid_request', description: 'PKCE is required, with code_challenge_method=S256.' },
    };
  }
  if (p['aud'] !== ctx.fhirBaseUrl)
    return { redirectError: { error: 'invalid_request', description: `aud must be ${ctx.fhirBaseUrl}.` } };
  return { ok: true };
}

function errorRedirect(
  res: ServerResponse,
  redirectUri: string,
  state: string | undefined,
  error: string,
  description: string,
): void {
  const url = new URL(redirectUri);
  url.searchParams.set('error', error);
  url.searchParams.set('error_description', description);
  if (state) url.searchParams.set('state', state);
  redirect(res, url.href);
}

function ageOf(birthDate: string | undefined, now = new Date()): number | undefined {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) age--;
  return age;
}

const PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'aud',
  'code_challenge',
  'code_challenge_method',
  'ui_locales',
];

function page(ctx: SmartContext, lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — ${escapeHtml(ctx.clinicName)}</title>
<link rel="stylesheet" href="/sandbox/style.css">
</head>
<body>
<header class="site-header"><div class="wrap site-header__inner"><p class="site-header__clinic">${escapeHtml(ctx.clinicName)}</p></div></header>
<main id="main" class="wrap">
${body}
</main>
</body>
</html>`;
}

function renderAuthorize(ctx: SmartContext, lang: Lang, p: Params, problem?: string): string {
  const t = sandboxT(lang);
  const requested = (p['scope'] ?? '').split(/\s+/).filter(Boolean);
  const resourceScopes = grantableScopes(requested, ctx.profile);
  const hidden = PARAMS.filter((k) => p[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(p[k] ?? '')}">`)
    .join('\n');
  const patients = ctx.patients();
  const patientList = patients.length
    ? patients
        .map((patient, i) => {
          const age = ageOf(patient.birthDate);
          const code = (patient.language ?? '').toLowerCase().split('-')[0] ?? '';
          const speaks =
            code === 'en' || code === 'es'
              ? t(`patient.speaks.${code}`)
              : patient.language
                ? t('patient.speaks.other', { code: patient.language })
                : '';
          const details = [
            age !== undefined ? t('patient.age', { count: age }) : '',
            speaks,
            patient.results ? t('patient.results', { count: patient.results }) : t('patient.noResults'),
          ]
            .filter(Boolean)
            .join(' · ');
          return `<label class="choice"><input type="radio" name="patient" value="${escapeHtml(patient.id)}"${i === 0 ? ' required' : ''}${p['patient'] === patient.id ? ' checked' : ''}><span><strong>${escapeHtml(patient.name)}</strong><br>${escapeHtml(details)}</span></label>`;
        })
        .join('\n')
    : `<p>${escapeHtml(t('noPatients'))}</p>`;
  const caregiverList = ctx
    .caregivers()
    .map((caregiver) => {
      const value = `caregiver:${caregiver.key}`;
      const describe = (links: CaregiverLink[]) => links.map((link) => helpedName(ctx, t, link)).join(', ');
      const active = activeLinks(caregiver);
      const ended = caregiver.links.filter((link) => link.access !== 'active');
      const lines = [
        active.length ? t('caregiver.helps', { people: describe(active) }) : '',
        ...ended.map((link) => endedLine(ctx, t, lang, link)),
      ].filter(Boolean);
      // Named by her name alone (whom she helps is its description), so a patient's name picks the patient's own radio.
      const id = `caregiver-${caregiver.key}`;
      return `<label class="choice"><input type="radio" name="patient" value="${escapeHtml(value)}" aria-labelledby="${escapeHtml(id)}-name" aria-describedby="${escapeHtml(id)}-helps"${p['patient'] === value ? ' checked' : ''}><span><strong id="${escapeHtml(id)}-name">${escapeHtml(caregiver.name)}</strong><br><span id="${escapeHtml(id)}-helps">${lines.map(escapeHtml).join('<br>')}</span></span></label>`;
    })
    .join('\n');
  const scopeList = resourceScopes
    .map((scope) => {
      const parsed = parseResourceScope(scope);
      const type = parsed?.type ?? '';
      const known = [
        'Patient',
        'Observation',
        'DiagnosticReport',
        'Communication',
        'CareTeam',
        'RelatedPerson',
      ].includes(type);
      const what = known ? t(`scope.${type}`) : t('scope.other', { type });
      // A granular scope says what it is limited to (e.g. category=…|laboratory).
      const label = parsed?.query ? t('scope.narrowed', { what, search: parsed.query }) : what;
      return `<label class="choice"><input type="checkbox" name="grant" value="${escapeHtml(scope)}" checked><span>${escapeHtml(label)}</span></label>`;
    })
    .join('\n');
  return page(
    ctx,
    lang,
    t('title', { clinic: ctx.clinicName }),
    `<h1>${escapeHtml(t('title', { clinic: ctx.clinicName }))}</h1>
<div class="notice notice--note"><p>${escapeHtml(t('notice'))}</p></div>
${problem ? `<div class="notice notice--alert" role="alert"><p>${escapeHtml(problem)}</p></div>` : ''}
<form method="post" action="/auth/authorize">
${hidden}
<fieldset><legend>${escapeHtml(t('patients.legend'))}</legend>
${patientList}
</fieldset>
${caregiverList ? `<fieldset><legend>${escapeHtml(t('caregivers.legend'))}</legend>\n${caregiverList}\n</fieldset>` : ''}
${scopeList ? `<fieldset><legend>${escapeHtml(t('scopes.legend', { app: 'Clara' }))}</legend>\n${scopeList}\n</fieldset>` : ''}
<div class="actions">
<button class="button" type="submit" name="action" value="allow">${escapeHtml(t('submit'))}</button>
<button class="button button--secondary" type="submit" name="action" value="cancel" formnovalidate>${escapeHtml(t('cancel'))}</button>
</div>
</form>`,
  );
}

/** "Adán Portillo (father)": a helped patient, and who that patient is to the caregiver. */
function helpedName(ctx: SmartContext, t: ReturnType<typeof sandboxT>, link: CaregiverLink): string {
  const patient = ctx.patients().find((x) => x.id === link.patientId);
  const name = patient?.name ?? link.patientId;
  const relation = patientIsTo(link.relationship, patient?.gender);
  const role = relation ? t(`relation.${relation}`) : link.relationship?.display;
  return role ? t('caregiver.person', { name, role }) : name;
}

function longDate(lang: Lang, value: string): string {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value);
  return Number.isNaN(time)
    ? value
    : new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(time);
}

/** "Access to Margaret Olsen's information ended on March 31, 2025." (or was switched off, or has not started). */
function endedLine(ctx: SmartContext, t: ReturnType<typeof sandboxT>, lang: Lang, link: CaregiverLink): string {
  const name = ctx.patients().find((x) => x.id === link.patientId)?.name ?? link.patientId;
  if (link.access === 'ended' && link.ended) return t('caregiver.ended', { name, date: longDate(lang, link.ended) });
  return t(link.access === 'not-started' ? 'caregiver.notStarted' : 'caregiver.inactive', { name });
}

const hiddenFields = (p: Params, extra: Record<string, string> = {}): string =>
  [...PARAMS.filter((k) => p[k] !== undefined).map((k) => [k, p[k] ?? ''] as const), ...Object.entries(extra)]
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
    .join('\n');

/** SMART's patient picker for a caregiver: whose information to open (only people she may help now). */
function renderPicker(ctx: SmartContext, lang: Lang, p: Params, caregiver: Caregiver, problem?: string): string {
  const t = sandboxT(lang);
  const links = activeLinks(caregiver);
  const grants = (p['__grants'] ?? '')
    .split(' ')
    .filter(Boolean)
    .map((g) => `<input type="hidden" name="grant" value="${escapeHtml(g)}">`)
    .join('\n');
  // One person: the choice is made for her, and shown, so she sees whose information opens.
  const choices = links
    .map(
      (link) =>
        `<label class="choice"><input type="radio" name="helps" value="${escapeHtml(link.relatedPerson)}" required${links.length === 1 || p['helps'] === link.relatedPerson ? ' checked' : ''}><span><strong>${escapeHtml(helpedName(ctx, t, link))}</strong></span></label>`,
    )
    .join('\n');
  return page(
    ctx,
    lang,
    t('picker.title'),
    `<h1>${escapeHtml(t('picker.title'))}</h1>
<p>${escapeHtml(t('picker.who', { name: caregiver.name }))}</p>
${problem ? `<div class="notice notice--alert" role="alert"><p>${escapeHtml(problem)}</p></div>` : ''}
<form method="post" action="/auth/authorize">
${hiddenFields(p, { patient: `caregiver:${caregiver.key}` })}
${grants}
<fieldset><legend>${escapeHtml(t('picker.legend'))}</legend>
${choices}
</fieldset>
<div class="actions">
<button class="button" type="submit" name="action" value="allow">${escapeHtml(t('picker.submit'))}</button>
<button class="button button--secondary" type="submit" name="action" value="cancel" formnovalidate>${escapeHtml(t('cancel'))}</button>
</div>
</form>`,
  );
}

/** A caregiver who may help nobody now: said plainly, and the way back to the app (with an OAuth error). */
function renderRefused(ctx: SmartContext, lang: Lang, p: Params, caregiver: Caregiver): string {
  const t = sandboxT(lang);
  const lines = caregiver.links.map((link) => endedLine(ctx, t, lang, link));
  return page(
    ctx,
    lang,
    t('refused.title'),
    `<h1>${escapeHtml(t('refused.title'))}</h1>
<div class="notice notice--alert"><p>${lines.map(escapeHtml).join('<br>')}</p><p>${escapeHtml(t('refused.help'))}</p></div>
<form method="post" action="/auth/authorize">
${hiddenFields(p, { patient: `caregiver:${caregiver.key}` })}
<div class="actions">
<button class="button" type="submit" name="action" value="refused">${escapeHtml(t('refused.back'))}</button>
</div>
</form>`,
  );
}

function renderError(ctx: SmartContext, lang: Lang, kind: 'client' | 'redirect'): string {
  const t = sandboxT(lang);
  return page(
    ctx,
    lang,
    t('error.title'),
    `<h1>${escapeHtml(t('error.title'))}</h1>
<div class="notice notice--alert"><p>${escapeHtml(t(kind === 'client' ? 'error.client' : 'error.redirect'))}</p></div>`,
  );
}

function pageHeaders(ctx: SmartContext): Record<string, string> {
  return {
    'Content-Security-Policy': `default-src 'none'; style-src 'self'; form-action 'self' ${ctx.portalOrigins.join(' ')}; base-uri 'none'; frame-ancestors 'none'`,
  };
}

export async function handleAuthorize(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: SmartContext,
  query: URLSearchParams,
): Promise<void> {
  const params: Params = {};
  if (req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req, 100_000));
    for (const [k, v] of form) if (k !== 'grant') params[k] = v;
    params['__grants'] = form.getAll('grant').join(' ');
  } else {
    for (const [k, v] of query) params[k] = v;
  }
  const lang = pickLang(params['ui_locales'], req.headers['accept-language']);
  const result = validate(ctx, params);
  if ('page' in result) {
    sendHtml(res, 400, renderError(ctx, lang, result.page), pageHeaders(ctx));
    return;
  }
  const redirectUri = params['redirect_uri'] as string;
  if ('redirectError' in result) {
    errorRedirect(res, redirectUri, params['state'], result.redirectError.error, result.redirectError.description);
    return;
  }
  if (req.method !== 'POST') {
    sendHtml(res, 200, renderAuthorize(ctx, lang, params), pageHeaders(ctx));
    return;
  }
  if (params['action'] === 'cancel') {
    errorRedirect(res, redirectUri, params['state'], 'access_denied', 'The patient cancelled sign-in.');
    return;
  }
  let fhirUser: string | undefined;
  let sub: string | undefined;
  let chosen = params['patient'];
  if (chosen?.startsWith('caregiver:')) {
    const caregiver = ctx.caregivers().find((c) => `caregiver:${c.key}` === chosen);
    if (!caregiver) {
      sendHtml(res, 400, renderAuthorize(ctx, lang, params, sandboxT(lang)('error.patient')), pageHeaders(ctx));
      return;
    }
    if (params['action'] === 'refused' || !activeLinks(caregiver).length) {
      if (params['action'] === 'refused') {
        errorRedirect(
          res,
          redirectUri,
          params['state'],
          'access_denied',
          "This caregiver's access to the patient's records has ended.",
        );
      } else sendHtml(res, 403, renderRefused(ctx, lang, params, caregiver), pageHeaders(ctx));
      return;
    }
    const link = activeLinks(caregiver).find((l) => l.relatedPerson === params['helps']);
    if (!link) {
      const problem = params['helps'] ? sandboxT(lang)('picker.problem') : undefined;
      sendHtml(res, params['helps'] ? 400 : 200, renderPicker(ctx, lang, params, caregiver, problem), pageHeaders(ctx));
      return;
    }
    chosen = link.patientId;
    fhirUser = `RelatedPerson/${link.relatedPerson}`;
    sub = `caregiver-${caregiver.key}`;
  }
  const patient = ctx.patients().find((p) => p.id === chosen);
  if (!patient) {
    sendHtml(res, 400, renderAuthorize(ctx, lang, params, sandboxT(lang)('error.patient')), pageHeaders(ctx));
    return;
  }
  const requested = (params['scope'] ?? '').split(/\s+/).filter(Boolean);
  const approved = new Set((params['__grants'] ?? '').split(' '));
  const basic = basicScopes(ctx.profile);
  const granted = [
    ...new Set(requested.filter((s) => basic.has(s))),
    ...grantableScopes(requested, ctx.profile).filter((s) => approved.has(s)),
  ];
  const code = ctx.store.issueCode({
    clientId: params['client_id'] as string,
    redirectUri,
    codeChallenge: params['code_challenge'] as string,
    patientId: patient.id,
    fhirUser: fhirUser ?? `Patient/${patient.id}`,
    ...(sub ? { sub } : {}),
    scope: granted.join(' '),
  });
  const url = new URL(redirectUri);
  url.searchParams.set('code', code);
  url.searchParams.set('state', params['state'] as string);
  redirect(res, url.href);
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/**
 * What the token and revocation endpoints share: a POSTed form from a known
 * client. Answers 405 or 401 itself (not cached) and gives undefined then.
 */
async function clientPost(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: SmartContext,
): Promise<{ form: URLSearchParams; clientId: string } | undefined> {
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'invalid_request', error_description: 'Use POST.' }, NO_STORE);
    return undefined;
  }
  const form = new URLSearchParams(await readBody(req, 100_000));
  const clientId = form.get('client_id') ?? '';
  if (!ctx.clients.some((c) => c.clientId === clientId)) {
    sendJson(res, 401, { error: 'invalid_client', error_description: 'Unknown client_id.' }, NO_STORE);
    return undefined;
  }
  return { form, clientId };
}

export async function handleToken(req: IncomingMessage, res: ServerResponse, ctx: SmartContext): Promise<void> {
  const posted = await clientPost(req, res, ctx);
  if (!posted) return;
  const { form, clientId } = posted;
  const grantType = form.get('grant_type');
  const result =
    grantType === 'authorization_code'
      ? ctx.store.redeemCode({
          code: form.get('code') ?? '',
          clientId,
          redirectUri: form.get('redirect_uri') ?? '',
          codeVerifier: form.get('code_verifier') ?? '',
        })
      : grantType === 'refresh_token'
        ? ctx.store.useRefreshToken({ refreshToken: form.get('refresh_token') ?? '', clientId })
        : ({
            error: 'invalid_request',
            error_description: 'grant_type must be authorization_code or refresh_token.',
          } as const);
  if (isTokenError(result)) {
    sendJson(res, 400, result, NO_STORE);
    return;
  }
  const body: Record<string, unknown> = { ...result };
  if (ctx.profile.needPatientBanner) body['need_patient_banner'] = true;
  const grant = ctx.store.check(result.access_token);
  const fhirUser = 'grant' in grant ? grant.grant.fhirUser : undefined;
  const sub = 'grant' in grant ? grant.grant.sub : undefined;
  if (result.scope.split(' ').includes('openid')) {
    const now = Math.floor(Date.now() / 1000);
    body['id_token'] = idToken({
      iss: ctx.fhirBaseUrl,
      sub: sub ?? result.patient,
      aud: clientId,
      iat: now,
      exp: now + result.expires_in,
      ...(result.scope.split(' ').includes('fhirUser')
        ? { fhirUser: `${ctx.fhirBaseUrl}/${fhirUser ?? `Patient/${result.patient}`}` }
        : {}),
    });
  }
  sendJson(res, 200, body, NO_STORE);
}

/**
 * RFC 7009 token revocation, for public clients: POST form `token`,
 * `token_type_hint` (optional), `client_id`. 200 for any token, known or not
 * (as the RFC asks, so a caller learns nothing); 401 for an unknown client.
 */
export async function handleRevoke(req: IncomingMessage, res: ServerResponse, ctx: SmartContext): Promise<void> {
  const posted = await clientPost(req, res, ctx);
  if (!posted) return;
  const { form, clientId } = posted;
  const token = form.get('token');
  if (!token) {
    sendJson(res, 400, { error: 'invalid_request', error_description: 'token is required.' }, NO_STORE);
    return;
  }
  ctx.store.revoke({
    token,
    clientId,
    ...(form.get('token_type_hint') ? { hint: form.get('token_type_hint') as string } : {}),
  });
  res.writeHead(200, { ...NO_STORE, 'Content-Length': '0' });
  res.end();
}
