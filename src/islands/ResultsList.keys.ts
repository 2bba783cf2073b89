/**
 * The words the ResultsList (results) island shows, by their keys in locales/{en,es}/results.json,
 * declared once: the page looks them up at build time
 * (pages/[lang]/results/index.astro, with lib/i18n/island-strings.ts `fromNamespace`); the island
 * imports only their type, so nothing here reaches the browser.
 */
export const LIST_KEYS = [
  'list.loading',
  'list.labs',
  'list.vitals',
  'list.empty',
  'list.emptyVitals',
  'list.notGranted',
  'list.more',
  'list.moreLoading',
  'list.allShown',
  'list.new',
] as const;

export type ListKeys = (typeof LIST_KEYS)[number];
