/** Follows an outbox item as it is sent (events from lib/messages/deliver.ts). */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { OutboxItem } from '../../lib/messages/outbox.ts';
import { OUTBOX_EVENT } from '../../lib/messages/outbox-mark.ts';

export function useOutboxItem(
  initial: OutboxItem | undefined,
): [OutboxItem | undefined, (item: OutboxItem | undefined) => void] {
  const [item, setItem] = useState(initial);
  const current = useRef(item);
  current.current = item;
  useEffect(() => {
    const listener = (event: Event) => {
      const next = (event as CustomEvent<OutboxItem>).detail;
      if (next.clientId === current.current?.clientId) setItem(next);
    };
    addEventListener(OUTBOX_EVENT, listener);
    return () => removeEventListener(OUTBOX_EVENT, listener);
  }, []);
  return [item, setItem];
}
