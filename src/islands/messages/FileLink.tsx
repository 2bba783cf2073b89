/** A file on a message: its name and size on a button that fetches it only when tapped, or why it cannot open. */
import { useState } from 'preact/hooks';
import { getSession, type Session } from '../../lib/auth/session.ts';
import { resolveUrl } from '../../lib/fhir/client.ts';
import { fill, formatSize } from '../../lib/i18n/format.ts';
import type { Attachment } from '../../lib/messages/types.ts';
import type { Props } from './thread-props.ts';

/** Where a file kept on the FHIR server is read from; none when it has no address, or one Clara cannot read. */
function fileAddress(file: Attachment, session: Session | null): string | undefined {
  try {
    return file.url && session ? resolveUrl(session.fhirBaseUrl, file.url) : undefined;
  } catch {
    return undefined;
  }
}

export function FileLink({ file, props }: { file: Attachment; props: Props }) {
  const [problem, setProblem] = useState('');
  const size = typeof file.size === 'number' ? formatSize(props.lang, file.size) : '';
  const label = size ? fill(props.strings['thread.open'], { name: file.title, size }) : file.title;
  const fhirUrl = fileAddress(file, getSession());
  if (!file.data && !fhirUrl) {
    return (
      <li>
        {file.title} — {props.strings['thread.cannotOpen']}
      </li>
    );
  }
  // Fetched only now, when the patient asks for it.
  const open = async () => {
    setProblem('');
    try {
      const { downloadFile } = await import('../../lib/messages/download.ts');
      await downloadFile(file, fhirUrl);
    } catch {
      setProblem(props.strings['thread.fileFailed']);
    }
  };
  return (
    <li>
      <button type="button" class="button button--secondary" onClick={open}>
        {label}
      </button>
      {problem && <p role="alert">{problem}</p>}
    </li>
  );
}
