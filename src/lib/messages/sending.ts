/**
 * The code that sends messages (deliver.ts and what it needs), loaded when a
 * message is sent or may be waiting, not with the page's first bytes: the
 * conversation and the new-message pages show their data without it.
 */
export const sending = () => import('./deliver.ts');
