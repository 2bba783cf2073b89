/**
 * The type an attachment is saved with. A blob made in Clara's page belongs
 * to Clara's origin, so a server's `text/html` or `image/svg+xml` could run
 * script there if opened: only a short list of harmless types is kept, and
 * everything else is saved as `application/octet-stream` (a plain download).
 */
const SAFE = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/plain']);

export function blobType(contentType: string | undefined | null): string {
  const [essence = '', ...params] = String(contentType ?? '').split(';');
  const type = essence.trim().toLowerCase();
  if (!SAFE.has(type)) return 'application/octet-stream';
  // Plain text keeps its character set, when it names one plainly.
  const charset = params.map((p) => p.trim()).find((p) => /^charset="?[A-Za-z0-9._-]{1,40}"?$/i.test(p));
  return type === 'text/plain' && charset ? `${type};${charset.replace(/"/g, '').toLowerCase()}` : type;
}
