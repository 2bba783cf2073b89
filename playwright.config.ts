/**
 * Playwright runs Clara's journeys in real Chromium against the built site
 * (dist/) served by nginx with the shipped configuration, with the sandbox
 * EHR beside it (scripts/stack.ts). `npm test` builds the site for that
 * sandbox and finds the browser and nginx first (scripts/lib/browser.ts,
 * scripts/lib/nginx.ts), passing them in CLARA_CHROMIUM and CLARA_NGINX.
 * CLARA_TEST_SERVER=node serves the portal with the project's own server instead.
 * Every spec imports `test` and `expect` from tests/e2e/support/test.ts,
 * which fails a test on any CSP violation or request to a third origin.
 *
 * Projects:
 * - phone: 360×640, the reference device; every test runs here.
 * - desktop: 1280×800; the @matrix tests (every page, axe, layout).
 * - phone-xl-dark: 360×640 with Extra large text and the Dark theme;
 *   the @matrix and @xl tests.
 */
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/lib/browser.ts';
import { BASE_URL, PORT, SANDBOX_PORT, SANDBOX_SECRET } from './tests/e2e/support/env.ts';

const executablePath = process.env['CLARA_CHROMIUM'];

const phone = {
  viewport: { width: 360, height: 640 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  workers: Number(process.env['CLARA_TEST_WORKERS'] ?? 2),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env['CI'],
  reporter: [[process.env['CI'] ? 'dot' : 'list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    locale: 'en-US',
    trace: 'off',
    video: 'off',
    screenshot: 'only-on-failure',
    serviceWorkers: 'allow',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: 'phone', use: { ...devices['Desktop Chrome'], ...phone } },
    { name: 'desktop', grep: /@matrix/, use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } } },
    {
      name: 'phone-xl-dark',
      grep: /@matrix|@xl/,
      use: {
        ...devices['Desktop Chrome'],
        ...phone,
        storageState: {
          cookies: [],
          origins: [
            {
              origin: BASE_URL,
              localStorage: [
                { name: 'clara.textSize', value: 'xl' },
                { name: 'clara.theme', value: 'dark' },
              ],
            },
          ],
        },
      },
    },
  ],
  // The built portal and its sandbox EHR. `npm test` builds dist/ pointed at
  // this sandbox port first (scripts/test.ts). The portal starts after the
  // sandbox, so its address answering means both are up.
  webServer: {
    command: `node scripts/stack.ts --port ${PORT} --sandbox-port ${SANDBOX_PORT} --server ${process.env['CLARA_TEST_SERVER'] === 'node' ? 'node' : 'nginx'}`,
    url: `${BASE_URL}/`,
    // SIGTERM lets the stack stop nginx and remove its temporary folder.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: { ...(process.env as Record<string, string>), SANDBOX_SECRET, SANDBOX_TOKEN_SECONDS: '900' },
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    timeout: 60_000,
  },
});
