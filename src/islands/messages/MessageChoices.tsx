/** The new-message form's choices: to whom on the care team, and what the message is about. */
import { TOPICS, type Topic } from '../../lib/messages/topics.ts';
import { personName } from '../../lib/messages/people-text.ts';
import type { ComposeForm } from './compose-props.ts';
import { describedBy, fieldError } from './field-error.tsx';

export function RecipientChoice({ form: { composer, strings, errors, setup } }: { form: ComposeForm }) {
  return (
    <fieldset id="field-to" tabIndex={-1} aria-describedby={describedBy(errors, 'to', 'to-hint')}>
      <legend>{strings['compose.to']}</legend>
      <p id="to-hint">{strings['compose.careTeamHint']}</p>
      {fieldError(errors, 'to')}
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
  );
}

export function TopicChoice({ form: { composer, strings, errors } }: { form: ComposeForm }) {
  const topics: Topic[] = [...TOPICS];
  return (
    <fieldset id="field-topic" tabIndex={-1} aria-describedby={describedBy(errors, 'topic')}>
      <legend>{strings['compose.topic']}</legend>
      {fieldError(errors, 'topic')}
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
  );
}
