/**
 * Keyboard and voice checks: where the focus is and whether a person can see
 * it, and whether each control's accessible name holds the words it shows
 * (WCAG 2.5.3 Label in Name, so that "click Results" spoken to voice control
 * finds the Results link).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

export interface FocusState {
  /** What has the focus, for messages: tag, name or text. */
  what: string;
  /** The widest visible ring: the outline, or a box-shadow's spread. */
  ringPx: number;
  /** Contrast of the ring's colour with what is behind the element. */
  ringContrast: number;
  /** The element is on the screen and nothing (a sticky bar, a dialog's backdrop) covers its middle. */
  inView: boolean;
  uncovered: boolean;
}

/** How the focused element shows its focus, measured in the page. */
export async function focusState(page: Page): Promise<FocusState> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body)
      return { what: 'body', ringPx: 0, ringContrast: 0, inView: false, uncovered: false };
    const parse = (color: string): [number, number, number, number] => {
      const m = /rgba?\(([^)]+)\)/.exec(color);
      const parts = (m?.[1] ?? '0 0 0 0')
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const luminance = ([r, g, b]: number[]) => {
      const c = [r, g, b].map((v) => {
        const s = (v ?? 0) / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (c[0] ?? 0) + 0.7152 * (c[1] ?? 0) + 0.0722 * (c[2] ?? 0);
    };
    const contrast = (a: number[], b: number[]) => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
      return ((x ?? 0) + 0.05) / ((y ?? 0) + 0.05);
    };
    // What is behind the element: the nearest ancestor with a background.
    let behind: number[] = [255, 255, 255];
    for (let node: Element | null = el.parentElement; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg[3] > 0) {
        behind = bg;
        break;
      }
    }
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0;
    // box-shadow: "rgb(…) 0px 0px 0px 3px" — the fourth length is the spread.
    const shadow = /(rgba?\([^)]+\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px\s+([\d.]+)px/.exec(style.boxShadow);
    const spread = shadow ? Number(shadow[5]) : 0;
    const rings: { px: number; color: string }[] = [
      { px: outline, color: style.outlineColor },
      { px: spread, color: shadow?.[1] ?? 'rgba(0,0,0,0)' },
    ].filter((r) => r.px > 0);
    const best = rings
      .map((r) => ({ px: r.px, contrast: contrast(parse(r.color), behind) }))
      .sort((a, b) => b.contrast - a.contrast)[0];
    const box = el.getBoundingClientRect();
    const inView = box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    const label = el instanceof HTMLInputElement ? el.labels?.[0] : null;
    const uncovered = !!hit && (el.contains(hit) || hit.contains(el) || (!!label && label.contains(hit)));
    const what = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50)}"`;
    return {
      what,
      ringPx: best?.px ?? 0,
      ringContrast: Math.round((best?.contrast ?? 0) * 100) / 100,
      inView,
      uncovered,
    };
  });
}

/** The focused element shows a ring at least 2 px wide with 3:1 contrast, on screen and not covered. */
export async function expectFocusVisible(page: Page, step: string): Promise<FocusState> {
  const state = await focusState(page);
  expect(state.what, `${step}: something has the focus`).not.toBe('body');
  expect(state.ringPx, `${step}: focus ring width of ${state.what}`).toBeGreaterThanOrEqual(2);
  expect(state.ringContrast, `${step}: focus ring contrast of ${state.what}`).toBeGreaterThanOrEqual(3);
  expect(state.inView, `${step}: ${state.what} is on the screen`).toBe(true);
  expect(state.uncovered, `${step}: ${state.what} is not covered`).toBe(true);
  return state;
}

