import { beforeEach, describe, expect, test } from 'vitest';
import { installBrowserGlobals } from './support/browser-globals.ts';
import { clearSession, getSession, granted, saveSession } from '../../src/lib/auth/session.ts';
import { safeReturnPath, langOfPath } from '../../src/lib/auth/return-to.ts';
import { connectOrigins, endpointsOutside } from '../../src/lib/auth/discovery.ts';
import { randomToken, scopesFor } from '../../src/lib/auth/smart.ts';

installBrowserGlobals();

describe('session', () => {
  beforeEach(() => clearSession());

  test('kept in sessionStorage only, never localStorage', () => {
    saveSession({
      accessToken: 'secret-token',
      expiresAt: 1,
      scope: '',
      patientId: 'p',
      fhirBaseUrl: 'x',
      tokenEndpoint: 'y',
      issuer: 'x',
      clientId: 'c',
    });
    expect(sessionStorage.getItem('clara.session')).toContain('secret-token');
    expect(localStorage.length).toBe(0);
    expect(getSession()?.patientId).toBe('p');
    clearSession();
    expect(sessionStorage.getItem('clara.session')).toBeNull();
    expect(getSession()).toBeNull();
  });

  test('granted() reads SMART v2 and v1 scopes', () => {
    const s = { scope: 'openid patient/Observation.rs patient/Communication.crs patient/CareTeam.read' };
    expect(granted(s, 'Observation')).toBe(true);
    expect(granted(s, 'Observation', 'c')).toBe(false);
    expect(granted(s, 'Communication', 'c')).toBe(true);
    expect(granted(s, 'CareTeam', 's')).toBe(true);
    expect(granted(s, 'DiagnosticReport')).toBe(false);
    expect(granted({ scope: 'patient/*.rs' }, 'Patient')).toBe(true);
  });
});

describe('sign-in', () => {
  test("the smallest scopes; offline_access only when configured, and only on the patient's own device", () => {
    const smallest =
      'openid fhirUser launch/patient patient/Patient.rs patient/Observation.rs patient/DiagnosticReport.rs patient/Communication.crs patient/CareTeam.rs patient/RelatedPerson.rs';
    expect(scopesFor({ offlineAccess: false }, 'own')).toBe(smallest);
    expect(scopesFor({ offlineAccess: true }, 'own')).toContain(' offline_access ');
    // A shared device, or one not decided yet, gets no refresh token.
    expect(scopesFor({ offlineAccess: true }, 'shared')).toBe(smallest);
    expect(scopesFor({ offlineAccess: true }, undefined)).toBe(smallest);
  });

  test('state has at least 128 bits of randomness, URL-safe, never repeated', () => {
    const a = randomToken(32);
    const b = randomToken(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(randomToken(16).length * 6).toBeGreaterThanOrEqual(128);
  });

  test('return paths stay on this site, in a language, never back to sign-in', () => {
    expect(safeReturnPath('/es/results/view/?id=1', '/', '/en/')).toBe('/es/results/view/?id=1');
    expect(safeReturnPath('https://evil.example/', '/', '/en/')).toBe('/en/');
    expect(safeReturnPath('//evil.example/', '/', '/en/')).toBe('/en/');
    expect(safeReturnPath('/\\evil.example', '/', '/en/')).toBe('/en/');
    expect(safeReturnPath('/fr/x/', '/', '/en/')).toBe('/en/');
    expect(safeReturnPath('/en/sign-in/?return=/en/', '/', '/en/')).toBe('/en/');
    expect(safeReturnPath(null, '/', '/es/')).toBe('/es/');
    expect(langOfPath('/es/messages/', '/', 'en')).toBe('es');
  });
});

describe("SMART endpoints and the page's policy", () => {
  const policy =
    "default-src 'self'; script-src 'self' 'sha256-abc='; connect-src 'self' https://ehr.example.org https://login.example.org:8443; frame-ancestors 'none'";

  test("the origins connect-src allows, 'self' as the page's origin", () => {
    expect([...(connectOrigins(policy, 'https://portal.example.org') ?? [])]).toEqual([
      'https://portal.example.org',
      'https://ehr.example.org',
      'https://login.example.org:8443',
    ]);
    // Without connect-src, default-src decides.
    expect([...(connectOrigins("default-src 'self'", 'https://portal.example.org') ?? [])]).toEqual([
      'https://portal.example.org',
    ]);
  });

  test('nothing can be told without a policy, or with wildcards or bare schemes', () => {
    expect(connectOrigins(undefined, 'https://p.example')).toBeUndefined();
    expect(connectOrigins("connect-src 'self' https://*.example.org", 'https://p.example')).toBeUndefined();
    expect(connectOrigins("connect-src 'self' https:", 'https://p.example')).toBeUndefined();
  });

  test('the token and revocation endpoints outside the allowed origins are named (the authorization endpoint is a navigation)', () => {
    const allowed = connectOrigins(policy, 'https://portal.example.org') ?? new Set<string>();
    const config = {
      authorization_endpoint: 'https://elsewhere.example.net/authorize',
      token_endpoint: 'https://login.example.org:8443/token',
      revocation_endpoint: 'https://revoke.example.net/revoke',
    };
    expect(endpointsOutside(config, allowed)).toEqual([
      { endpoint: 'revocation_endpoint', origin: 'https://revoke.example.net' },
    ]);
    expect(endpointsOutside({ ...config, token_endpoint: 'https://login.example.org/token' }, allowed)).toEqual([
      { endpoint: 'token_endpoint', origin: 'https://login.example.org' },
      { endpoint: 'revocation_endpoint', origin: 'https://revoke.example.net' },
    ]);
    expect(endpointsOutside({ token_endpoint: 'https://ehr.example.org/token' }, allowed)).toEqual([]);
  });
});
