/**
 * The words the Inbox (messages) island shows, by their keys in locales/{en,es}/messages.json,
 * declared once: the page looks them up at build time
 * (pages/[lang]/messages/index.astro, with lib/i18n/island-strings.ts `fromNamespace`); the island
 * imports only their type, so nothing here reaches the browser.
 */
export const INBOX_KEYS = [
  'inbox.heading',
  'inbox.loading',
  'inbox.empty',
  'inbox.notGranted',
  'inbox.with',
  'inbox.unread',
  'inbox.youWrote',
  'inbox.file',
  'inbox.noTopic',
] as const;

export type InboxKeys = (typeof INBOX_KEYS)[number];
