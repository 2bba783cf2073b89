/**
 * Conversations as the message pages show them: what threads.ts builds from
 * the server's Communications (types only, nothing reaches the browser).
 */
import type { Topic } from './topics.ts';

/** `patient`: the patient, seen by a caregiver; `helper`: a caregiver (RelatedPerson) of the patient. */
export type Role = 'doctor' | 'family-doctor' | 'nurse' | 'staff' | 'you' | 'patient' | 'helper';

export interface Person {
  reference: string;
  name: string;
  role: Role;
  /** The role as the EHR wrote it, when Clara has no word of its own for it. */
  roleText?: string;
  /** A caregiver: who she is to the patient (relationship.ts), or the EHR's own text. */
  relation?: string;
  relationText?: string;
  /** A caregiver seen by another caregiver: the patient's name ("… for Adán"); absent when the patient is looking ("… for you"). */
  forPatient?: string;
}

/** A caregiver of the patient, as Clara names her (from the patient's RelatedPersons). */
export interface Helper {
  reference: string;
  name: string;
  relation?: string;
  relationText?: string;
}

/** Who is looking: the signed-in user (`fhirUser`), and for a caregiver the patient's name. Default: the patient. */
export interface Viewer {
  me?: string;
  patientName?: string;
  helpers?: readonly Helper[];
}

export interface Attachment {
  title: string;
  contentType: string;
  size?: number;
  url?: string;
  data?: string;
}

export interface Message {
  id: string;
  sent?: string;
  from: Person;
  mine: boolean;
  text: string;
  attachments: Attachment[];
  inResponseTo?: string;
  clientId?: string;
}

export interface Thread {
  /** The header's id, or the first message's when there is no header. */
  id: string;
  topic: string;
  topicCode?: Topic;
  /** The others in the conversation (not the patient). */
  with: Person[];
  messages: Message[];
  /** Latest activity, for ordering and the inbox time. */
  lastSent?: string;
  /** The message to answer when replying (the newest one). */
  lastId?: string;
  /** Who a reply goes to. */
  replyTo: Person[];
}
