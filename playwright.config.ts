/**
 * Playwright runs Clara's journeys in real Chromium against the built site
 * (dist/, served by scripts/serve.ts). `npm test` finds the browser first
 * (scripts/lib/browser.ts) and passes it in CLARA_CHROMIUM.
 *
 * Projects:
 * - phone: 360×640, the reference device; every test runs here.
 * - desktop: 1280×800; the @matrix tests (every page, axe, layout).
 * - phone-xl-dark: 360×640 with Extra large text and the Dark theme;
 *   the @matrix and @xl tests.
 */
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/lib/browser.ts';

const PORT = Number(process.env['CLARA_TEST_PORT'] ?? 4410);
const BASE_URL = `http://localhost:${PORT}`;
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
  reporter: [
    [process.env['CI'] ? 'dot' : 'list'],
    ['json', { outputFile: 'reports/e2e.json' }],
  ],
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
  webServer: {
    command: `node scripts/serve.ts --port ${PORT} --dir dist`,
    url: `${BASE_URL}/en/`,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    timeout: 30_000,
  },
});
