/**
 * Authorization codes, access tokens and refresh tokens, in memory.
 * Codes live 60 s and work once; access tokens expire; refresh tokens rotate.
 * Every token from one sign-in (the code's, then each refresh's) is of one
 * family: a code or a rotated refresh token used again means someone else has
 * it, so the whole family is revoked, later tokens too (OAuth 2.0 Security
 * BCP, RFC 9700 §4.14.2; RFC 6749 §4.1.2 for codes).
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Grant {
  clientId: string;
  patientId: string;
  /** Granted scopes, space separated. */
  scope: string;
  /**
   * Who signed in, as a FHIR reference (`Patient/<id>` for a patient; a
   * caregiver would be a `RelatedPerson/<id>`). Messages are sent as this.
   * Default: the patient.
   */
  fhirUser?: string;
  /**
   * The id_token's `sub`: who signed in, the same person whoever's record is
   * open (a caregiver has one RelatedPerson per patient she helps, and one
   * `sub`). Default: the patient's id.
   */
  sub?: string;
}

interface CodeRecord extends Grant {
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
  used: boolean;
  /** The family of the tokens this code gave, revoked if the code is used again. */
  family?: string;
}

interface TokenRecord extends Grant {
  expiresAt: number;
  /** Tokens from one sign-in (the code, then each refresh) share a family. */
  family: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  patient: string;
  refresh_token?: string;
}

/** What was revoked (RFC 7009), for tests: the token only as a SHA-256 hash, never itself. */
export interface Revocation {
  kind: 'refresh' | 'access';
  patient: string;
  /** ISO time of the revocation. */
  at: string;
  /** Hex SHA-256 of the token. */
  tokenSha256: string;
}

export type TokenError = { error: 'invalid_grant' | 'invalid_request' | 'invalid_client'; error_description: string };

const random = () => randomBytes(32).toString('base64url');

