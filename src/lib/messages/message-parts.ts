/** Reading one Communication: its text, its files, and the client identifier that makes a retry the same message. */
import type { Attachment as FhirAttachment, Communication } from '@medplum/fhirtypes';
import { cleanMultiline, cleanText } from '../fhir/text.ts';
import type { Attachment } from './types.ts';

/** The files a message carries (inline or by address); a file with neither is left out. */
export function attachmentsOf(c: Communication): Attachment[] {
  return (c.payload ?? [])
    .map((p) => p.contentAttachment)
    .filter((a): a is FhirAttachment => !!a && (!!a.url || !!a.data))
    .map((a) => ({
      title: cleanText(a.title) || cleanText(a.url?.split('/').pop()) || 'file',
      contentType: cleanText(a.contentType) || 'application/octet-stream',
      ...(typeof a.size === 'number' ? { size: a.size } : a.data ? { size: Math.floor((a.data.length * 3) / 4) } : {}),
      ...(a.url ? { url: a.url } : {}),
      ...(a.data ? { data: a.data } : {}),
    }));
}

/** A message's text: its text parts, cleaned, a blank line between them. */
export function textOf(c: Communication): string {
  return (c.payload ?? [])
    .map((p) => cleanMultiline(p.contentString))
    .filter(Boolean)
    .join('\n\n');
}

/** How a message's client identifier is written (`urn:uuid:…`), so a retry is recognised as the same message. */
export const CLIENT_ID_SYSTEM = 'urn:ietf:rfc:3986';

export function clientIdOf(c: Communication): string | undefined {
  const value = c.identifier?.find((i) => i.system === CLIENT_ID_SYSTEM && i.value?.startsWith('urn:uuid:'))?.value;
  return value?.slice('urn:uuid:'.length);
}
