/**
 * axe in the page: WCAG 2.0/2.1/2.2 A and AA, best practices, and the AAA
 * contrast rule (7:1). Zero violations is the bar; an exception needs an
 * issue link and a reason, here, next to the rule it disables.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export async function expectAxeClean(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .options({
      runOnly: { type: 'tag', values: AXE_TAGS },
      rules: { 'color-contrast-enhanced': { enabled: true } },
      // Only violations are read: axe keeps one node per passed or inapplicable rule instead of all of them
      // (every rule still runs; the AAA check below still sees that it ran), which makes each check quicker.
      resultTypes: ['violations'],
    })
    .analyze();
  const report = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`),
  }));
  expect(report, `axe violations (${state})`).toEqual([]);
  // The AAA contrast rule really ran (it is not in the tags above).
  const ran = [...results.passes, ...results.incomplete, ...results.inapplicable].some(
    (r) => r.id === 'color-contrast-enhanced',
  );
  expect(ran, 'color-contrast-enhanced ran').toBe(true);
}
