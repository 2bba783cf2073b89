import { describe, expect, test } from 'vitest';
import { TokenStore, isTokenError, s256, sha256Hex } from './store.ts';

const verifier = 'v'.repeat(50);
const grant = {
  clientId: 'c',
  patientId: 'p',
  scope: 'openid patient/Observation.rs offline_access',
  redirectUri: 'http://x/en/sign-in/',
  codeChallenge: s256(verifier),
};

/** A sign-in's tokens (or the store's refusal): a code issued for `grant` and redeemed at once. */
function redeemNew(store: TokenStore) {
  return store.redeemCode({
    code: store.issueCode(grant),
    clientId: 'c',
    redirectUri: grant.redirectUri,
    codeVerifier: verifier,
  });
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('token store', () => {
  test('codes expire after 60 seconds', () => {
    const time = clock();
    const store = new TokenStore({ accessSeconds: 300, now: time.now });
    const code = store.issueCode(grant);
    time.advance(61_000);
    const result = store.redeemCode({ code, clientId: 'c', redirectUri: grant.redirectUri, codeVerifier: verifier });
    expect(isTokenError(result) && result.error_description).toMatch(/expired/);
  });

  test('a code works within 60 seconds, once', () => {
    const time = clock();
    const store = new TokenStore({ accessSeconds: 300, now: time.now });
    const code = store.issueCode(grant);
    time.advance(59_000);
    const ok = store.redeemCode({ code, clientId: 'c', redirectUri: grant.redirectUri, codeVerifier: verifier });
    expect(isTokenError(ok)).toBe(false);
    expect(
      isTokenError(store.redeemCode({ code, clientId: 'c', redirectUri: grant.redirectUri, codeVerifier: verifier })),
    ).toBe(true);
  });

  test('access tokens expire; a refresh gives new ones', () => {
    const time = clock();
    const store = new TokenStore({ accessSeconds: 300, now: time.now });
    const tokens = redeemNew(store);
    if (isTokenError(tokens)) throw new Error(tokens.error);
    expect('grant' in store.check(tokens.access_token)).toBe(true);
    time.advance(301_000);
    expect(store.check(tokens.access_token)).toEqual({ problem: 'expired' });
    const renewed = store.useRefreshToken({ refreshToken: tokens.refresh_token ?? '', clientId: 'c' });
    if (isTokenError(renewed)) throw new Error(renewed.error);
    expect('grant' in store.check(renewed.access_token)).toBe(true);
  });

  test('expiring one sign-in leaves the others working', () => {
    const store = new TokenStore({ accessSeconds: 300 });
    const a = redeemNew(store);
    const b = redeemNew(store);
    if (isTokenError(a) || isTokenError(b)) throw new Error('no tokens');
    expect(store.expire({ accessToken: a.access_token, includeRefresh: true })).toBe(1);
    expect(store.check(a.access_token)).toEqual({ problem: 'expired' });
    expect('grant' in store.check(b.access_token)).toBe(true);
    expect(isTokenError(store.useRefreshToken({ refreshToken: a.refresh_token ?? '', clientId: 'c' }))).toBe(true);
    expect(isTokenError(store.useRefreshToken({ refreshToken: b.refresh_token ?? '', clientId: 'c' }))).toBe(false);
  });

  test('revoking a refresh token ends its whole sign-in; an access token ends alone; unknown tokens change nothing', () => {
    const store = new TokenStore({ accessSeconds: 300 });
    const a = redeemNew(store);
    const b = redeemNew(store);
    if (isTokenError(a) || isTokenError(b)) throw new Error('no tokens');
    const renewed = store.useRefreshToken({ refreshToken: a.refresh_token ?? '', clientId: 'c' });
    if (isTokenError(renewed)) throw new Error(renewed.error);
    // Another client cannot revoke it, and an unknown token is no error.
    store.revoke({ token: renewed.refresh_token ?? '', clientId: 'someone-else' });
    store.revoke({ token: 'not-a-token', clientId: 'c' });
    expect(store.revocations()).toEqual([]);
    expect('grant' in store.check(renewed.access_token)).toBe(true);

    store.revoke({ token: renewed.refresh_token ?? '', clientId: 'c', hint: 'refresh_token' });
    // The family: the first access token and the renewed one.
    expect(store.check(a.access_token)).toEqual({ problem: 'invalid' });
    expect(store.check(renewed.access_token)).toEqual({ problem: 'invalid' });
    expect(isTokenError(store.useRefreshToken({ refreshToken: renewed.refresh_token ?? '', clientId: 'c' }))).toBe(
      true,
    );
    // Another sign-in is untouched until its access token is revoked, alone.
    expect('grant' in store.check(b.access_token)).toBe(true);
    store.revoke({ token: b.access_token, clientId: 'c', hint: 'access_token' });
    expect(store.check(b.access_token)).toEqual({ problem: 'invalid' });
    expect(isTokenError(store.useRefreshToken({ refreshToken: b.refresh_token ?? '', clientId: 'c' }))).toBe(false);

    const list = store.revocations();
    expect(list.map((r) => [r.kind, r.patient])).toEqual([
      ['refresh', 'p'],
      ['access', 'p'],
    ]);
    expect(list[0]?.tokenSha256).toBe(sha256Hex(renewed.refresh_token ?? ''));
    // Never the token itself.
    expect(JSON.stringify(list)).not.toContain(renewed.refresh_token);
  });

  test('a rotated refresh token used again revokes its whole family, later tokens too; other sign-ins go on', () => {
    const store = new TokenStore({ accessSeconds: 300 });
    const redeem = () => redeemNew(store);
    const first = redeem();
    const other = redeem();
    if (isTokenError(first) || isTokenError(other)) throw new Error('no tokens');
    const second = store.useRefreshToken({ refreshToken: first.refresh_token ?? '', clientId: 'c' });
    if (isTokenError(second)) throw new Error(second.error);
    const third = store.useRefreshToken({ refreshToken: second.refresh_token ?? '', clientId: 'c' });
    if (isTokenError(third)) throw new Error(third.error);
    const replay = store.useRefreshToken({ refreshToken: first.refresh_token ?? '', clientId: 'c' });
    expect(isTokenError(replay) && replay.error).toBe('invalid_grant');
    for (const t of [first, second, third]) expect(store.check(t.access_token)).toEqual({ problem: 'invalid' });
    expect(isTokenError(store.useRefreshToken({ refreshToken: third.refresh_token ?? '', clientId: 'c' }))).toBe(true);
    expect('grant' in store.check(other.access_token)).toBe(true);
  });

  test('the grant keeps who signed in (fhirUser): the patient unless told otherwise', () => {
    const store = new TokenStore({ accessSeconds: 300 });
    const own = redeemNew(store);
    const carer = store.redeemCode({
      code: store.issueCode({ ...grant, fhirUser: 'RelatedPerson/r1' }),
      clientId: 'c',
      redirectUri: grant.redirectUri,
      codeVerifier: verifier,
    });
    if (isTokenError(own) || isTokenError(carer)) throw new Error('no tokens');
    const a = store.check(own.access_token);
    const b = store.check(carer.access_token);
    expect('grant' in a && a.grant.fhirUser).toBe('Patient/p');
    expect('grant' in b && b.grant.fhirUser).toBe('RelatedPerson/r1');
  });
});
