/** What a message is about: Clara's own code system for it, and reading it back from a Communication. */
import type { Communication } from '@medplum/fhirtypes';
import { cleanText } from '../fhir/text.ts';

/** Clara's own code system for what a message is about; `callback` marks a call-back request. */
export const TOPIC_SYSTEM = 'http://clara-portal.org/fhir/CodeSystem/message-topic';
export const TOPICS = ['results', 'medicines', 'appointments', 'other'] as const;
export type Topic = (typeof TOPICS)[number] | 'callback';

/** A conversation's topic in words (as the EHR wrote it), and Clara's code for it when it carries one. */
export function topicOf(c: Communication | undefined): { topic: string; code?: Topic } {
  const coding = [...(c?.category ?? []).flatMap((x) => x.coding ?? []), ...(c?.topic?.coding ?? [])].find(
    (x) => x.system === TOPIC_SYSTEM,
  );
  const code =
    coding?.code && ([...TOPICS, 'callback'] as string[]).includes(coding.code) ? (coding.code as Topic) : undefined;
  const topic = cleanText(c?.topic?.text) || cleanText(c?.topic?.coding?.[0]?.display);
  return { topic, ...(code ? { code } : {}) };
}
