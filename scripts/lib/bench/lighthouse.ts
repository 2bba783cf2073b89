/**
 * Lighthouse, with its default mobile settings (a mid-range phone, slow 4G
 * simulated, CPU slowed 4×), over every page shell: performance,
 * accessibility and best practices, each out of 100.
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { type Result } from 'lighthouse';
import { CHROMIUM_ARGS } from '../browser.ts';

export const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface LighthouseScores {
  scores: Record<Category, number>;
  /** Audits that cost points, for the report (id: title). */
  failing: string[];
}

const pathOf = (url: string) => `${new URL(url).pathname}${new URL(url).search}`;

export async function runLighthouse(
  chromePath: string,
  urls: string[],
  log: (line: string) => void,
): Promise<Map<string, LighthouseScores>> {
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROMIUM_ARGS, logLevel: 'silent' });
  const out = new Map<string, LighthouseScores>();
  try {
    for (const url of urls) {
      // A trace Lighthouse failed to record (NO_NAVSTART, seen about once in 25 pages on a busy machine) is its
      // own hiccup, not the page's: it says to run it again, and it is, twice at most; a page that still fails is
      // reported (its Lighthouse budget then reads "not measured") and the rest are measured all the same.
      let lhr: Result | undefined;
      for (let attempt = 1; attempt <= 3 && !lhr; attempt++) {
        const result = await lighthouse(url, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: [...CATEGORIES],
        });
        const error = result ? result.lhr.runtimeError : { code: 'NO_RESULT', message: 'Lighthouse returned nothing' };
        if (!error) lhr = result?.lhr;
        else log(`  lighthouse ${pathOf(url)}: attempt ${attempt} failed: ${error.code} (${error.message})`);
      }
      if (!lhr) continue;
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
      ) as Record<Category, number>;
      const failing = CATEGORIES.flatMap((c) =>
        (lhr.categories[c]?.auditRefs ?? [])
          .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
          .map((ref) => `${ref.id}: ${lhr.audits[ref.id]?.title ?? ''}`),
      );
      out.set(url, { scores, failing });
      log(`  lighthouse ${pathOf(url)}: ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')}`);
    }
  } finally {
    chrome.kill();
  }
  return out;
}
