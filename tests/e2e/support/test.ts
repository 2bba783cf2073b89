/**
 * Every spec imports `test` and `expect` from here. An automatic fixture
 * watches the test's browser context (and any context the test opens
 * itself): `securitypolicyviolation` events in every page and frame, console
 * messages about the Content-Security-Policy or Permissions-Policy, and every
 * request of the pages and the service worker. Any violation, policy message
 * or request to an origin other than the portal and the sandbox EHR fails
 * the test, with the list (guard.ts says what counts).
 *
 * A test that opens a server of its own allows its origin:
 *   test.use({ allowedOrigins: [...DEFAULT_ORIGINS, other] })
 * A test that provokes a violation on purpose checks it itself and clears
 * the records: `guardProblems(guard.take(), …)` (tests/e2e/security.spec.ts).
 */
import { expect, test as base, type Browser, type BrowserContext } from '@playwright/test';
import { BASE_URL, SANDBOX_ORIGIN } from './env.ts';
import { emptyRecords, guardProblems, type GuardRecords, type Violation } from './guard.ts';

export { expect };

export const DEFAULT_ORIGINS: readonly string[] = [BASE_URL, SANDBOX_ORIGIN];

const BINDING = '__claraPolicyViolation';

/** Runs in every page and frame before its own scripts. */
function reportViolations(binding: string): void {
  addEventListener(
    'securitypolicyviolation',
    (event) => {
      const report = (window as unknown as Record<string, (v: Omit<Violation, 'page'>) => void>)[binding];
      report?.({ directive: event.effectiveDirective, blockedURI: event.blockedURI, sample: event.sample });
    },
    true,
  );
}

export class Guard {
  readonly records: GuardRecords = emptyRecords();
  private readonly watched = new WeakSet<BrowserContext>();

  async watch(context: BrowserContext): Promise<void> {
    if (this.watched.has(context)) return;
    this.watched.add(context);
    await context.exposeBinding(BINDING, ({ frame }, violation: Omit<Violation, 'page'>) => {
      this.records.violations.push({ page: frame.url(), ...violation });
    });
    await context.addInitScript(reportViolations, BINDING);
    context.on('console', (message) => {
      this.records.console.push({
        page: message.page()?.url() ?? '(worker)',
        type: message.type(),
        text: message.text(),
      });
    });
    context.on('request', (request) => {
      let from = 'service worker';
      if (!request.serviceWorker()) {
        try {
          from = request.frame().url() || '(new page)';
        } catch {
          from = '(no frame)';
        }
      }
      this.records.requests.push({ url: request.url(), from });
    });
  }

  /** Hands the records so far to the test (which checks them itself) and starts afresh. */
  take(): GuardRecords {
    const taken = structuredClone(this.records);
    this.records.violations.length = 0;
    this.records.console.length = 0;
    this.records.requests.length = 0;
    return taken;
  }
}

interface GuardFixtures {
  allowedOrigins: readonly string[];
  guard: Guard;
}

export const test = base.extend<GuardFixtures>({
  allowedOrigins: [DEFAULT_ORIGINS, { option: true }],
  guard: [
    async ({ context, browser, allowedOrigins }, use) => {
      const guard = new Guard();
      await guard.watch(context);
      // Contexts the test opens itself (browser.newContext, browser.newPage) are watched too.
      const newContext = browser.newContext;
      const patched: Browser['newContext'] = async (...args) => {
        const opened = await newContext.apply(browser, args);
        await guard.watch(opened);
        return opened;
      };
      browser.newContext = patched;
      try {
        await use(guard);
      } finally {
        browser.newContext = newContext;
      }
      const problems = guardProblems(guard.records, { origins: allowedOrigins });
      expect(problems, 'CSP violations, policy messages in the console, and requests to third origins').toEqual([]);
    },
    { auto: true },
  ],
});
