/** Message text, shown as text: line breaks kept, only the clinic's own https links tappable, long ones folded. */
import { useState } from 'preact/hooks';
import { linkParts } from '../../lib/fhir/links.ts';

const LONG = 1500;

export function MessageText({
  text,
  clinicHost,
  showAll,
}: {
  text: string;
  clinicHost?: string | undefined;
  showAll: string;
}) {
  const [open, setOpen] = useState(text.length <= LONG);
  const shown = open ? text : `${text.slice(0, LONG - 300).trimEnd()}…`;
  return (
    <div class="message__text">
      <p dir="auto">
        {linkParts(shown, clinicHost).map((part) =>
          'href' in part ? (
            <a href={part.href} rel="noopener noreferrer">
              {part.text}
            </a>
          ) : (
            part.text
          ),
        )}
      </p>
      {!open && (
        <button type="button" class="button button--secondary" onClick={() => setOpen(true)}>
          {showAll}
        </button>
      )}
    </div>
  );
}
