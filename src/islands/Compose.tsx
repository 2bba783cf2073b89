/**
 * Writing to the care team, with few choices: to whom (the care team from
 * the EHR, else the clinic's default recipients), what it is about, the
 * message, and a reminder that messages are not for emergencies. A message
 * about a result starts with that result named. The call-back request is the
 * same form with a phone number and good times instead of a topic.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession, granted, personKey } from '../lib/auth/session.ts';
import { fill } from '../lib/i18n/format.ts';
import { callbackText } from '../lib/messages/callback-text.ts';
import { loadComposeSetup, type ComposeSetup } from '../lib/messages/compose-setup.ts';
import type { OutboxItem } from '../lib/messages/outbox.ts';
import { sending } from '../lib/messages/sending.ts';
import type { Topic } from '../lib/messages/topics.ts';
import type { Person } from '../lib/messages/types.ts';
import { CallbackFields } from './messages/CallbackFields.tsx';
import { Discard } from './messages/Discard.tsx';
import { describedBy, fieldError } from './messages/field-error.tsx';
import { RecipientChoice, TopicChoice } from './messages/MessageChoices.tsx';
import { SentCard } from './messages/SentCard.tsx';
import { useComposer } from './messages/useComposer.ts';
import { useOutboxItem } from './messages/useOutboxItem.ts';
import { DataState } from './shared/DataState.tsx';
import type { ComposeForm, Props } from './messages/compose-props.ts';

type State =
  | { status: 'loading' }
  | { status: 'not-granted' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; setup: ComposeSetup };

export default function Compose(props: Props) {
  const { lang, strings, mode } = props;
  const session = getSession();
  const params = typeof location === 'undefined' ? new URLSearchParams() : new URLSearchParams(location.search);
  const resultId = params.get('result');
  const composer = useComposer(
    session ? personKey(session) : undefined,
    mode === 'callback' ? 'callback' : `new${resultId ? `.${resultId}` : ''}`,
  );
  const [state, setState] = useState<State>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sent, setSent] = useOutboxItem(undefined);
  const [announcement, setAnnouncement] = useState('');
  const textRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!session) return;
    if (!granted(session, 'Communication', 'c')) {
      setState({ status: 'not-granted' });
      return;
    }
    void sending().then((m) => m.sendWhenOnline());
    const controller = new AbortController();
    loadComposeSetup(session, props, resultId, controller.signal).then(
      (setup) => {
        if (controller.signal.aborted) return;
        // Sensible starting choices; a draft the patient had wins.
        const now = composer.current();
        if (mode === 'message' && !now.fields['to'] && setup.people[0])
          composer.setField('to', setup.people[0].reference);
        if (mode === 'message' && !now.fields['topic'] && setup.about) composer.setField('topic', 'results');
        if (mode === 'callback' && setup.whom && !now.fields['whom']) composer.setField('whom', 'me');
        if (mode === 'callback' && !now.fields['phone'] && setup.phone) composer.setField('phone', setup.phone);
        if (setup.about && !now.text) {
          composer.setText(
            `${fill(strings['compose.resultStart'], { name: setup.about.name, date: setup.about.date ?? '' }).replace(' ()', '')} `,
          );
        }
        setState({ status: 'ready', setup });
      },
      (error: unknown) => !controller.signal.aborted && setState({ status: 'failed', error }),
    );
    return () => controller.abort();
  }, [attempt]);

  if (state.status !== 'ready')
    return (
      <DataState
        state={state}
        lang={lang}
        words={strings}
        loading={strings.loading}
        notGranted={strings['inbox.notGranted']}
        call={props.call}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );

  const { setup } = state;

  if (sent) {
    return <SentCard props={props} sent={sent} setSent={setSent} />;
  }

  const times = (composer.fields['times'] as string[] | undefined) ?? [];
  const form: ComposeForm = { composer, strings, errors, setup };
  const submit = async (event: Event) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const to = setup.people.find((p) => p.reference === composer.fields['to']);
    if (mode === 'message') {
      if (!to) problems['to'] = strings['compose.noRecipient'];
      if (!composer.fields['topic']) problems['topic'] = strings['compose.noTopic'];
      if (!composer.text.trim()) problems['text'] = strings['compose.empty'];
    } else {
      if (!String(composer.fields['phone'] ?? '').trim()) problems['phone'] = strings['callMe.noPhone'];
      if (!times.length) problems['times'] = strings['callMe.noTimes'];
    }
    setErrors(problems);
    const first = Object.keys(problems)[0];
    if (first) {
      document.getElementById(`field-${first}`)?.focus();
      return;
    }
    const recipients = (mode === 'callback' ? setup.people : [to as Person]).map((p) => ({
      reference: p.reference,
      ...(p.name ? { display: p.name } : {}),
    }));
    const topicCode = (mode === 'callback' ? 'callback' : composer.fields['topic']) as Topic;
    let text = composer.text.trim();
    if (mode === 'callback') {
      text = callbackText(lang, strings, {
        phone: String(composer.fields['phone']).trim(),
        times,
        note: composer.text.trim(),
        callPatient: setup.whom && composer.fields['whom'] === 'patient' ? setup.whom.patient.name : undefined,
        about: setup.about,
      });
    }
    const item: OutboxItem = await composer.send(
      {
        kind: mode === 'callback' ? 'callback' : 'new',
        recipients,
        topic: strings[`topic.${topicCode}`],
        topicCode,
        text,
      },
      setSent,
    );
    setSent(item);
  };

  return (
    <form class="composer" onSubmit={submit} noValidate data-state="compose">
      <p role="status" class="visually-hidden">
        {announcement}
      </p>
      {composer.restored && (
        <p class="notice notice--ok" role="status">
          {strings['compose.restored']}
        </p>
      )}
      {setup.about && mode === 'message' && (
        <p class="notice notice--note" data-about-result>
          <strong>
            {fill(strings['compose.aboutResult'], { name: setup.about.name, date: setup.about.date ?? '' })}
          </strong>
        </p>
      )}

      {mode === 'message' && <RecipientChoice form={form} />}

      {mode === 'message' ? <TopicChoice form={form} /> : <CallbackFields form={form} times={times} />}

      <div class="field">
        <label for="field-text" class="label">
          {mode === 'message' ? strings['compose.message'] : strings['callMe.note']}
        </label>
        {mode === 'message' && <p id="text-hint">{strings['compose.hint']}</p>}
        {fieldError(errors, 'text')}
        <textarea
          id="field-text"
          ref={textRef}
          rows={mode === 'message' ? 7 : 3}
          value={composer.text}
          onInput={(e) => composer.setText((e.target as HTMLTextAreaElement).value)}
          aria-describedby={describedBy(
            errors,
            'text',
            mode === 'message' ? 'text-hint compose-emergency' : 'compose-emergency',
          )}
          aria-invalid={errors['text'] ? 'true' : undefined}
          dir="auto"
        />
      </div>

      <p id="compose-emergency" class="notice notice--note">
        <strong>{strings['compose.emergency']}</strong>
      </p>
      <div class="actions">
        <button type="submit" class="button">
          {mode === 'message' ? strings['compose.send'] : strings['callMe.send']}
        </button>
        <Discard
          show={composer.text.trim() !== '' || times.length > 0}
          words={strings}
          discard={composer.discard}
          announce={setAnnouncement}
          field={textRef}
        />
      </div>
    </form>
  );
}
