/**
 * The call-back form's fields: whom to call (a caregiver chooses herself or
 * the patient), the phone number (filled from the EHR), the good times, and
 * the result it is about.
 */
import { fill } from '../../lib/i18n/format.ts';
import { TIMES } from '../../lib/messages/callback-text.ts';
import type { ComposeForm } from './compose-props.ts';
import { describedBy, fieldError } from './field-error.tsx';

/** `times`: the times chosen so far. */
export function CallbackFields({
  form: { composer, strings, errors, setup },
  times,
}: {
  form: ComposeForm;
  times: string[];
}) {
  return (
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
        {fieldError(errors, 'phone')}
        <input
          id="field-phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={String(composer.fields['phone'] ?? '')}
          onInput={(e) => composer.setField('phone', (e.target as HTMLInputElement).value)}
          aria-describedby={describedBy(errors, 'phone', 'phone-hint')}
          aria-invalid={errors['phone'] ? 'true' : undefined}
        />
      </div>
      <fieldset id="field-times" tabIndex={-1} aria-describedby={describedBy(errors, 'times')}>
        <legend>{strings['callMe.times']}</legend>
        {fieldError(errors, 'times')}
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
  );
}
