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
import type { CareTeam, Communication, Reference } from '@medplum/fhirtypes';
import { cleanText } from '../fhir/text.ts';
import { attachmentsOf, clientIdOf, textOf } from './message-parts.ts';
import { isHelper, isStaff, peopleDirectory, refOf } from './people.ts';
import { topicOf } from './topics.ts';
import type { Message, Person, Thread, Viewer } from './types.ts';

function idFromRef(ref: string | undefined): string | undefined {
  const match = /(?:^|\/)Communication\/([^/]+)$/.exec(ref ?? '');
  return match?.[1];
}

/**
 * The patient's own conversations: the patient takes part, or (about the
 * patient) one of the patient's caregivers does, as the server's
 * compartment has it. Staff-only conversations about the patient never.
 */
function participates(c: Communication, patientRef: string): boolean {
  const refs = [c.sender, ...(c.recipient ?? [])].map(refOf);
  return refs.includes(patientRef) || (refOf(c.subject) === patientRef && refs.some(isHelper));
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
  all: Communication[],
  patientId: string,
  careTeams: CareTeam[] = [],
  viewer: Viewer = {},
): Thread[] {
  const patientRef = `Patient/${patientId}`;
  const me = viewer.me ?? patientRef;
  const helpers = new Map((viewer.helpers ?? []).map((h) => [h.reference, h]));
  const unique = new Map<string, Communication>();
  for (const c of all)
    if (c?.resourceType === 'Communication' && c.id && c.status !== 'entered-in-error') unique.set(c.id, c);
  const visible = [...unique.values()].filter((c) => participates(c, patientRef));
  const people = peopleDirectory(careTeams, visible, patientRef);
  const person = (ref: Reference | undefined): Person => {
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

  const groups = new Map<string, { head?: Communication; items: Communication[] }>();
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
