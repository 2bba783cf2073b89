/**
 * Writing to the care team, with few choices: to whom (the care team from
 * the EHR, else the clinic's default recipients), what it is about, the
 * message, and a reminder that messages are not for emergencies. A message
 * about a result starts with that result named. The call-back request is the
 * same form with a phone number and good times instead of a topic.
 */
import type { Observation } from '@medplum/fhirtypes';
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession, granted, isCaregiver, personKey } from '../lib/auth/session.ts';
import { configureFhir, read, type FhirResource } from '../lib/fhir/client.ts';
import { careTeams } from '../lib/fhir/messages-api.ts';
import { peopleDirectory, TOPICS, type Person, type Topic } from '../lib/fhir/messages.ts';
import { callbackPhone, type PatientLike } from '../lib/fhir/patient.ts';
import { fill, formatDate } from '../lib/i18n/format.ts';
import type { Lang } from '../lib/i18n/langs.ts';
import { sending } from '../lib/messages/sending.ts';
import type { OutboxItem } from '../lib/messages/outbox.ts';
import { signInHref } from '../lib/navigation.ts';
import { smartSettings } from '../lib/settings.ts';
import { personName, type PeopleWords } from '../lib/people-text.ts';
import { Discard, MessageStatus, MessageText, useOutboxItem, type StateWords } from './shared/messages-ui.tsx';
import type { CallInfo, ProblemStrings } from './shared/Problem.tsx';
import { Problem } from './shared/LazyProblem.tsx';
import { useComposer } from './shared/useComposer.ts';

type Keys =
  | 'compose.to'
  | 'compose.topic'
  | 'compose.message'
  | 'compose.hint'
  | 'compose.emergency'
  | 'compose.send'
  | 'compose.discard'
  | 'compose.discardQuestion'
  | 'compose.discardYes'
  | 'compose.discardNo'
  | 'compose.discarded'
  | 'compose.restored'
  | 'compose.empty'
  | 'compose.noRecipient'
  | 'compose.noTopic'
  | 'compose.aboutResult'
  | 'compose.resultStart'
  | 'compose.careTeamHint'
  | 'topic.results'
  | 'topic.medicines'
  | 'topic.appointments'
  | 'topic.other'
  | 'topic.callback'
  | 'callMe.phone'
  | 'callMe.phoneHint'
  | 'callMe.times'
  | 'callMe.morning'
  | 'callMe.afternoon'
  | 'callMe.evening'
  | 'callMe.anyTime'
  | 'callMe.note'
  | 'callMe.send'
  | 'callMe.noPhone'
  | 'callMe.noTimes'
  | 'callMe.text'
  | 'callMe.textNote'
  | 'callMe.sent'
  | 'callback.whom'
  | 'callback.whom.patient'
  | 'callback.whom.me'
  | 'callback.callPatient'
  | 'sent.goToThread'
  | 'sent.another'
  | 'sent.heading'
  | 'thread.showAll'
  | 'inbox.notGranted'
  | 'next.sign-in'
  | 'loading';

export type ComposeStrings = ProblemStrings & PeopleWords & StateWords & Record<Keys, string>;

export interface Props {
  lang: Lang;
  mode: 'message' | 'callback';
  strings: ComposeStrings;
  defaults: { reference: string; display: string; role: 'doctor' | 'nurse' | 'staff' }[];
  /** `glossary`: the language's glossary folder (/en/labs/), to name a result the message is about. */
  paths: { thread: string; messages: string; glossary: string };
  call: CallInfo;
}

const TIMES = ['morning', 'afternoon', 'evening', 'anyTime'] as const;

interface Setup {
  people: Person[];
  phone: string;
  /** A caregiver's call-back: whom to call, the patient or her, with each one's number. */
  whom?: { patient: { name: string; phone: string }; me: { name: string; phone: string } };
  about?: { name: string; date?: string };
}

