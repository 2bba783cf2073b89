/**
 * Why a sign-in failed, as a kind the sign-in page turns into words in the
 * patient's language (src/scripts/sign-in.ts).
 */

export type SignInErrorKind =
  'no-pkce' | 'discovery' | 'setup' | 'offline' | 'timeout' | 'denied' | 'state' | 'exchange';

export class SignInError extends Error {
  readonly kind: SignInErrorKind;
  constructor(kind: SignInErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = 'SignInError';
  }
}

export function networkError(error: unknown): SignInError {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new SignInError('timeout', 'The clinic took too long to answer.');
  }
  return new SignInError('offline', 'The clinic could not be reached.');
}
