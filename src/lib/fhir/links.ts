/** Links in a message from the clinic (only the pages that show messages load this). */
export type TextPart = { text: string } | { text: string; href: string };

/**
 * Splits message text into plain text and links. Only https links to the
 * clinic's own site (its host or a subdomain) become links; every other
 * address stays plain text that the patient can read but not tap.
 */
export function linkParts(text: string, allowedHost: string | undefined): TextPart[] {
  if (!allowedHost) return [{ text }];
  const host = allowedHost.toLowerCase();
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(/https:\/\/[^\s<>"'()]+[^\s<>"'().,;:!?]/gi)) {
    const start = match.index ?? 0;
    let url: URL | undefined;
    try {
      url = new URL(match[0]);
    } catch {
      url = undefined;
    }
    const hostname = url?.hostname.toLowerCase() ?? '';
    const ok =
      url &&
      url.protocol === 'https:' &&
      !url.username &&
      !url.password &&
      (hostname === host || hostname.endsWith(`.${host}`));
    if (!ok) continue;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: match[0], href: url?.href ?? match[0] });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts.length ? parts : [{ text }];
}
