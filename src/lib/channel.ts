/**
 * What Clara's tabs tell each other (BroadcastChannel "clara"): a sign-out
 * (every tab drops its session and key and leaves patient data), an erased
 * copy (tabs drop its key), and that the patient is using Clara (the time
 * limit counts activity in any tab). Never patient data.
 */
export type ClaraMessage = (
  { type: 'signed-out'; keepVault: boolean } | { type: 'vault-erased' } | { type: 'activity' }
) & { from?: string };

export const CHANNEL = 'clara';

/** This tab, so that it does not answer its own messages (a channel reaches every other object of its name, in this tab too). */
export const TAB = Math.random().toString(36).slice(2);

export function tell(message: ClaraMessage): void {
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ ...message, from: TAB });
    channel.close();
  } catch {
    // An old browser without BroadcastChannel: other tabs find out when they next load.
  }
}
