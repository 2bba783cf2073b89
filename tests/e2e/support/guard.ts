/**
 * What the e2e fixture (test.ts) records in every page and the service
 * worker, and the one function that turns it into problems: a Content
 * Security Policy violation, a console message about the CSP or the
 * Permissions-Policy, or a request to an origin other than the portal and
 * the sandbox EHR. Pure, so a unit test can show that it really reports
 * each of them (tests/unit/guard.test.ts).
 */

export interface Violation {
  /** The page (or frame) where it happened. */
  page: string;
  directive: string;
  blockedURI: string;
  sample: string;
}

export interface ConsoleLine {
  page: string;
  type: string;
  text: string;
}

export interface SeenRequest {
  url: string;
  /** The page or frame that made it, or "service worker". */
  from: string;
}

export interface GuardRecords {
  violations: Violation[];
  console: ConsoleLine[];
  requests: SeenRequest[];
}

export function emptyRecords(): GuardRecords {
  return { violations: [], console: [], requests: [] };
}

/** Chromium's own words when a policy blocks something or a policy header is wrong. */
const POLICY_CONSOLE = /Content[- ]Security[- ]Policy|Permissions[- ]Policy|Feature[- ]Policy|Trusted ?Types?/i;

/** Schemes that never leave the browser. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:', 'chrome-extension:', 'chrome:', 'devtools:']);

export interface GuardOptions {
  /** Origins requests may go to: the portal and the sandbox EHR. */
  origins: readonly string[];
}

/** Every problem in the records, one line each; empty when all is well. */
export function guardProblems(records: GuardRecords, options: GuardOptions): string[] {
  const origins = new Set(options.origins.map((o) => new URL(o).origin));
  return [
    ...records.violations.map(
      (v) =>
        `CSP violation on ${v.page}: ${v.directive} blocked ${v.blockedURI || '(inline)'}${v.sample ? ` — "${v.sample}"` : ''}`,
    ),
    ...records.console
      .filter((line) => POLICY_CONSOLE.test(line.text))
      .map((line) => `console ${line.type} on ${line.page}: ${line.text}`),
    ...records.requests
      .filter((request) => {
        let url: URL;
        try {
          url = new URL(request.url);
        } catch {
          return true;
        }
        return !LOCAL_SCHEMES.has(url.protocol) && !origins.has(url.origin);
      })
      .map((request) => `request to a third origin: ${request.url} (from ${request.from})`),
  ];
}
