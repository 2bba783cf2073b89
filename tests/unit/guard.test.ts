import { describe, expect, test } from 'vitest';
import { emptyRecords, guardProblems } from '../e2e/support/guard.ts';

const origins = ['http://localhost:4410', 'http://localhost:4412'];

describe("the e2e fixture's checker (tests/e2e/support/guard.ts)", () => {
  test('nothing to report: requests to the portal, the sandbox and local schemes; console lines about other things', () => {
    const records = emptyRecords();
    records.requests.push(
      { url: 'http://localhost:4410/en/', from: 'about:blank' },
      { url: 'http://localhost:4412/fhir/R4/Observation?patient=1', from: 'http://localhost:4410/en/results/' },
      { url: 'http://localhost:4410/_astro/site.js', from: 'service worker' },
      { url: 'data:image/svg+xml,<svg/>', from: 'http://localhost:4410/en/' },
      { url: 'blob:http://localhost:4410/9a1f', from: 'http://localhost:4410/en/' },
      { url: 'about:blank', from: '(new page)' },
      { url: 'chrome-extension://abc/x.js', from: 'http://localhost:4410/en/' },
    );
    records.console.push({
      page: 'http://localhost:4410/en/',
      type: 'error',
      text: 'Failed to load resource: the server responded with a status of 404 (Not Found)',
    });
    expect(guardProblems(records, { origins })).toEqual([]);
  });

  test('a violation, a policy message in the console and a third-origin request each make one line', () => {
    const records = emptyRecords();
    records.violations.push({
      page: 'http://localhost:4410/en/',
      directive: 'script-src-elem',
      blockedURI: 'inline',
      sample: 'window.x = 1',
    });
    records.console.push(
      {
        page: 'http://localhost:4410/en/',
        type: 'error',
        text: "Executing inline script violates the following Content Security Policy directive 'script-src 'self''.",
      },
      {
        page: 'http://localhost:4410/en/',
        type: 'error',
        text: "Error with Permissions-Policy header: Unrecognized feature: 'bluetooth'.",
      },
    );
    records.requests.push(
      { url: 'https://fonts.example.com/a.woff2', from: 'http://localhost:4410/en/' },
      { url: 'http://127.0.0.1:4410/en/', from: 'service worker' },
    );
    expect(guardProblems(records, { origins })).toEqual([
      'CSP violation on http://localhost:4410/en/: script-src-elem blocked inline — "window.x = 1"',
      "console error on http://localhost:4410/en/: Executing inline script violates the following Content Security Policy directive 'script-src 'self''.",
      "console error on http://localhost:4410/en/: Error with Permissions-Policy header: Unrecognized feature: 'bluetooth'.",
      'request to a third origin: https://fonts.example.com/a.woff2 (from http://localhost:4410/en/)',
      'request to a third origin: http://127.0.0.1:4410/en/ (from service worker)',
    ]);
  });
});
