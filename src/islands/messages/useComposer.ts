/**
 * Writing a message: the text is kept as a draft while typing (and when the
 * page is left), Send puts it in the outbox before anything goes on the
 * network, and Discard asks first.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { discardDraft, draftSaver, loadDraft, saveDraft } from '../../lib/messages/drafts.ts';
import { sending } from '../../lib/messages/sending.ts';
import { newClientId, putItem, type OutboxItem } from '../../lib/messages/outbox.ts';

export interface Composer {
  text: string;
  fields: Record<string, string | string[]>;
  restored: boolean;
  /** The text and fields as they are right now (also inside callbacks made earlier). */
  current: () => { text: string; fields: Record<string, string | string[]> };
  setText: (text: string) => void;
  setField: (name: string, value: string | string[]) => void;
  /**
   * Puts the message in the outbox (then `onQueued`, so the page can show it
   * at once) and sends it; resolves when the first try ends.
   */
  send: (
    item: Omit<OutboxItem, 'clientId' | 'patientId' | 'createdAt' | 'state' | 'attempts'>,
    onQueued?: (item: OutboxItem) => void,
  ) => Promise<OutboxItem>;
  discard: () => Promise<void>;
}

export function useComposer(
  patientId: string | undefined,
  draftName: string,
  initial: { text?: string; fields?: Record<string, string | string[]> } = {},
): Composer {
  const [text, setTextState] = useState(initial.text ?? '');
  const [fields, setFields] = useState<Record<string, string | string[]>>(initial.fields ?? {});
  const [restored, setRestored] = useState(false);
  const latest = useRef({ text, fields });
  latest.current = { text, fields };
  const dirty = useRef(false);

  const saver = useMemo(
    () =>
      draftSaver(async () => {
        if (!patientId || !dirty.current) return;
        const { text: t, fields: f } = latest.current;
        if (t.trim() || Object.keys(f).length) await saveDraft(patientId, draftName, { text: t, fields: f });
        else await discardDraft(patientId, draftName);
      }),
    [patientId, draftName],
  );

  useEffect(() => {
    if (!patientId) return;
    let alive = true;
    void loadDraft(patientId, draftName).then((draft) => {
      if (!alive || !draft) return;
      latest.current = {
        text: draft.text || latest.current.text,
        fields: { ...latest.current.fields, ...draft.fields },
      };
      setTextState(latest.current.text);
      setFields(latest.current.fields);
      setRestored(!!draft.text.trim());
    });
    const flush = () => void saver.flush();
    addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', flush);
    return () => {
      alive = false;
      flush();
      removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', flush);
    };
  }, [patientId, draftName]);

  return {
    text,
    fields,
    restored,
    current: () => latest.current,
    setText(next) {
      dirty.current = true;
      latest.current = { ...latest.current, text: next };
      setTextState(next);
      saver.schedule();
    },
    setField(name, value) {
      dirty.current = true;
      const next = { ...latest.current.fields, [name]: value };
      latest.current = { ...latest.current, fields: next };
      setFields(next);
      saver.schedule();
    },
    async send(message, onQueued) {
      if (!patientId) throw new Error('not signed in');
      const item: OutboxItem = {
        ...message,
        clientId: newClientId(),
        patientId,
        createdAt: new Date().toISOString(),
        state: 'waiting',
        attempts: 0,
      };
      // Kept before anything is sent: a crash or a closed tab loses nothing.
      await putItem(item);
      dirty.current = false;
      await discardDraft(patientId, draftName);
      setTextState('');
      setRestored(false);
      onQueued?.(item);
      if (navigator.onLine === false) {
        (await sending()).askForBackgroundSync();
        return item;
      }
      return (await sending()).deliver(item);
    },
    async discard() {
      dirty.current = false;
      if (patientId) await discardDraft(patientId, draftName);
      setTextState('');
      setFields(initial.fields ?? {});
      setRestored(false);
    },
  };
}
