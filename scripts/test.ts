/**
 * `npm test`: builds Clara while the unit tests (Vitest) run, finds or installs
 * a Chromium and nginx, runs the e2e journeys (Playwright) against the build
 * served by nginx with the shipped configuration, and ends with each
 * runner's summary and one line "N passed, N failed".
 *
 *   npm test                  everything
 *   npm test -- --unit-only   unit tests only
 *   npm test -- --e2e-only    build + e2e only
 *   npm test -- <args>        other arguments go to Playwright (e.g. --project=phone, -g "settings")
 */
import { readFileSync, rmSync } from 'node:fs';
import { findOrInstallBrowser } from './lib/browser.ts';
import { findOrInstallNginx } from './lib/nginx.ts';
import { bin, buildSiteInBackground, run } from './lib/run.ts';
import { sandboxBuildEnv } from './lib/stack.ts';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit-only');
const e2eOnly = args.includes('--e2e-only');
const passThrough = args.filter((a) => a !== '--unit-only' && a !== '--e2e-only');
const started = Date.now();

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const summaries: { name: string; tally: Tally | undefined; status: number }[] = [];

rmSync('reports', { recursive: true, force: true });

// The e2e tests' build starts now and runs beside the unit tests.
const building = unitOnly
  ? undefined
  : buildSiteInBackground(
      sandboxBuildEnv(
        Number(process.env['CLARA_TEST_SANDBOX_PORT'] ?? 4412),
        Number(process.env['CLARA_TEST_PORT'] ?? 4410),
      ),
    );

if (!e2eOnly) {
  const status = run(bin('vitest'), ['run']);
  const report = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  }>('reports/unit.json');
  summaries.push({
    name: 'unit (Vitest)',
    status,
    tally: report && {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    },
  });
}

if (building) {
  console.log('\n> Building Clara for the e2e tests (astro build, started beside the unit tests)');
  const { status: built, output } = await building;
  if (output.trim()) console.log(output.trimEnd());
  if (built !== 0) {
    summaries.push({ name: 'e2e (Playwright)', status: built, tally: undefined });
    console.error('The build failed, so the e2e tests did not run.');
  } else {
    let browser: string | undefined;
    let nginx: string | undefined;
    try {
      browser = await findOrInstallBrowser();
      console.log(`> Browser: ${browser}`);
      if (process.env['CLARA_TEST_SERVER'] === 'node') {
        nginx = '';
        console.log("> Portal served by the project's own server (CLARA_TEST_SERVER=node)");
      } else {
        nginx = findOrInstallNginx();
        console.log(`> nginx: ${nginx}`);
      }
    } catch (error) {
      console.error(`\n${(error as Error).message}\n`);
      summaries.push({ name: 'e2e (Playwright)', status: 1, tally: undefined });
    }
    if (browser && nginx !== undefined) {
      const env = {
        ...process.env,
        CLARA_CHROMIUM: browser,
        ...(nginx ? { CLARA_NGINX: nginx } : {}),
        PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS: '1',
      };
      const status = run(bin('playwright'), ['test', ...passThrough], env);
      const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(
        'reports/e2e.json',
      );
      summaries.push({
        name: 'e2e (Playwright)',
        status,
        tally: report && {
          passed: report.stats.expected + report.stats.flaky,
          failed: report.stats.unexpected,
          skipped: report.stats.skipped,
        },
      });
    }
  }
}

const seconds = Math.round((Date.now() - started) / 1000);
console.log('\n──────── Summary ────────');
let passed = 0;
let failed = 0;
for (const { name, tally, status } of summaries) {
  if (!tally) {
    failed += 1;
    console.log(`${name}: did not run (see above)`);
    continue;
  }
  // A runner that failed without a failing test (a crash, a bad config) counts as one failure.
  const runnerFailed = status !== 0 && tally.failed === 0 ? 1 : 0;
  passed += tally.passed;
  failed += tally.failed + runnerFailed;
  const skipped = tally.skipped ? `, ${tally.skipped} skipped` : '';
  console.log(
    `${name}: ${tally.passed} passed, ${tally.failed} failed${skipped}${runnerFailed ? ' (the runner itself failed)' : ''}`,
  );
}
console.log(`${passed} passed, ${failed} failed (${seconds} s)`);
process.exit(failed > 0 ? 1 : 0);
