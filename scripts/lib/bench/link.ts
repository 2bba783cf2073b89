/**
 * The benchmark's slow link: a TCP proxy of its own that charges what one
 * bar of signal charges, for every byte the browser sends or receives.
 *
 * DevTools throttling delays each response in the browser, but not CORS
 * preflights nor new connections, so a page that opens a connection to the
 * FHIR server and sends a preflight is charged less than a phone would pay.
 * Here the browser reaches the portal and the sandbox only through this link,
 * one listener per upstream, on localhost only:
 *
 * - **Latency**: each direction delivers every byte half a round trip after
 *   it was put on the link.
 * - **Bandwidth**: each direction is one link shared by every connection (a
 *   radio serves all of a phone's connections at once): bytes are put on it
 *   one after another at the profile's rate, in the order they reach it (a
 *   token bucket without burst). Bytes are the TCP payload: HTTP headers and
 *   bodies; the 40 bytes of TCP/IP headers per 1,460-byte segment (under 3%)
 *   and the acknowledgements are left out.
 * - **New connections** pay the TCP handshake: the browser's first bytes leave
 *   only one round trip after it connected (SYN, SYN-ACK), and the upstream
 *   connection is opened half a round trip after (when the SYN would arrive).
 * - **TLS is not modelled.** The bench speaks HTTP on localhost; a real
 *   HTTPS connection adds one more round trip (TLS 1.3; two with TLS 1.2) and
 *   the server's certificate chain (about 3–5 KB down) before the first
 *   request. The floor the bench computes leaves it out too, so the ratio
 *   compares like with like; on this profile TLS would add about 0.5 s per
 *   new origin to both.
 * - **Not modelled either**: TCP slow start (a new connection's first answer
 *   is sent 14.6 KB at a time, one round trip apart; Clara's answers are
 *   smaller) and loss.
 *
 * Memory is bounded: a direction of a connection holding more than
 * `queueLimit` bytes pauses its reader until it has delivered half of them.
 * The link records, per connection, when it opened and each request and
 * answer (the HTTP/1.1 request line and when each byte of the answer reached
 * the browser), from which the bench counts the round trips in series and
 * the bytes before the patient's data (scripts/lib/bench/waterfall.ts).
 */
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { LinkCall } from './link-worker.ts';

export interface LinkProfile {
  /** Round trip, ms: each direction delays every byte by half of it. */
  rttMs: number;
  /** Bandwidth of each direction, kilobits per second, shared by every connection. */
  kbps: number;
}

/** A connection the browser opened. Times are epoch ms (`performance.timeOrigin + performance.now()`). */
export interface LinkConnection {
  listener: string;
  id: number;
  /** When the browser connected. */
  openedAt: number;
  /** When its first bytes could leave the browser (the handshake done, seen from the browser). */
  readyAt: number;
}

/** One request and its answer on a connection. */
export interface LinkExchange {
  listener: string;
  connection: number;
  /** From the HTTP/1.1 request line ('' when the bytes are not HTTP). */
  method: string;
  path: string;
  /** When the request's first byte reached the link from the browser. */
  sentAt: number;
  requestBytes: number;
  /** When the request's last byte reached the server. */
  deliveredAt?: number;
  /** When the server's answer began (its first byte reached the link): minus deliveredAt, the server's time. */
  answeredAt?: number;
  /** When the answer's first byte reached the browser. */
  firstByteAt?: number;
  responseBytes: number;
  /** Each piece of the answer as it reached the browser: [when, bytes]. */
  deliveries: [at: number, bytes: number][];
}

export interface LinkLog {
  connections: LinkConnection[];
  exchanges: LinkExchange[];
}

export interface ListenOptions {
  /** A name for what is behind it ("portal", "fhir"), written in the log. */
  name: string;
  port: number;
  upstreamPort: number;
  /** Default 127.0.0.1 for both: the link listens on localhost only. */
  host?: string;
  upstreamHost?: string;
}

/** TCP's usual maximum segment (1,500-byte packets less 40 bytes of headers). */
const SEGMENT = 1460;

export const now = (): number => performance.timeOrigin + performance.now();

/** One direction of the radio link, shared by every connection: bytes go on it one after another. */
class Wire {
  private busyUntil = 0;

  /** When `bytes` put on the link at `at` arrive at the other end. */
  deliverAt(bytes: number, at: number, profile: LinkProfile): number {
    const start = Math.max(at, this.busyUntil);
    // kbps is bits per millisecond.
    const end = start + (bytes * 8) / profile.kbps;
    this.busyUntil = end;
    return end + profile.rttMs / 2;
  }

