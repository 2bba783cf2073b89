/**
 * Finds a Chromium for the e2e tests and the benchmark: Playwright's own if
 * it was downloaded, else a system Chromium or Chrome, else (as root, with
 * apt) installs Debian's `chromium`; else stops with one clear sentence.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { canApt } from './apt.ts';

/** The flags Chromium needs on a locked-down, offline CI machine. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const NO_BROWSER_MESSAGE =
  'No Chromium was found: install one with "sudo apt-get install -y chromium" (Debian or Ubuntu) or "npx playwright install chromium", or set CLARA_CHROMIUM to the path of a Chrome or Chromium program, then run the tests again.';

async function playwrightOwn(): Promise<string | undefined> {
  try {
    const { chromium } = await import('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Finds a browser without installing anything. */
export async function findBrowser(): Promise<string | undefined> {
  const fromEnv = process.env['CLARA_CHROMIUM'];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return (await playwrightOwn()) ?? SYSTEM_PATHS.find((p) => existsSync(p));
}

/** Finds a browser, installing Debian's chromium when it can; throws NO_BROWSER_MESSAGE otherwise. */
export async function findOrInstallBrowser(log: (line: string) => void = console.log): Promise<string> {
  const found = await findBrowser();
  if (found) return found;
  if (canApt()) {
    log("No Chromium found; installing Debian's chromium with apt-get (this happens once).");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env,
    });
    if (install.status === 0 && existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  throw new Error(NO_BROWSER_MESSAGE);
}
