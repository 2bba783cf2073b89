/** "Saved on this phone · updated 10:32", and, without a signal, that it may not be current. */
import { clockOf, fill, formatDate } from '../../lib/i18n/format.ts';
import type { Lang } from '../../lib/i18n/langs.ts';

export type SavedWords = Record<'saved.label' | 'saved.offline' | 'saved.signedOut' | 'action.signIn', string>;

export function SavedNote(props: {
  lang: Lang;
  savedAt: string;
  stale?: boolean;
  signedOut?: boolean;
  words: SavedWords;
  signInHref: string;
}) {
  const date = new Date(props.savedAt);
  const today = new Date().toDateString() === date.toDateString();
  const when = today
    ? clockOf(props.lang, props.savedAt)
    : `${formatDate(props.lang, date, { dateStyle: 'medium' })}, ${clockOf(props.lang, props.savedAt)}`;
  const offline = props.stale || (typeof navigator !== 'undefined' && navigator.onLine === false);
  return (
    <div class="notice notice--note saved-note" data-saved-copy>
      <p>
        <strong>{fill(props.words['saved.label'], { time: when })}</strong>
      </p>
      {offline && <p>{props.words['saved.offline']}</p>}
      {props.signedOut && (
        <>
          <p>{props.words['saved.signedOut']}</p>
          <a class="button" href={props.signInHref}>
            {props.words['action.signIn']}
          </a>
        </>
      )}
    </div>
  );
}
