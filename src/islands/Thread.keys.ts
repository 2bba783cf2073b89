/**
 * The words the Thread (a conversation) island shows, by their keys in locales/{en,es}/messages.json,
 * declared once: the page looks them up at build time
 * (pages/[lang]/messages/thread/index.astro, with lib/i18n/island-strings.ts `fromNamespace`); the island
 * imports only their type, so nothing here reaches the browser.
 */
export const THREAD_KEYS = [
  'thread.loading',
  'thread.youWrote',
  'thread.from',
  'thread.files',
  'thread.open',
  'thread.cannotOpen',
  'thread.fileFailed',
  'thread.showAll',
  'thread.reply',
  'thread.replyLabel',
  'thread.none',
  'thread.notFound',
  'thread.title',
  'thread.back',
  'inbox.with',
  'inbox.noTopic',
  'inbox.notGranted',
  'compose.emergency',
  'compose.send',
  'compose.discard',
  'compose.discardQuestion',
  'compose.discardYes',
  'compose.discardNo',
  'compose.discarded',
  'compose.restored',
  'compose.empty',
  'action.callMe',
] as const;

export type ThreadKeys = (typeof THREAD_KEYS)[number];
