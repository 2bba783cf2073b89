/**
 * Secure messages as conversations: FHIR Communications built into threads.
 * Pure functions, unit-tested (tests/unit/messages.test.ts).
 *
 * A conversation is a header Communication (topic, participants, no payload)
 * with messages `partOf` it, chained by `inResponseTo`; or a first message
 * with no header, which then heads its own conversation (as Clara writes new
 * ones). The patient sees only what they take part in, as sender or
 * recipient: staff-only conversations about them (subject alone) stay hidden.
 */
import { cleanMultiline, cleanText } from './text.ts';

export interface ReferenceLike {
  reference?: string;
  display?: string;
  identifier?: { system?: string; value?: string };
}

export interface AttachmentLike {
  contentType?: string;
  title?: string;
  size?: number;
  url?: string;
  data?: string;
}

export interface CommunicationLike {
  resourceType: 'Communication';
  id?: string;
  status?: string;
  identifier?: { system?: string; value?: string }[];
  partOf?: ReferenceLike[];
  inResponseTo?: ReferenceLike[];
  subject?: ReferenceLike;
  sender?: ReferenceLike;
  recipient?: ReferenceLike[];
  sent?: string;
  received?: string;
  topic?: { text?: string; coding?: { system?: string; code?: string; display?: string }[] };
  category?: { coding?: { system?: string; code?: string; display?: string }[]; text?: string }[];
  payload?: { contentString?: string; contentAttachment?: AttachmentLike; contentReference?: ReferenceLike }[];
}

export interface CareTeamLike {
  resourceType: 'CareTeam';
  id?: string;
  status?: string;
  participant?: {
    role?: { coding?: { system?: string; code?: string; display?: string }[]; text?: string }[];
    member?: ReferenceLike;
  }[];
}

/** Clara's own code system for what a message is about; `callback` marks a call-back request. */
export const TOPIC_SYSTEM = 'http://clara-portal.org/fhir/CodeSystem/message-topic';
export const TOPICS = ['results', 'medicines', 'appointments', 'other'] as const;
export type Topic = (typeof TOPICS)[number] | 'callback';

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

const ROLE_CODES: Record<string, Role> = {
  '446050000': 'doctor',
  '309343006': 'doctor',
  '158965000': 'doctor',
  '62247001': 'family-doctor',
  '224535009': 'nurse',
  '106292003': 'nurse',
  '224571005': 'nurse',
};

function refOf(ref: ReferenceLike | undefined): string {
  return ref?.reference ?? (ref?.identifier?.value ? `identifier:${ref.identifier.value}` : '');
}

function idFromRef(ref: string | undefined): string | undefined {
  const match = /(?:^|\/)Communication\/([^/]+)$/.exec(ref ?? '');
  return match?.[1];
}

/** Everyone Clara can name: care team members with their roles, and display names seen on messages. */
export function peopleDirectory(
  careTeams: CareTeamLike[],
  messages: CommunicationLike[],
  patientRef: string,
): Map<string, Person> {
  const people = new Map<string, Person>();
  for (const team of careTeams) {
    for (const p of team.participant ?? []) {
      const reference = refOf(p.member);
      if (!reference || reference === patientRef) continue;
      const coding = p.role?.flatMap((r) => r.coding ?? []) ?? [];
      const role = coding.map((c) => ROLE_CODES[c.code ?? '']).find(Boolean) ?? 'staff';
      const roleText = cleanText(p.role?.[0]?.text ?? coding[0]?.display);
      const name = cleanText(p.member?.display);
      people.set(reference, { reference, name, role, ...(role === 'staff' && roleText ? { roleText } : {}) });
    }
  }
  for (const m of messages) {
    for (const ref of [m.sender, ...(m.recipient ?? [])]) {
      const reference = refOf(ref);
      if (!reference || reference === patientRef) continue;
      const known = people.get(reference);
      const name = cleanText(ref?.display);
      if (!known) people.set(reference, { reference, name, role: 'staff' });
      else if (!known.name && name) known.name = name;
    }
  }
  return people;
}

