/** A form field's error, said next to it and tied to it (aria-describedby), as the compose form shows them. */

/** The ids that describe a field: its hint, and its error when it has one. */
export const describedBy = (errors: Record<string, string>, name: string, hint?: string) =>
  [hint, errors[name] ? `error-${name}` : ''].filter(Boolean).join(' ') || undefined;

export const fieldError = (errors: Record<string, string>, name: string) =>
  errors[name] && (
    <p id={`error-${name}`} class="field-error" role="alert">
      {errors[name]}
    </p>
  );
