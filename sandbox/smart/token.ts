/**
 * The sandbox SMART server's token endpoint (authorization code with PKCE,
 * refresh token; an id_token when `openid` was granted) and its RFC 7009
 * revocation endpoint, for public clients.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http.ts';
import type { SmartContext } from './configuration.ts';
import { idToken } from './keys.ts';
import { isTokenError } from './store.ts';

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
