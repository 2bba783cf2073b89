/**
 * Every way a FHIR request can fail, as a kind the patient's page turns into
 * a plain sentence and a way forward (locales/{en,es}/errors.json, keys "fhir.…").
 * Pure: classified from the response status and body, unit-tested.
 */
export const FHIR_ERROR_KINDS = [
  'offline',
  'unreachable',
  'timeout',
  'expired',
  'forbidden',
  'not-granted',
  'not-found',
  'busy',
  'server',
  'malformed',
  'rejected',
] as const;
export type FhirErrorKind = (typeof FHIR_ERROR_KINDS)[number];

/** What the patient can do next. */
export type NextStep = 'retry' | 'sign-in' | 'call' | 'back';

export const NEXT_STEP: Record<FhirErrorKind, NextStep> = {
  offline: 'retry',
  unreachable: 'retry',
  timeout: 'retry',
  expired: 'sign-in',
  forbidden: 'call',
  'not-granted': 'sign-in',
  'not-found': 'back',
  busy: 'retry',
  server: 'retry',
  malformed: 'call',
  rejected: 'call',
};

export class FhirError extends Error {
  readonly kind: FhirErrorKind;
  readonly status: number | undefined;
  /** The server's own words (OperationOutcome), for logs; never shown as the message. */
  readonly detail: string | undefined;

  constructor(kind: FhirErrorKind, options: { status?: number; detail?: string } = {}) {
    super(
      `FHIR request failed: ${kind}${options.status ? ` (${options.status})` : ''}${options.detail ? `: ${options.detail}` : ''}`,
    );
    this.name = 'FhirError';
    this.kind = kind;
    this.status = options.status;
    this.detail = options.detail;
  }
}

/** The text of an OperationOutcome's issues, if the body is one. */
export function outcomeText(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || (body as { resourceType?: unknown }).resourceType !== 'OperationOutcome')
    return undefined;
  const issues = (body as { issue?: { details?: { text?: unknown }; diagnostics?: unknown }[] }).issue ?? [];
  const texts = issues.map((i) => i.details?.text ?? i.diagnostics).filter((t): t is string => typeof t === 'string');
  return texts.join(' ') || undefined;
}

/** The kind of failure for an HTTP status other than 2xx (401 handled by the caller first). */
export function kindForStatus(status: number): FhirErrorKind {
  if (status === 401) return 'expired';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'busy';
  if (status >= 500) return 'server';
  return 'rejected';
}

/** The kind of failure for an exception thrown by fetch. */
export function kindForException(error: unknown, online: boolean): FhirErrorKind {
  if (error instanceof FhirError) return error.kind;
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  return online ? 'unreachable' : 'offline';
}