/** BASE64URL(SHA256(verifier)), as PKCE S256 defines it. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export class TokenStore {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly access = new Map<string, TokenRecord>();
  private readonly refresh = new Map<string, TokenRecord>();
  /** Refresh tokens already exchanged (rotated out), and their family, until they would have expired. */
  private readonly rotated = new Map<string, { family: string; expiresAt: number }>();

  private readonly options: { accessSeconds: number; codeSeconds?: number; now?: () => number };

  constructor(options: { accessSeconds: number; codeSeconds?: number; now?: () => number }) {
    this.options = options;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  issueCode(grant: Grant & { redirectUri: string; codeChallenge: string }): string {
    const code = random();
    this.codes.set(code, { ...grant, expiresAt: this.now() + (this.options.codeSeconds ?? 60) * 1000, used: false });
    for (const [token, { expiresAt }] of this.rotated) if (expiresAt < this.now()) this.rotated.delete(token);
    return code;
  }

  redeemCode(input: {
    code: string;
    clientId: string;
    redirectUri: string;
    codeVerifier: string;
  }): TokenResponse | TokenError {
    const record = this.codes.get(input.code);
    if (!record) return { error: 'invalid_grant', error_description: 'The authorization code is not known.' };
    if (record.used) {
      if (record.family) this.revokeFamily(record.family);
      return { error: 'invalid_grant', error_description: 'The authorization code was already used.' };
    }
    record.used = true;
    if (record.expiresAt < this.now())
      return { error: 'invalid_grant', error_description: 'The authorization code has expired.' };
    if (record.clientId !== input.clientId)
      return { error: 'invalid_grant', error_description: 'The code was issued to another client.' };
    if (record.redirectUri !== input.redirectUri)
      return { error: 'invalid_grant', error_description: 'redirect_uri does not match the authorization request.' };
    if (!input.codeVerifier || s256(input.codeVerifier) !== record.codeChallenge) {
      return { error: 'invalid_grant', error_description: 'The PKCE code_verifier does not match the code_challenge.' };
    }
    record.family = random();
    return this.issueTokens(record, record.family);
  }

  private issueTokens(grant: Grant, family: string): TokenResponse {
    const access_token = random();
    const expires_in = this.options.accessSeconds;
    const base: Grant = {
      clientId: grant.clientId,
      patientId: grant.patientId,
      scope: grant.scope,
      fhirUser: grant.fhirUser ?? `Patient/${grant.patientId}`,
      sub: grant.sub ?? grant.patientId,
    };
    this.access.set(access_token, { ...base, family, expiresAt: this.now() + expires_in * 1000 });
    const response: TokenResponse = {
      access_token,
      token_type: 'Bearer',
      expires_in,
      scope: grant.scope,
      patient: grant.patientId,
    };
    if (grant.scope.split(' ').includes('offline_access')) {
      const refresh_token = random();
      this.refresh.set(refresh_token, { ...base, family, expiresAt: this.now() + 30 * 86_400_000 });
      response.refresh_token = refresh_token;
    }
    return response;
  }

  /** Exchanges a refresh token for new tokens; the old refresh token stops working (rotation). */
  useRefreshToken(input: { refreshToken: string; clientId: string }): TokenResponse | TokenError {
    const record = this.refresh.get(input.refreshToken);
    const replayed = this.rotated.get(input.refreshToken);
    if (!record && replayed) {
      this.revokeFamily(replayed.family);
      return {
        error: 'invalid_grant',
        error_description: 'The refresh token was already used; every token of this sign-in is revoked.',
      };
    }
    if (!record || record.expiresAt < this.now())
      return { error: 'invalid_grant', error_description: 'The refresh token is not valid.' };
    if (record.clientId !== input.clientId)
      return { error: 'invalid_grant', error_description: 'The refresh token was issued to another client.' };
    this.refresh.delete(input.refreshToken);
    this.rotated.set(input.refreshToken, { family: record.family, expiresAt: record.expiresAt });
    return this.issueTokens(record, record.family);
  }

  /** Ends a sign-in: every access and refresh token of the family stops working. */
  private revokeFamily(family: string): void {
    for (const [token, record] of this.access) if (record.family === family) this.access.delete(token);
    for (const [token, record] of this.refresh) if (record.family === family) this.refresh.delete(token);
  }

  /** The grant behind a bearer token, or why not. */
  check(token: string | undefined): { grant: Grant } | { problem: 'missing' | 'invalid' | 'expired' } {
    if (!token) return { problem: 'missing' };
    const record = this.access.get(token);
    if (!record) return { problem: 'invalid' };
    if (record.expiresAt < this.now()) return { problem: 'expired' };
    return { grant: record };
  }

  /**
   * Sandbox control: makes access tokens expire now, and forgets refresh
   * tokens too when asked. With `accessToken`, only that sign-in's tokens
   * (its family); otherwise everyone's.
   */
  expire(options: { accessToken?: string; includeRefresh: boolean }): number {
    const family = options.accessToken ? this.access.get(options.accessToken)?.family : undefined;
    if (options.accessToken && !family) return 0;
    let count = 0;
    for (const record of this.access.values()) {
      if (!family || record.family === family) {
        record.expiresAt = 0;
        count++;
      }
    }
    if (options.includeRefresh) {
      for (const [token, record] of this.refresh) if (!family || record.family === family) this.refresh.delete(token);
    }
    return count;
  }

  private readonly revoked: Revocation[] = [];

  /**
   * RFC 7009: revokes a token issued to this client. A refresh token ends its
   * whole family (every access token of that sign-in too); an access token
   * ends alone. Unknown tokens, and another client's, change nothing (the
   * endpoint answers 200 all the same).
   */
  revoke(input: { token: string; clientId: string; hint?: string }): void {
    const at = new Date(this.now()).toISOString();
    const tryRefresh = () => {
      const record = this.refresh.get(input.token);
      if (!record || record.clientId !== input.clientId) return false;
      this.revokeFamily(record.family);
      this.revoked.push({ kind: 'refresh', patient: record.patientId, at, tokenSha256: sha256Hex(input.token) });
      return true;
    };
    const tryAccess = () => {
      const record = this.access.get(input.token);
      if (!record || record.clientId !== input.clientId) return false;
      this.access.delete(input.token);
      this.revoked.push({ kind: 'access', patient: record.patientId, at, tokenSha256: sha256Hex(input.token) });
      return true;
    };
    // The hint says where to look first; the other kind is looked at too (RFC 7009, 2.1).
    if (input.hint === 'access_token') void (tryAccess() || tryRefresh());
    else void (tryRefresh() || tryAccess());
  }

  /** Every revocation so far, oldest first. */
  revocations(): Revocation[] {
    return [...this.revoked];
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function isTokenError(value: TokenResponse | TokenError): value is TokenError {
  return 'error' in value;
}
