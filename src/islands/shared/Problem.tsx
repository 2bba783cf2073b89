/**
 * A failure, said plainly in the patient's language, with the way forward:
 * try again, sign in again, or call the clinic. An ended session sends the
 * patient to sign in and back here.
 */
import { useEffect, useRef } from 'preact/hooks';
import { FhirError, NEXT_STEP, type FhirErrorKind } from '../../lib/fhir/errors.ts';
import { goToSignIn } from '../../lib/navigation.ts';
import type { Lang } from '../../lib/i18n/langs.ts';
import type { CallInfo, ProblemStrings } from '../../lib/i18n/problem-words.ts';

/** Failures a second try may mend. */
const RETRYABLE = new Set<FhirErrorKind>(['offline', 'unreachable', 'timeout', 'busy', 'server', 'malformed']);

export function kindOf(error: unknown): FhirErrorKind {
  return error instanceof FhirError ? error.kind : 'malformed';
}

export function Problem(props: {
  lang: Lang;
  error: unknown;
  strings: ProblemStrings;
  call: CallInfo;
  onRetry?: () => void;
  /** Move focus to the message (when it replaces what the patient was looking at). */
  focus?: boolean;
}) {
  const kind = kindOf(props.error);
  const next = NEXT_STEP[kind];
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (kind === 'expired') goToSignIn(props.lang);
    else if (props.focus) ref.current?.focus();
  }, [kind]);
  return (
    <div class="notice notice--alert" role="alert" tabIndex={-1} ref={ref} data-problem={kind}>
      <p>
        <strong>{props.strings[`fhir.${kind}`]}</strong>
      </p>
      <p>{props.strings[`next.${next}`]}</p>
      <div class="actions">
        {props.onRetry && RETRYABLE.has(kind) && (
          <button type="button" class="button" onClick={props.onRetry}>
            {props.strings.tryAgain}
          </button>
        )}
        {next === 'sign-in' && (
          <button
            type="button"
            class="button button--secondary"
            onClick={() => void import('../../lib/auth/sign-out.ts').then((m) => m.signOut(props.lang))}
          >
            {props.strings.signOut}
          </button>
        )}
        <a class="call-link" href={props.call.href}>
          <span class="call-link__text">
            {props.strings.call}
            <span class="visually-hidden">:</span> <span class="call-link__number">{props.call.number}</span>
          </span>
        </a>
      </div>
    </div>
  );
}