const isHelper = (ref: string) => ref.startsWith('RelatedPerson/');

/**
 * The patient's own conversations: the patient takes part, or (about the
 * patient) one of the patient's caregivers does, as the server's
 * compartment has it. Staff-only conversations about the patient never.
 */
function participates(c: CommunicationLike, patientRef: string): boolean {
  const refs = [c.sender, ...(c.recipient ?? [])].map(refOf);
  return refs.includes(patientRef) || (refOf(c.subject) === patientRef && refs.some(isHelper));
}

/** Only the care team is written to: never the patient or a caregiver (the server refuses them). */
const isStaff = (p: Person) => p.role !== 'you' && p.role !== 'patient' && p.role !== 'helper';

function topicOf(c: CommunicationLike | undefined): { topic: string; code?: Topic } {
  const coding = [...(c?.category ?? []).flatMap((x) => x.coding ?? []), ...(c?.topic?.coding ?? [])].find(
    (x) => x.system === TOPIC_SYSTEM,
  );
  const code =
    coding?.code && ([...TOPICS, 'callback'] as string[]).includes(coding.code) ? (coding.code as Topic) : undefined;
  const topic = cleanText(c?.topic?.text) || cleanText(c?.topic?.coding?.[0]?.display);
  return { topic, ...(code ? { code } : {}) };
}

function attachmentsOf(c: CommunicationLike): Attachment[] {
  return (c.payload ?? [])
    .map((p) => p.contentAttachment)
    .filter((a): a is AttachmentLike => !!a && (!!a.url || !!a.data))
    .map((a) => ({
      title: cleanText(a.title) || cleanText(a.url?.split('/').pop()) || 'file',
      contentType: cleanText(a.contentType) || 'application/octet-stream',
      ...(typeof a.size === 'number' ? { size: a.size } : a.data ? { size: Math.floor((a.data.length * 3) / 4) } : {}),
      ...(a.url ? { url: a.url } : {}),
      ...(a.data ? { data: a.data } : {}),
    }));
}

function textOf(c: CommunicationLike): string {
  return (c.payload ?? [])
    .map((p) => cleanMultiline(p.contentString))
    .filter(Boolean)
    .join('\n\n');
}

/** How a message's client identifier is written (`urn:uuid:…`), so a retry is recognised as the same message. */
export const CLIENT_ID_SYSTEM = 'urn:ietf:rfc:3986';

export function clientIdOf(c: CommunicationLike): string | undefined {
  const value = c.identifier?.find((i) => i.system === CLIENT_ID_SYSTEM && i.value?.startsWith('urn:uuid:'))?.value;
  return value?.slice('urn:uuid:'.length);
}

/** Orders a conversation: by time sent, and a reply never before the message it answers. */
export function orderMessages(messages: Message[]): Message[] {
  const sorted = [...messages].sort(
    (a, b) =>
      (Date.parse(a.sent ?? '') || Infinity) - (Date.parse(b.sent ?? '') || Infinity) || a.id.localeCompare(b.id),
  );
  const position = new Map(sorted.map((m, i) => [m.id, i]));
  // Move a reply after its parent when the clocks disagree (missing or skewed `sent`).
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i] as Message;
    const parent = m.inResponseTo ? position.get(m.inResponseTo) : undefined;
    if (parent !== undefined && parent > i) {
      sorted.splice(i, 1);
      sorted.splice(parent, 0, m);
      sorted.forEach((x, j) => position.set(x.id, j));
      i--;
    }
  }
  return sorted;
}

/**
 * Builds the patient's conversations from every Communication fetched
 * (duplicates allowed), newest activity first.
 */
