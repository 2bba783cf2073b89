/** Layout checks the matrix runs on every page. */
import { expect, type Locator, type Page } from '@playwright/test';

/** No horizontal scrolling: the page is no wider than the viewport. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth, culprits } = await page.evaluate(() => {
    const root = document.documentElement;
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)}px)`);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, culprits: wide };
  });
  expect(scrollWidth, `page wider than the viewport: ${culprits.join(', ')}`).toBeLessThanOrEqual(clientWidth);
}

/** Every visible control is at least 48×48 CSS px (a radio or checkbox counts by its label). */
export async function expectTapTargets(page: Page, min = 48): Promise<void> {
  const small = await page.evaluate((minimum) => {
    const selector =
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || el.closest('[hidden], .visually-hidden')) continue;
      if (el.classList.contains('skip-link') && document.activeElement !== el) continue;
      let box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')) {
        const label = el.closest('label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`) : null);
        if (label) box = label.getBoundingClientRect();
      }
      if (box.width + 0.5 < minimum || box.height + 0.5 < minimum) {
        out.push(
          `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        );
      }
    }
    return out;
  }, min);
  expect(small, 'controls smaller than 48×48 px').toEqual([]);
}

/** Every piece of text is at least `min` px. */
export async function expectTextAtLeast(page: Page, min: number): Promise<void> {
  const small = await page.evaluate((minimum) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const parent = node.parentElement;
      if (!text || !parent || parent.closest('script, style, noscript, .visually-hidden, [hidden]')) continue;
      if (parent.getClientRects().length === 0) continue;
      const size = parseFloat(getComputedStyle(parent).fontSize);
      if (size + 0.01 < minimum) out.push(`"${text.slice(0, 30)}" ${size}px`);
    }
    return out.slice(0, 10);
  }, min);
  expect(small, `text smaller than ${min}px`).toEqual([]);
}

/** Collects console errors (a CSP violation shows up here) while a page is used. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * 320 px wide (and 400% zoom of a 1280 px screen, WCAG 1.4.10): no horizontal
 * scrolling, and every place and tool of the frame visible across the width,
 * none cut off: Call, the language, Menu, Home, Results, Messages, and Help
 * and Settings once the Menu is open. Resizes the page it is given.
 */
export async function expectFrameAt320(page: Page, withFrame: boolean): Promise<void> {
  await page.setViewportSize({ width: 320, height: 640 });
  await expectNoHorizontalOverflow(page);
  if (!withFrame) return;
  const inWidth = async (control: Locator) => {
    await expect(control).toBeVisible();
    const box = await control.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 320).toBe(true);
  };
  const nav = page.getByRole('navigation', { name: /^(Main menu|Menú principal)$/ });
  const links = await nav.getByRole('link').all();
  expect(links).toHaveLength(3);
  for (const link of links) await inWidth(link);
  await inWidth(page.getByRole('banner').getByRole('link', { name: /^(Call|Llamar)\b/ }));
  await inWidth(page.locator('a[data-lang-switch]'));
  const menuButton = page.getByRole('button', { name: /^(Menu|Menú)$/ });
  await inWidth(menuButton);
  await menuButton.click();
  const more = await page
    .getByRole('navigation', { name: /^(Menu|Menú)$/ })
    .getByRole('link')
    .all();
  expect(more).toHaveLength(2);
  for (const link of more) await inWidth(link);
  await expectNoHorizontalOverflow(page);
}
