/**
 * Lighthouse, with its default mobile settings (a mid-range phone, slow 4G
 * simulated, CPU slowed 4×), over every page shell: performance,
 * accessibility and best practices, each out of 100.
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_ARGS } from '../browser.ts';

export const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface LighthouseScores {
  scores: Record<Category, number>;
  /** Audits that cost points, for the report (id: title). */
  failing: string[];
}

export async function runLighthouse(
  chromePath: string,
  urls: string[],
  log: (line: string) => void,
): Promise<Map<string, LighthouseScores>> {
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROMIUM_ARGS, logLevel: 'silent' });
  const out = new Map<string, LighthouseScores>();
  try {
    for (const url of urls) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...CATEGORIES],
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
      const { lhr } = result;
      if (lhr.runtimeError) throw new Error(`Lighthouse could not load ${url}: ${lhr.runtimeError.message}`);
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
      ) as Record<Category, number>;
      const failing = CATEGORIES.flatMap((c) =>
        (lhr.categories[c]?.auditRefs ?? [])
          .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
          .map((ref) => `${ref.id}: ${lhr.audits[ref.id]?.title ?? ''}`),
      );
      out.set(url, { scores, failing });
      log(
        `  lighthouse ${new URL(url).pathname}${new URL(url).search}: ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')}`,
      );
    }
  } finally {
    chrome.kill();
  }
  return out;
}
