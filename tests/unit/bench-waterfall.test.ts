/**
 * Reading a visit from the bench link's log (scripts/lib/bench/waterfall.ts):
 * the round trips in series before the data, the bytes before it, and the
 * floor they set.
 */
import { describe, expect, test } from 'vitest';
import type { LinkExchange, LinkLog } from '../../scripts/lib/bench/link.ts';
import {
  bytesBefore,
  criticalPath,
  describePath,
  floorMs,
  unavoidableRoundTrips,
  usedFhir,
} from '../../scripts/lib/bench/waterfall.ts';

const RTT = 400;
const profile = { rttMs: RTT, kbps: 400 };

function exchange(
  listener: string,
  connection: number,
  request: string,
  sentAt: number,
  firstByteAt: number,
  bytes: number,
): LinkExchange {
  const [method = '', path = ''] = request.split(' ');
  return {
    listener,
    connection,
    method,
    path,
    sentAt,
    requestBytes: 300,
    firstByteAt,
    responseBytes: bytes,
    deliveries: [[firstByteAt, bytes]],
  };
}

/**
 * A results page as today's Clara loads it, one round trip each: the HTML on
 * a new connection, its script, then the FHIR server: a connection, a
 * preflight and Patient, then the searches (one on a second connection, in
 * parallel with the first), data on screen at 4,200 ms.
 */
const log: LinkLog = {
  connections: [
    { listener: 'portal', id: 1, openedAt: 0, readyAt: RTT },
    { listener: 'fhir', id: 2, openedAt: 1300, readyAt: 1700 },
    { listener: 'fhir', id: 3, openedAt: 2550, readyAt: 2950 },
  ],
  exchanges: [
    exchange('portal', 1, 'GET /en/results/', 5, 810, 5000),
    exchange('portal', 1, 'GET /_astro/results.js', 850, 1260, 9000),
    // The icon, requested at the same time as the script: not in series with anything after.
    exchange('portal', 1, 'GET /favicon.svg', 1270, 1680, 600),
    exchange('fhir', 2, 'OPTIONS /fhir/R4/Patient/1', 1300, 2110, 200),
    exchange('fhir', 2, 'GET /fhir/R4/Patient/1', 2120, 2540, 700),
    exchange('fhir', 2, 'GET /fhir/R4/Observation?category=laboratory', 2550, 3300, 6000),
    exchange('fhir', 3, 'OPTIONS /fhir/R4/DiagnosticReport', 2550, 3360, 200),
    exchange('fhir', 3, 'GET /fhir/R4/DiagnosticReport', 3370, 4100, 3000),
    // After the data: not counted.
    exchange('fhir', 2, 'GET /fhir/R4/Communication', 4300, 4700, 900),
  ],
};

describe('the critical path', () => {
  test('is the longest chain of round trips each starting after the one before, up to the data on screen', () => {
    const path = criticalPath(log, 4200);
    expect(path.map((s) => `${s.origin} ${s.label}`)).toEqual([
      'portal connect',
      'portal GET /en/results/',
      'portal GET /_astro/results.js',
      'fhir connect',
      'fhir OPTIONS Patient/1',
      'fhir GET Patient/1',
      'fhir connect',
      'fhir OPTIONS DiagnosticReport',
      'fhir GET DiagnosticReport',
    ]);
    expect(describePath(path)).toBe('3 connect + 2 preflight + 4 request');
  });

  test('a request on a new connection starts when the handshake is done, so the connection counts before it', () => {
    const path = criticalPath(
      {
        connections: [{ listener: 'portal', id: 1, openedAt: 0, readyAt: RTT }],
        exchanges: [exchange('portal', 1, 'GET /', 2, 820, 4000)],
      },
      1000,
    );
    expect(path.map((s) => s.kind)).toEqual(['connect', 'request']);
    expect(path[1]?.start).toBe(RTT);
  });

  test('requests in parallel count once', () => {
    const parallel: LinkLog = {
      connections: [],
      exchanges: [
        exchange('fhir', 1, 'GET /a', 0, 400, 100),
        exchange('fhir', 2, 'GET /b', 10, 420, 100),
        exchange('fhir', 3, 'GET /c', 20, 430, 100),
      ],
    };
    expect(criticalPath(parallel, 1000)).toHaveLength(1);
  });
});

describe('bytes and the floor', () => {
  test('bytes before the data are those that reached the browser by then, by origin', () => {
    expect(bytesBefore(log, 4200)).toEqual({
      total: 5000 + 9000 + 600 + 200 + 700 + 6000 + 200 + 3000,
      by: { portal: 14600, fhir: 10100 },
    });
    expect(bytesBefore(log, 1000).total).toBe(5000);
  });

  test('the data waited for the FHIR server when an answer (not a preflight) came before it', () => {
    expect(usedFhir(log, 4200)).toBe(true);
    expect(usedFhir(log, 2200)).toBe(false);
  });

  test('unavoidable round trips: HTML on a new connection 2, FHIR on another origin 3, on the same origin 1', () => {
    expect(unavoidableRoundTrips({ fhir: true, sameOrigin: false })).toBe(5);
    expect(unavoidableRoundTrips({ fhir: true, sameOrigin: true })).toBe(3);
    expect(unavoidableRoundTrips({ fhir: false, sameOrigin: false })).toBe(2);
  });

  test('floor = round trips × round trip + bytes ÷ bandwidth (50 KB at 400 kbps is 1 s)', () => {
    expect(floorMs(5, 50_000, profile)).toBe(5 * RTT + 1000);
  });
});
