/**
 * Text from the EHR, made safe and tidy to show as text: no zero-width or
 * control characters, no bidirectional overrides, single spaces.
 */
// Zero-width (U+200B–U+200D, U+2060, U+FEFF), bidi controls (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
// and C0/C1 controls except tab and newline: control characters are the point here.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** One line of display text: invisible characters removed, whitespace collapsed. */
export function cleanText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Several lines (a message): invisible characters removed, line breaks kept, runs of blank lines shortened. */
export function cleanMultiline(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, (c) => (c === '\u2028' || c === '\u2029' ? '\n' : ''))
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