type State =
  | { status: 'loading' }
  | { status: 'not-granted' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; setup: Setup };

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
  const statusRef = useRef<HTMLDivElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    configureFhir(smartSettings);
    if (!session) return;
    if (!granted(session, 'Communication', 'c')) {
      setState({ status: 'not-granted' });
      return;
    }
    void sending().then((m) => m.sendWhenOnline());
    const controller = new AbortController();
    (async (): Promise<Setup> => {
      const caregiver =
        mode === 'callback' && isCaregiver(session) && session.fhirUser ? session.fhirUser.split('/') : undefined;
      const [teams, patient, observation, helper] = await Promise.all([
        careTeams(controller.signal),
        mode === 'callback' && granted(session, 'Patient')
          ? read<FhirResource & PatientLike>(
              'Patient',
              session.patientId,
              { _elements: 'telecom' },
              controller.signal,
            ).catch(() => undefined)
          : undefined,
        resultId && granted(session, 'Observation')
          ? read<FhirResource & Observation>(
              'Observation',
              resultId,
              { _elements: 'code,effectiveDateTime,effectivePeriod,issued' },
              controller.signal,
            ).catch(() => undefined)
          : undefined,
        // Her own RelatedPerson (SMART's fhirUser scope lets her read it): her number.
        caregiver
          ? read<FhirResource & PatientLike>(caregiver[0] ?? '', caregiver[1] ?? '', {}, controller.signal).catch(
              () => undefined,
            )
          : undefined,
      ]);
      const me = `Patient/${session.patientId}`;
      let people = [...peopleDirectory(teams, [], me).values()].filter(
        (p) =>
          p.reference.startsWith('Practitioner') ||
          p.reference.startsWith('PractitionerRole') ||
          p.reference.startsWith('Organization') ||
          p.reference.startsWith('CareTeam'),
      );
      if (!people.length)
        people = props.defaults.map((d) => ({ reference: d.reference, name: d.display, role: d.role }));
      // Naming the result needs the glossary's test codes: loaded only for a message about a result.
      const subject = observation
        ? await (await import('../lib/results/message-subject.ts')).resultSubject(observation, props.paths.glossary)
        : undefined;
      const line = session.caregiver;
      const whom = caregiver
        ? {
            patient: { name: line?.patient ?? '', phone: patient ? callbackPhone(patient) : '' },
            me: { name: line?.name ?? '', phone: helper ? callbackPhone(helper) : '' },
          }
        : undefined;
      return {
        people,
        // A caregiver asks for a call: to her, unless she chooses the patient.
        phone: whom ? whom.me.phone : patient ? callbackPhone(patient) : '',
        ...(whom ? { whom } : {}),
        ...(subject
          ? {
              about: {
                name: subject.name,
                ...(subject.date ? { date: formatDate(lang, new Date(subject.date), { dateStyle: 'long' }) } : {}),
              },
            }
          : {}),
      };
    })().then(
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

  useEffect(() => {
    if (sent) statusRef.current?.focus();
  }, [sent?.clientId]);

  if (state.status === 'loading')
    return (
      <p role="status" class="notice">
        {strings.loading}
      </p>
    );
  if (state.status === 'not-granted') {
    return (
      <div class="notice notice--note" data-state="not-granted">
        <p>
          <strong>{strings['inbox.notGranted']}</strong>
        </p>
        <p>{strings['next.sign-in']}</p>
      </div>
    );
  }
  if (state.status === 'failed')
    return (
      <Problem
        lang={lang}
        error={state.error}
        strings={strings}
        call={props.call}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );

  const { setup } = state;

  if (sent) {
    return (
      <div class="card" data-state="sent" tabIndex={-1} ref={statusRef} aria-labelledby="sent-heading">
        <h2 id="sent-heading">{strings['sent.heading']}</h2>
        <MessageText text={sent.text} showAll={strings['thread.showAll']} />
        <div role="status">
          <MessageStatus
            lang={lang}
            item={sent}
            words={strings}
            onRetry={() =>
              void sending()
                .then((m) => m.deliver(sent))
                .then(setSent)
            }
            signInHref={signInHref(lang)}
          />
          {sent.state === 'sent' && mode === 'callback' && <p>{strings['callMe.sent']}</p>}
        </div>
        <div class="actions">
          {sent.state === 'sent' && sent.serverId && (
            <a class="button" href={`${props.paths.thread}?id=${encodeURIComponent(sent.serverId)}`}>
              {strings['sent.goToThread']}
            </a>
          )}
          <a class="button button--secondary" href={props.paths.messages}>
            {strings['sent.another']}
          </a>
        </div>
      </div>
    );
  }

  const topics: Topic[] = [...TOPICS];
  const times = (composer.fields['times'] as string[] | undefined) ?? [];
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
      const timeWords = new Intl.ListFormat(lang === 'es' ? 'es-US' : 'en-US', { type: 'disjunction' }).format(
        times.map((t) =>
          strings[`callMe.${t as (typeof TIMES)[number]}`].toLocaleLowerCase(lang === 'es' ? 'es-US' : 'en-US'),
        ),
      );
      const callPatient = setup.whom && composer.fields['whom'] === 'patient';
      text = [
        callPatient
          ? fill(strings['callback.callPatient'], {
              name: setup.whom?.patient.name ?? '',
              phone: String(composer.fields['phone']).trim(),
              times: timeWords,
            })
          : fill(strings['callMe.text'], { phone: String(composer.fields['phone']).trim(), times: timeWords }),
        setup.about
          ? fill(strings['compose.aboutResult'], { name: setup.about.name, date: setup.about.date ?? '' })
          : '',
        composer.text.trim() ? fill(strings['callMe.textNote'], { note: composer.text.trim() }) : '',
      ]
        .filter(Boolean)
        .join('\n');
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

  const described = (name: string, hint?: string) =>
    [hint, errors[name] ? `error-${name}` : ''].filter(Boolean).join(' ') || undefined;
  const fieldError = (name: string) =>
    errors[name] && (
      <p id={`error-${name}`} class="field-error" role="alert">
        {errors[name]}
      </p>
    );

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

      {mode === 'message' && (
        <fieldset id="field-to" tabIndex={-1} aria-describedby={described('to', 'to-hint')}>
          <legend>{strings['compose.to']}</legend>
          <p id="to-hint">{strings['compose.careTeamHint']}</p>
          {fieldError('to')}
          {setup.people.map((p) => (
            <label class="choice" key={p.reference}>
              <input
                type="radio"
                name="to"
                value={p.reference}
                checked={composer.fields['to'] === p.reference}
                onChange={() => composer.setField('to', p.reference)}
              />
              <span>
                <strong>{personName(p, strings)}</strong>
                {p.role !== 'you' && <span class="choice__detail">{p.roleText ?? strings[`role.${p.role}`]}</span>}
              </span>
            </label>
          ))}
        </fieldset>
      )}

      {mode === 'message' ? (
        <fieldset id="field-topic" tabIndex={-1} aria-describedby={described('topic')}>
          <legend>{strings['compose.topic']}</legend>
          {fieldError('topic')}
          {topics.map((topic) => (
            <label class="choice" key={topic}>
              <input
                type="radio"
                name="topic"
                value={topic}
                checked={composer.fields['topic'] === topic}
                onChange={() => composer.setField('topic', topic)}
              />
              <span>{strings[`topic.${topic}`]}</span>
            </label>
          ))}
        </fieldset>
      ) : (
        <>
          {setup.whom && (
            <fieldset id="field-whom">
              <legend>{strings['callback.whom']}</legend>
              {(['me', 'patient'] as const).map((who) => (
                <label class="choice" key={who}>
                  <input
                    type="radio"
                    name="whom"
                    value={who}
                    checked={composer.fields['whom'] === who}
                    onChange={() => {
                      // The number follows the choice, unless it was typed by hand.
                      const before = setup.whom?.[who === 'me' ? 'patient' : 'me'].phone ?? '';
                      const phone = String(composer.fields['phone'] ?? '');
                      composer.setField('whom', who);
                      if (!phone.trim() || phone === before) composer.setField('phone', setup.whom?.[who].phone ?? '');
                    }}
                  />
                  <span>{fill(strings[`callback.whom.${who}`], { name: setup.whom?.[who].name ?? '' })}</span>
                </label>
              ))}
            </fieldset>
          )}
          <div class="field">
            <label for="field-phone" class="label">
              {strings['callMe.phone']}
            </label>
            <p id="phone-hint">{strings['callMe.phoneHint']}</p>
            {fieldError('phone')}
            <input
              id="field-phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              value={String(composer.fields['phone'] ?? '')}
              onInput={(e) => composer.setField('phone', (e.target as HTMLInputElement).value)}
              aria-describedby={described('phone', 'phone-hint')}
              aria-invalid={errors['phone'] ? 'true' : undefined}
            />
          </div>
          <fieldset id="field-times" tabIndex={-1} aria-describedby={described('times')}>
            <legend>{strings['callMe.times']}</legend>
            {fieldError('times')}
            {TIMES.map((t) => (
              <label class="choice" key={t}>
                <input
                  type="checkbox"
                  name="times"
                  value={t}
                  checked={times.includes(t)}
                  onChange={(e) =>
                    composer.setField(
                      'times',
                      (e.target as HTMLInputElement).checked ? [...times, t] : times.filter((x) => x !== t),
                    )
                  }
                />
                <span>{strings[`callMe.${t}`]}</span>
              </label>
            ))}
          </fieldset>
          {setup.about && (
            <p class="notice notice--note" data-about-result>
              {fill(strings['compose.aboutResult'], { name: setup.about.name, date: setup.about.date ?? '' })}
            </p>
          )}
        </>
      )}

      <div class="field">
        <label for="field-text" class="label">
          {mode === 'message' ? strings['compose.message'] : strings['callMe.note']}
        </label>
        {mode === 'message' && <p id="text-hint">{strings['compose.hint']}</p>}
        {fieldError('text')}
        <textarea
          id="field-text"
          ref={textRef}
          rows={mode === 'message' ? 7 : 3}
          value={composer.text}
          onInput={(e) => composer.setText((e.target as HTMLTextAreaElement).value)}
          aria-describedby={described('text', mode === 'message' ? 'text-hint compose-emergency' : 'compose-emergency')}
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