  reset(): void {
    this.busyUntil = 0;
  }
}

interface Item {
  at: number;
  data?: Buffer;
}

/** One direction of one connection: what `source` sent, delivered to `dest` when the link says. */
class Pipe {
  private queue: Item[] = [];
  private queued = 0;
  private last = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  private ended = false;
  /** The destination is connected and may be written to. */
  ready = false;

  private readonly link: Link;
  private readonly source: Socket;
  private readonly dest: Socket;
  private readonly wire: Wire;
  /** Bytes may not go on the link before this (the handshake). */
  private readonly notBefore: number;
  private readonly onDeliver: ((at: number, bytes: number) => void) | undefined;

  constructor(
    link: Link,
    source: Socket,
    dest: Socket,
    wire: Wire,
    notBefore: number,
    onDeliver?: (at: number, bytes: number) => void,
  ) {
    this.link = link;
    this.source = source;
    this.dest = dest;
    this.wire = wire;
    this.notBefore = notBefore;
    this.onDeliver = onDeliver;
  }

  push(data: Buffer): void {
    const profile = this.link.profile;
    const t = now();
    if (profile) {
      // Segment by segment, as a link carries them: the browser sees an answer arrive at the link's pace, not in the proxy's reads.
      for (let offset = 0; offset < data.length; offset += SEGMENT) {
        const segment = data.subarray(offset, offset + SEGMENT);
        this.enqueue({ at: this.wire.deliverAt(segment.length, Math.max(t, this.notBefore), profile), data: segment });
      }
    } else this.enqueue({ at: t, data });
    this.queued += data.length;
    this.link.peakQueued = Math.max(this.link.peakQueued, this.queued);
    if (this.queued > this.link.queueLimit && !this.source.isPaused()) this.source.pause();
    this.arm();
  }

  /** The source ended: the end reaches the other side after the bytes before it. */
  end(): void {
    const profile = this.link.profile;
    this.enqueue({ at: now() + (profile ? profile.rttMs / 2 : 0) });
    this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.queued = 0;
  }

  private enqueue(item: Item): void {
    // In order: a later piece never overtakes an earlier one.
    item.at = Math.max(item.at, this.last);
    this.last = item.at;
    this.queue.push(item);
  }

  arm(): void {
    if (this.timer || !this.ready || this.draining) return;
    const head = this.queue[0];
    if (!head) return;
    const wait = head.at - now();
    if (wait <= 0.5) this.flush();
    else
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, Math.ceil(wait));
  }

  private flush(): void {
    const t = now();
    while (this.queue.length && (this.queue[0] as Item).at <= t + 0.5) {
      const item = this.queue.shift() as Item;
      if (this.dest.destroyed) return this.stop();
      if (!item.data) {
        if (!this.ended) this.dest.end();
        this.ended = true;
        continue;
      }
      this.queued -= item.data.length;
      this.onDeliver?.(t, item.data.length);
      if (!this.dest.write(item.data)) {
        this.draining = true;
        this.dest.once('drain', () => {
          this.draining = false;
          this.arm();
        });
        break;
      }
    }
    if (this.queued <= this.link.queueLimit / 2 && this.source.isPaused() && !this.source.destroyed)
      this.source.resume();
    this.arm();
  }
}

export class Link {
  /** The link's profile; undefined passes bytes straight through (for setting up, between measurements). */
  profile: LinkProfile | undefined;
  readonly queueLimit: number;
  /** The most bytes one direction of one connection held at once (memory stays bounded by queueLimit and one read). */
  peakQueued = 0;
  log: LinkLog = { connections: [], exchanges: [] };
  private readonly up = new Wire();
  private readonly down = new Wire();
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private nextId = 1;

  constructor(options: { profile?: LinkProfile; queueLimit?: number } = {}) {
    this.profile = options.profile;
    this.queueLimit = options.queueLimit ?? 256 * 1024;
  }

  /** Forgets what was recorded so far (and the links' queues' history: the next bytes find them idle). */
  clearLog(): void {
    this.log = { connections: [], exchanges: [] };
  }

