/**
 * The "Listen" button (Listen.tsx), loaded once the page shows its data: it
 * is hidden until the browser says it has a voice anyway, and a page that is
 * only read never needs it before its data (0.6 KB less before the data on
 * a result and a conversation). If it cannot be loaded (offline before the
 * service worker kept it), there is simply no Listen button, as in a
 * browser without a voice.
 */
import type { ComponentProps, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Listen as Full } from './Listen.tsx';

export type { ListenWords } from './Listen.tsx';

type Props = ComponentProps<typeof Full>;
let loaded: FunctionComponent<Props> | undefined;

export function Listen(props: Props) {
  const [Shown, setShown] = useState(() => loaded);
  useEffect(() => {
    if (Shown) return;
    import('./Listen.tsx').then(
      (m) => setShown(() => (loaded = m.Listen)),
      () => undefined,
    );
  }, []);
  return Shown ? <Shown {...props} /> : null;
}
