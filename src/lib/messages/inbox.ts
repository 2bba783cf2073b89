/** What the inbox shows of a conversation: whether it holds unread messages, and the start of the last one. */
import type { Message, Thread } from './types.ts';

/**
 * Messages from others the patient has not read yet: not opened on this
 * device, and sent since `since` (older ones are never "unread", whatever
 * the device remembers).
 */
export function unreadIn(thread: Thread, read: Set<string>, since?: string): Message[] {
  return thread.messages.filter((m) => !m.mine && !read.has(m.id) && (!since || (m.sent ?? '') >= since));
}

/** The start of a message, for the inbox: whole words, about `max` characters. */
export function snippet(text: string, max = 90): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max * 0.6)).trimEnd()}…`;
}
