/**
 * The Communication a patient sends (only the pages that send load this).
 */
import type { Communication, Reference } from '@medplum/fhirtypes';
import { CLIENT_ID_SYSTEM } from './message-parts.ts';
import { TOPIC_SYSTEM, type Topic } from './topics.ts';

/** Builds the Communication a patient (or a caregiver, for the patient) sends: a new conversation, or a reply in one. */
export function outgoingMessage(input: {
  clientId: string;
  patientId: string;
  patientName?: string;
  /** Who sends it, when not the patient: the caregiver's `RelatedPerson/<id>` (the token's fhirUser), and her name. */
  sender?: string;
  senderName?: string;
  text: string;
  recipients: { reference: string; display?: string }[];
  sent: string;
  topic?: string;
  topicCode?: Topic;
  thread?: string;
  inResponseTo?: string;
}): Communication & { subject: Reference } {
  const patient = {
    reference: `Patient/${input.patientId}`,
    ...(input.patientName ? { display: input.patientName } : {}),
  };
  // A caregiver writes as herself (sender), on behalf of the patient (subject).
  const me =
    input.sender && input.sender !== patient.reference
      ? { reference: input.sender, ...(input.senderName ? { display: input.senderName } : {}) }
      : patient;
  return {
    resourceType: 'Communication',
    status: 'completed',
    identifier: [{ system: CLIENT_ID_SYSTEM, value: `urn:uuid:${input.clientId}` }],
    ...(input.thread ? { partOf: [{ reference: `Communication/${input.thread}` }] } : {}),
    ...(input.inResponseTo ? { inResponseTo: [{ reference: `Communication/${input.inResponseTo}` }] } : {}),
    subject: patient,
    sender: me,
    recipient: input.recipients.map((r) => ({ reference: r.reference, ...(r.display ? { display: r.display } : {}) })),
    sent: input.sent,
    ...(input.topic ? { topic: { text: input.topic } } : {}),
    ...(input.topicCode ? { category: [{ coding: [{ system: TOPIC_SYSTEM, code: input.topicCode }] }] } : {}),
    payload: [{ contentString: input.text }],
  };
}
