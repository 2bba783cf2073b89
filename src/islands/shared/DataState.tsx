/**
 * What a data island shows until its data is ready, the same in every
 * island: that it is on its way (said to screen readers), the failure with
 * its way forward (Problem), or that the patient did not let Clara see
 * this. Signed out with no copy to show, it shows nothing: the page's own
 * signed-out text stands. `title` heads the failure and the refusal on a
 * page whose heading comes from its data; `back` follows the failure.
 * (One component, in the chunk every data page loads: build/chunks.ts.)
 */
import type { CallInfo, ProblemStrings } from '../../lib/i18n/problem-words.ts';
import type { Lang } from '../../lib/i18n/langs.ts';
import { getSession } from '../../lib/auth/session.ts';
import { Problem } from './LazyProblem.tsx';

export function DataState(props: {
  /** The island's data (usePatientData's state; never ready here), or that the scope does not grant it. */
  state: { status: 'loading' } | { status: 'not-granted' } | { status: 'ready' } | { status: 'failed'; error: unknown };
  lang: Lang;
  words: ProblemStrings & Record<'next.sign-in', string>;
  loading: string;
  /** Where the scope may refuse it: what was not granted. */
  notGranted?: string;
  call: CallInfo;
  onRetry: () => void;
  title?: string;
  back?: { href: string; label: string };
  /** Move the focus to the failure (it replaces what the patient was looking at). */
  focus?: boolean;
}) {
  const { state, words, title, back } = props;
  const heading = title && <h1>{title}</h1>;
  if (state.status === 'not-granted')
    return (
      <div class="notice notice--note" data-state="not-granted">
        {heading}
        <p>
          <strong>{props.notGranted}</strong>
        </p>
        <p>{words['next.sign-in']}</p>
      </div>
    );
  if (!getSession() || state.status === 'ready') return null;
  if (state.status === 'loading')
    return (
      <p role="status" class="notice">
        {props.loading}
      </p>
    );
  const problem = (
    <Problem
      lang={props.lang}
      error={state.error}
      strings={words}
      call={props.call}
      onRetry={props.onRetry}
      focus={!!props.focus}
    />
  );
  return heading || back ? (
    <div>
      {heading}
      {problem}
      {back && (
        <p>
          <a class="button button--secondary" href={back.href}>
            {back.label}
          </a>
        </p>
      )}
    </div>
  ) : (
    problem
  );
}
