/**
 * A message's file, fetched only when the patient taps it (never with the
 * conversation) and handed to the browser as a download. Loaded on that
 * tap too (islands/messages/FileLink.tsx): a conversation's page carries
 * none of this code until a file is asked for.
 */
import { blobType } from '../fhir/attachment-type.ts';
import type { Binary } from '@medplum/fhirtypes';
import { fhirRequest } from '../fhir/client.ts';
import type { Attachment } from './types.ts';

/** Saves the file: inline data as it is, else the Binary at `address`, with a content type the browser may open safely. */
export async function downloadFile(file: Attachment, address: string | undefined): Promise<void> {
  let bytes: Uint8Array;
  let type = file.contentType;
  if (file.data) bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
  else {
    const { body } = await fhirRequest<Binary>(address as string);
    bytes = Uint8Array.from(atob(String(body.data ?? '')), (c) => c.charCodeAt(0));
    type = String(body.contentType ?? type);
  }
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: blobType(type) }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.title;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
