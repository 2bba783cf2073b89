/**
 * What a visit over the bench's link (scripts/lib/bench/link.ts) spent before
 * the patient's data was on screen: the round trips in series (connection
 * set-ups, CORS preflights, requests), the bytes that crossed, and the floor
 * those bytes and the page's unavoidable round trips set. Pure functions over
 * the link's log.
 */
import type { LinkExchange, LinkLog, LinkProfile } from './link.ts';

export interface Step {
  kind: 'connect' | 'preflight' | 'request';
  /** The listener ("portal", "fhir"). */
  origin: string;
  /** "connect", or the method and path ("GET /en/results/"). */
  label: string;
  /** When it could start (a request on a new connection: when the handshake was done), epoch ms. */
  start: number;
  /** When it was done, seen from the browser (a request: its answer's first byte). */
  end: number;
  /** The request and answer, for a preflight or a request. */
  exchange?: LinkExchange;
  /** Which connection ("fhir 3"). */
  connection: string;
}

/** Every round trip the visit made that was done by `until`. */
export function steps(log: LinkLog, until: number): Step[] {
  const ready = new Map(log.connections.map((c) => [`${c.listener} ${c.id}`, c.readyAt]));
  const out: Step[] = log.connections
    .filter((c) => c.readyAt <= until)
    .map((c) => ({
      kind: 'connect',
      origin: c.listener,
      label: 'connect',
      start: c.openedAt,
      end: c.readyAt,
      connection: `${c.listener} ${c.id}`,
    }));
  for (const e of log.exchanges) {
    if (e.firstByteAt === undefined || e.firstByteAt > until) continue;
    const connection = `${e.listener} ${e.connection}`;
    const start = Math.max(e.sentAt, ready.get(connection) ?? e.sentAt);
    out.push({
      kind: e.method === 'OPTIONS' ? 'preflight' : 'request',
      origin: e.listener,
      label: `${e.method} ${shorten(e.path)}`.trim(),
      start,
      end: e.firstByteAt,
      exchange: e,
      connection,
    });
  }
  return out;
}

/**
 * The critical path: the longest chain of round trips each starting after
 * the one before it was done, among those done by `until` (the data on
 * screen). On a link where every round trip costs the full round trip,
 * round trips in such a chain cannot have overlapped: their number is how
 * many round trips in a row the page waited. Between chains of the same
 * length, a step's own connection (its handshake, the request before it on
 * that connection) is taken as what it waited for, then the latest step.
 */
export function criticalPath(log: LinkLog, until: number, toleranceMs = 1): Step[] {
  const all = steps(log, until).sort((a, b) => a.end - b.end || a.start - b.start);
  const length: number[] = [];
  const previous: number[] = [];
  all.forEach((step, i) => {
    length[i] = 1;
    previous[i] = -1;
    for (let j = 0; j < i; j++) {
      const before = all[j] as Step;
      if (before.end > step.start + toleranceMs) continue;
      const candidate = (length[j] as number) + 1;
      const current = previous[i] as number;
      const sameConnection = (k: number) => (all[k] as Step).connection === step.connection;
      if (
        candidate > (length[i] as number) ||
        (candidate === length[i] && current >= 0 && (sameConnection(j) || !sameConnection(current)))
      ) {
        length[i] = candidate;
        previous[i] = j;
      }
    }
  });
  let best = -1;
  all.forEach((_, i) => {
    if (best < 0 || (length[i] as number) >= (length[best] as number)) best = i;
  });
  const path: Step[] = [];
  for (let i = best; i >= 0; i = previous[i] as number) path.unshift(all[i] as Step);
  return path;
}

/** Bytes that reached the browser by `until` (headers and bodies), in all and by listener. */
export function bytesBefore(log: LinkLog, until: number): { total: number; by: Record<string, number> } {
  const by: Record<string, number> = {};
  let total = 0;
  for (const e of log.exchanges) {
    for (const [at, bytes] of e.deliveries) {
      if (at > until) break;
      by[e.listener] = (by[e.listener] ?? 0) + bytes;
      total += bytes;
    }
  }
  return { total, by };
}

/** Did the data on screen wait for the FHIR server (an answer other than a preflight's arrived before it)? */
export function usedFhir(log: LinkLog, until: number, fhir = 'fhir'): boolean {
  return log.exchanges.some(
    (e) => e.listener === fhir && e.method !== 'OPTIONS' && e.firstByteAt !== undefined && e.firstByteAt <= until,
  );
}

/**
 * Round trips no page can avoid: the HTML on a new connection (handshake,
 * request): 2; the FHIR data from another origin (connection, CORS
 * preflight, request): 3, or 1 when the FHIR server shares the portal's
 * origin (and its connection).
 */
export function unavoidableRoundTrips(options: { fhir: boolean; sameOrigin: boolean }): number {
  return 2 + (options.fhir ? (options.sameOrigin ? 1 : 3) : 0);
}

/** The floor: unavoidable round trips × round trip + bytes ÷ bandwidth, in ms. */
export function floorMs(roundTrips: number, bytes: number, profile: LinkProfile): number {
  return roundTrips * profile.rttMs + (bytes * 8) / profile.kbps;
}

/** "3 connect + 1 preflight + 4 requests" */
export function describePath(path: Step[]): string {
  const count = (kind: Step['kind']) => path.filter((s) => s.kind === kind).length;
  return `${count('connect')} connect + ${count('preflight')} preflight + ${count('request')} request`;
}

function shorten(path: string): string {
  const [p = '', q] = path.split('?');
  const short = p.replace(/^\/fhir\/R4\//, '').replace(/\.[\w-]{8,}\.js$/, '.js');
  return q ? `${short}?…` : short;
}
