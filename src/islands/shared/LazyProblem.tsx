/**
 * The failure message (Problem.tsx), loaded when there is a failure to say:
 * a page that gets its data never needs it (0.8 KB less before the data on
 * every data page). On the patient's own phone the service worker keeps it,
 * so it shows offline too; if it cannot be loaded at all (the connection
 * went before the service worker kept anything), the message itself and
 * the clinic's number are said without it.
 */
import type { ComponentProps, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { FhirError } from '../../lib/fhir/errors.ts';
import type { Problem as Full } from './Problem.tsx';

type Props = ComponentProps<typeof Full>;
let loaded: FunctionComponent<Props> | undefined;

export function Problem(props: Props) {
  const [Shown, setShown] = useState(() => loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Shown) return;
    import('./Problem.tsx').then(
      (m) => setShown(() => (loaded = m.Problem)),
      () => setFailed(true),
    );
  }, []);
  if (Shown) return <Shown {...props} />;
  if (!failed) return null;
  const kind = props.error instanceof FhirError ? props.error.kind : 'malformed';
  return (
    <div class="notice notice--alert" role="alert" data-problem={kind}>
      <p>
        <strong>{props.strings[`fhir.${kind}`]}</strong>
      </p>
      <a class="call-link" href={props.call.href}>
        {props.strings.call}: {props.call.number}
      </a>
    </div>
  );
}