/** Presses a key, then checks that `expected` has the focus and shows it. */
export async function press(page: Page, key: string, expected: Locator, step: string): Promise<void> {
  await page.keyboard.press(key);
  await expect(expected, step).toBeFocused();
  await expectFocusVisible(page, step);
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, checking at every
 * stop that the focus shows; fails after `max` presses.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  step: string,
  options: { back?: boolean; max?: number } = {},
): Promise<number> {
  const max = options.max ?? 40;
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const state = await expectFocusVisible(page, `${step} (stop ${i})`);
    if (await target.evaluate((el) => el === document.activeElement)) return i;
    void state;
  }
  throw new Error(`${step}: not reached in ${max} presses of ${options.back ? 'Shift+Tab' : 'Tab'}`);
}

export interface NameProblem {
  control: string;
  visible: string;
  name: string;
}

/**
 * WCAG 2.5.3: every link, button and form control whose words are on screen
 * has an accessible name (from Chromium's accessibility tree) that contains
 * those words. Case, punctuation and spacing do not count, as WCAG's
 * Understanding document allows. Icon-only controls have no words to check.
 */
export async function labelInNameProblems(page: Page): Promise<NameProblem[]> {
  const visible = await page.evaluate(() => {
    const selector =
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"]';
    const shows = (node: Element, stop: Element) => {
      for (let el: Element | null = node; el && el !== stop.parentElement; el = el.parentElement) {
        if (el.classList.contains('visually-hidden') || el.getAttribute('aria-hidden') === 'true') return false;
        if (getComputedStyle(el).visibility === 'hidden') return false;
      }
      return node.getClientRects().length > 0;
    };
    const words = (root: Element, skip?: Element) => {
      let out = '';
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const parent = n.parentElement;
        if (!parent || (skip && skip.contains(parent)) || !shows(parent, root)) continue;
        out += ` ${n.textContent ?? ''}`;
      }
      return out.trim();
    };
    const controls = [...document.querySelectorAll(selector)];
    controls.forEach((el, i) => el.setAttribute('data-label-check', String(i)));
    return controls.map((el) => {
      if (el.getClientRects().length === 0 || el.closest('[hidden]')) return null;
      if (el instanceof HTMLInputElement && ['submit', 'button', 'reset'].includes(el.type)) return el.value;
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) {
        return [...(el.labels ?? [])].map((label) => words(label, el)).join(' ');
      }
      return words(el);
    });
  });
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '[data-label-check]' });
    const problems: NameProblem[] = [];
    const norm = (s: string) =>
      s
        .normalize('NFC')
        .toLocaleLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
    for (const nodeId of nodeIds) {
      const { attributes } = await cdp.send('DOM.getAttributes', { nodeId });
      const index = Number(attributes[attributes.indexOf('data-label-check') + 1]);
      const shown = visible[index];
      if (!shown || !norm(shown)) continue;
      const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
      const node = nodes.find((n) => !n.ignored) ?? nodes[0];
      const name = String(node?.name?.value ?? '');
      if (!norm(name).includes(norm(shown))) {
        const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId });
        problems.push({ control: outerHTML.slice(0, 120), visible: shown, name });
      }
    }
    return problems;
  } finally {
    await page.evaluate(() =>
      document.querySelectorAll('[data-label-check]').forEach((el) => el.removeAttribute('data-label-check')),
    );
    await cdp.detach();
  }
}

/** Label in Name by Chromium's names (above) and by axe's own rule (experimental, so turned on by name). */
export async function expectLabelInName(page: Page, state: string): Promise<void> {
  // Names and words are read one after the other: a count the page corrects in between (a conversation marked
  // read, the unread count going from 2 to none) is read again; a real mismatch stays and fails.
  await expect
    .poll(() => labelInNameProblems(page), { message: `accessible names without their visible words (${state})` })
    .toEqual([]);
  const axe = await new AxeBuilder({ page })
    .options({ runOnly: { type: 'rule', values: ['label-content-name-mismatch'] } })
    .analyze();
  expect(
    axe.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' '))),
    `axe label-content-name-mismatch (${state})`,
  ).toEqual([]);
  const ran = [...axe.passes, ...axe.incomplete, ...axe.inapplicable].some(
    (r) => r.id === 'label-content-name-mismatch',
  );
  expect(ran, 'axe label-content-name-mismatch ran').toBe(true);
}
