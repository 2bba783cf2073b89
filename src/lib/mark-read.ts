/**
 * Reading a conversation marks its messages read on this device
 * (store/seen.ts), and the navigation's unread count (unread.ts) goes down by
 * as many, without fetching the inbox again.
 */
import type { Message } from './messages/types.ts';
import { markSeen, seenIds } from './store/seen.ts';
import { publishUnread } from './unread.ts';
import { UNREAD } from './storage-keys.ts';

export async function markRead(person: string, messages: readonly Message[]): Promise<void> {
  const before = await seenIds(person, 'messages');
  const newlyRead = messages.filter((m) => !m.mine && !before.has(m.id));
  await markSeen(
    person,
    'messages',
    newlyRead.map((m) => m.id),
  );
  const stored = sessionStorage.getItem(UNREAD);
  if (stored !== null && newlyRead.length) publishUnread(Math.max(0, Number(stored) - newlyRead.length));
}