  /** Listens on `port` and forwards every connection to `upstreamPort` through the link. */
  async listen(options: ListenOptions): Promise<void> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => this.connect(client, options));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(
                `Port ${options.port} is already in use, so the benchmark's link to the ${options.name} cannot start. Stop the program using it, or set CLARA_BENCH_LINK_PORT / CLARA_BENCH_LINK_SANDBOX_PORT to free ports.`,
              )
            : error,
        ),
      );
      server.listen(options.port, host, () => resolve());
    });
    this.servers.push(server);
  }

  private connect(client: Socket, options: ListenOptions): void {
    const profile = this.profile;
    const openedAt = now();
    const connection: LinkConnection = {
      listener: options.name,
      id: this.nextId++,
      openedAt,
      readyAt: openedAt + (profile?.rttMs ?? 0),
    };
    this.log.connections.push(connection);
    const upstream = new Socket({ allowHalfOpen: true });
    this.sockets.add(client);
    this.sockets.add(upstream);
    client.setNoDelay(true);

    let current: LinkExchange | undefined;
    const log = () => this.log;
    const uplink = new Pipe(this, client, upstream, this.up, connection.readyAt, (at) => {
      if (current) current.deliveredAt = at;
    });
    const downlink = new Pipe(this, upstream, client, this.down, 0, (at, bytes) => {
      if (!current) return;
      current.firstByteAt ??= at;
      current.responseBytes += bytes;
      current.deliveries.push([at, bytes]);
    });
    downlink.ready = true;

    client.on('data', (data: Buffer) => {
      // HTTP/1.1 without pipelining: bytes from the browser after an answer began are the next request.
      if (!current || current.responseBytes > 0) {
        const line = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r?\n/.exec(data.subarray(0, 4096).toString('latin1'));
        current = {
          listener: options.name,
          connection: connection.id,
          method: line?.[1] ?? '',
          path: line?.[2] ?? '',
          sentAt: now(),
          requestBytes: 0,
          responseBytes: 0,
          deliveries: [],
        };
        log().exchanges.push(current);
      }
      current.requestBytes += data.length;
      uplink.push(data);
    });
    upstream.on('data', (data: Buffer) => {
      if (current) current.answeredAt ??= now();
      downlink.push(data);
    });
    client.on('end', () => uplink.end());
    upstream.on('end', () => downlink.end());

    const close = () => {
      uplink.stop();
      downlink.stop();
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    // Both directions ended and delivered (or one side vanished): nothing more can pass.
    client.on('close', close);
    upstream.on('close', close);

    // The SYN reaches the server half a round trip after the browser sent it.
    const open = () => {
      if (client.destroyed) return close();
      upstream.connect({ port: options.upstreamPort, host: options.upstreamHost ?? '127.0.0.1' }, () => {
        upstream.setNoDelay(true);
        uplink.ready = true;
        uplink.arm();
      });
    };
    if (profile) setTimeout(open, profile.rttMs / 2);
    else open();
  }

  /** The ports it listens on, in the order they were opened. */
  ports(): number[] {
    return this.servers.map((s) => (s.address() as AddressInfo).port);
  }

  /** Closes every open connection (the next page finds none to reuse, as after a while without signal). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.up.reset();
    this.down.reset();
  }

  /** Closes every connection and stops listening. */
  async close(): Promise<void> {
    this.dropConnections();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.servers.length = 0;
  }
}

/**
 * The link run in a worker thread (./link-worker.ts), driven from the bench:
 * the same operations, answered asynchronously. Its timers keep time while
 * the bench's own thread serves files or drives the browser.
 */
export class LinkThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor() {
    this.worker = new Worker(new URL('./link-worker.ts', import.meta.url));
    this.worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error !== undefined) waiter?.reject(new Error(m.error));
      else waiter?.resolve(m.result);
    });
    this.worker.on('error', (error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    });
  }

  private ask(request: LinkCall): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  async listen(options: ListenOptions): Promise<void> {
    await this.ask({ op: 'listen', options });
  }

  /** Slows every byte from now on (undefined: straight through). */
  async setProfile(profile: LinkProfile | undefined): Promise<void> {
    await this.ask({ op: 'profile', profile });
  }

  async dropConnections(): Promise<void> {
    await this.ask({ op: 'drop' });
  }

  async clearLog(): Promise<void> {
    await this.ask({ op: 'clear' });
  }

  async log(): Promise<LinkLog> {
    return (await this.ask({ op: 'log' })) as LinkLog;
  }

  async ports(): Promise<number[]> {
    return (await this.ask({ op: 'ports' })) as number[];
  }

  /** Closes every connection, stops listening and ends the thread. */
  async close(): Promise<void> {
    await this.ask({ op: 'close' });
    await this.worker.terminate();
  }
}
