/**
 * The words the sign-in script (sign-in.ts) says, by their keys in locales/{en,es}/signin.json, declared
 * once: the page looks them up at build time (pages/[lang]/sign-in/index.astro, with
 * lib/i18n/island-strings.ts `fromNamespace`); the script imports only their type.
 */
export const SIGN_IN_KEYS = [
  'status.redirecting',
  'status.completing',
  'status.signedOut',
  'status.signedOutElsewhere',
  'status.signedOutIdle',
  'status.signedOutIdleLocked',
  'status.expired',
  'error.no-pkce',
  'error.discovery',
  'error.setup',
  'error.offline',
  'error.timeout',
  'error.denied',
  'error.state',
  'error.exchange',
] as const;

export type SignInKeys = (typeof SIGN_IN_KEYS)[number];