export function buildThreads(
  all: CommunicationLike[],
  patientId: string,
  careTeams: CareTeamLike[] = [],
  viewer: Viewer = {},
): Thread[] {
  const patientRef = `Patient/${patientId}`;
  const me = viewer.me ?? patientRef;
  const helpers = new Map((viewer.helpers ?? []).map((h) => [h.reference, h]));
  const unique = new Map<string, CommunicationLike>();
  for (const c of all)
    if (c?.resourceType === 'Communication' && c.id && c.status !== 'entered-in-error') unique.set(c.id, c);
  const visible = [...unique.values()].filter((c) => participates(c, patientRef));
  const people = peopleDirectory(careTeams, visible, patientRef);
  const person = (ref: ReferenceLike | undefined): Person => {
    const reference = refOf(ref);
    if (reference === me) return { reference, name: '', role: 'you' };
    if (reference === patientRef)
      return { reference, name: viewer.patientName || cleanText(ref?.display), role: 'patient' };
    if (isHelper(reference)) {
      const known = helpers.get(reference);
      return {
        reference,
        name: known?.name || cleanText(ref?.display),
        role: 'helper',
        ...(known?.relation ? { relation: known.relation } : {}),
        ...(known?.relationText ? { relationText: known.relationText } : {}),
        ...(me !== patientRef && viewer.patientName ? { forPatient: viewer.patientName } : {}),
      };
    }
    return people.get(reference) ?? { reference, name: cleanText(ref?.display), role: 'staff' };
  };

  const groups = new Map<string, { head?: CommunicationLike; items: CommunicationLike[] }>();
  const group = (id: string) => {
    let g = groups.get(id);
    if (!g) {
      g = { items: [] };
      groups.set(id, g);
    }
    return g;
  };
  for (const c of visible) {
    const parent = idFromRef(c.partOf?.find((p) => idFromRef(p.reference))?.reference);
    if (parent) group(parent).items.push(c);
    else {
      const g = group(c.id as string);
      g.head = c;
      if (textOf(c) || attachmentsOf(c).length) g.items.push(c);
    }
  }

  const threads: Thread[] = [];
  for (const [id, g] of groups) {
    // A conversation whose header is not visible to the patient (staff-only) is not theirs,
    // unless the patient takes part in its messages (then the header was just not fetched).
    if (!g.items.length) continue;
    const messages = orderMessages(
      g.items.map((c) => {
        const clientId = clientIdOf(c);
        const parent = idFromRef(c.inResponseTo?.[0]?.reference);
        return {
          id: c.id as string,
          ...(c.sent ? { sent: c.sent } : {}),
          from: person(c.sender),
          mine: refOf(c.sender) === me,
          text: textOf(c),
          attachments: attachmentsOf(c),
          ...(parent ? { inResponseTo: parent } : {}),
          ...(clientId ? { clientId } : {}),
        };
      }),
    );
    const first = g.head ?? g.items[0];
    const { topic, code } = topicOf(first?.topic || first?.category ? first : g.items.find((c) => c.topic));
    const others = new Map<string, Person>();
    for (const c of [...(g.head ? [g.head] : []), ...g.items]) {
      for (const ref of [c.sender, ...(c.recipient ?? [])]) {
        const p = person(ref);
        if (isStaff(p) && p.reference && !others.has(p.reference)) others.set(p.reference, p);
      }
    }
    const last = messages.at(-1);
    const lastSent = messages
      .map((m) => m.sent)
      .filter((s): s is string => !!s)
      .sort()
      .at(-1);
    threads.push({
      id,
      topic,
      ...(code ? { topicCode: code } : {}),
      with: [...others.values()],
      messages,
      ...(lastSent ? { lastSent } : {}),
      ...(last ? { lastId: last.id } : {}),
      replyTo: [...others.values()],
    });
  }
  return threads.sort((a, b) => (Date.parse(b.lastSent ?? '') || 0) - (Date.parse(a.lastSent ?? '') || 0));
}

/**
 * Messages from others the patient has not read yet: not opened on this
 * device, and sent since `since` (older ones are never "unread", whatever
 * the device remembers).
 */
export function unreadIn(thread: Thread, read: Set<string>, since?: string): Message[] {
  return thread.messages.filter((m) => !m.mine && !read.has(m.id) && (!since || (m.sent ?? '') >= since));
}

/** The start of a message, for the inbox: whole words, about `max` characters. */
export function snippet(text: string, max = 90): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max * 0.6)).trimEnd()}…`;
}
