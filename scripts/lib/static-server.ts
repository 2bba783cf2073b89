/**
 * A small static file server for the built site (dist/): the portal of
 * `npm start` and the site the benchmark measures (the e2e tests run on
 * nginx, scripts/lib/nginx.ts). It behaves like the shipped nginx
 * configuration: directory indexes, the language's own 404 page,
 * brotli/gzip, and the very headers the build wrote for each kind of path
 * (deploy/generated/headers.json, from src/build/security-headers.ts), so
 * development sees the production Content-Security-Policy and caching.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { GENERATED_DIR, HEADERS_JSON, readHeaderSets } from '../../src/build/security-files.ts';
import { HEADERS_FILE, kindOf, type HeaderSet, type PathKind } from '../../src/build/security-headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.xml']);

interface Entry {
  raw: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  etag: string;
  mtimeMs: number;
}

export interface ServedRequest {
  path: string;
  status: number;
  /** The body as sent (compressed when the client accepted it). */
  bodyBytes: number;
  /** The status line and headers. */
  headerBytes: number;
}

export interface StaticServerOptions {
  root: string;
  port: number;
  host?: string;
  /** The headers of each kind of path; by default those of the last build (deploy/generated/headers.json). */
  headerSets?: Record<PathKind, HeaderSet>;
  /** Called for each request answered (for logs and the benchmark). */
  onRequest?: (request: ServedRequest) => void;
}

export const NO_HEADERS_MESSAGE = `${GENERATED_DIR}/${HEADERS_JSON} is missing: build Clara first (npm run build), which writes it beside dist/.`;

/** Throws NO_HEADERS_MESSAGE when there is no build to take the headers from. */
export function createStaticServer(options: StaticServerOptions): Server {
  const root = resolve(options.root);
  const cache = new Map<string, Entry>();
  const sets = options.headerSets ?? readHeaderSets();
  if (!sets) throw new Error(NO_HEADERS_MESSAGE);

  async function load(file: string): Promise<Entry | undefined> {
    let info;
    try {
      info = await stat(file);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached;
    const raw = await readFile(file);
    const entry: Entry = {
      raw,
      etag: `"${createHash('sha1').update(raw).digest('base64url').slice(0, 20)}"`,
      mtimeMs: info.mtimeMs,
    };
    if (COMPRESSIBLE.has(extname(file))) {
      entry.br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
      entry.gzip = gzipSync(raw, { level: 9 });
    }
    cache.set(file, entry);
    return entry;
  }

  async function isDir(path: string): Promise<boolean> {
    try {
      return (await stat(path)).isDirectory();
    } catch {
      return false;
    }
  }

  return createServer(async (req, res) => {
    const send = (status: number, body: Buffer | string, headers: Record<string, string> = {}) => {
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
      if (options.onRequest) {
        // Node keeps the status line and headers it sent (Date and Connection included) in `_header`.
        const head = (res as unknown as { _header?: string })._header ?? '';
        const size = req.method === 'HEAD' ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
        options.onRequest({ path: req.url ?? '', status, bodyBytes: size, headerBytes: Buffer.byteLength(head) });
      }
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'Method not allowed', { ...sets.static, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      send(400, 'Bad request', { ...sets.static, 'Content-Type': 'text/plain' });
      return;
    }
    const target = normalize(join(root, pathname));
    if (target !== root && !target.startsWith(root + sep)) {
      send(403, 'Forbidden', { ...sets.static, 'Content-Type': 'text/plain' });
      return;
    }
    let file = target;
    let status = 200;
    if (await isDir(target)) {
      if (!pathname.endsWith('/')) {
        const search = new URL(req.url ?? '/', 'http://x').search;
        send(301, '', { ...sets.static, Location: `${pathname}/${search}` });
        return;
      }
      file = join(target, 'index.html');
    }
    // The static-host header file is for other hosts, not a page (nginx answers 404 too).
    let entry = pathname === `/${HEADERS_FILE}` ? undefined : await load(file);
    if (!entry) {
      // The language's own 404 page, else the bilingual one.
      status = 404;
      const lang = /^\/([a-z]{2})\//.exec(pathname)?.[1];
      file = lang ? join(root, lang, '404', 'index.html') : join(root, '404.html');
      entry = (await load(file)) ?? (await load(join(root, '404.html')));
      if (!entry) {
        send(404, 'Not found', { ...sets.static, 'Content-Type': 'text/plain' });
        return;
      }
    }
    const ext = extname(file);
    const served = `/${relative(root, file).split(sep).join('/')}`;
    const headers: Record<string, string> = {
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      ...sets[kindOf(served)],
      Vary: 'Accept-Encoding',
      ETag: entry.etag,
    };
    if (status === 200 && req.headers['if-none-match'] === entry.etag) {
      send(304, '', headers);
      return;
    }
    const accept = String(req.headers['accept-encoding'] ?? '');
    let body = entry.raw;
    if (entry.br && /\bbr\b/.test(accept)) {
      body = entry.br;
      headers['Content-Encoding'] = 'br';
    } else if (entry.gzip && /\bgzip\b/.test(accept)) {
      body = entry.gzip;
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = String(body.length);
    send(status, body, headers);
  });
}

/** Starts listening; rejects with a clear message when the port is taken. */
export function listen(server: Server, port: number, host = '127.0.0.1', name = 'server'): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(
            `Port ${port} is already in use, so the ${name} cannot start. Stop the program using it, or choose another port (see README, "Configuration").`,
          ),
        );
      } else reject(error);
    });
    server.listen(port, host, () => resolvePromise());
  });
}

/** True when nothing listens on the port yet. */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const probe = createServer();
    probe.once('error', () => resolvePromise(false));
    probe.listen(port, host, () => probe.close(() => resolvePromise(true)));
  });
}
