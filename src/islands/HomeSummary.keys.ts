/**
 * The words the HomeSummary (home) island shows, by their keys in locales/{en,es}/home.json,
 * declared once: the page looks them up at build time
 * (pages/[lang]/index.astro, with lib/i18n/island-strings.ts `fromNamespace`); the island
 * imports only their type, so nothing here reaches the browser.
 */
export const HOME_KEYS = [
  'hello',
  'helloNoName',
  'loading',
  'noNewResults',
  'noUnread',
  'seeResults',
  'seeMessages',
  'resultsNotGranted',
  'messagesNotGranted',
] as const;

export type HomeKeys = (typeof HOME_KEYS)[number];
