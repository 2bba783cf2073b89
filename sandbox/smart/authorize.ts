/**
 * The sandbox SMART server's authorize endpoint: checks the request (a
 * problem with the client or redirect is shown, never redirected), shows the
 * pages (authorize-pages.ts), and sends the code, or an OAuth error, back to
 * the app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { activeLinks } from '../caregivers.ts';
import { readBody, redirect, sendHtml } from '../http.ts';
import { pickLang, sandboxT } from '../i18n.ts';
import {
  pageHeaders,
  renderAuthorize,
  renderError,
  renderPicker,
  renderRefused,
  type Params,
} from './authorize-pages.ts';
import { basicScopes, grantableScopes, type SmartContext } from './configuration.ts';

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
