/**
 * nginx for the e2e tests: finds it (CLARA_NGINX, PATH, the usual places),
 * installs Debian's `nginx` when running as root with apt, else stops with
 * one clear sentence; and runs it as the current user, in the foreground,
 * serving a folder with the shipped locations file
 * (deploy/generated/clara-locations.conf, written by the build): a tiny
 * server block on 127.0.0.1:<port> that includes it, with the pid, logs and
 * temporary files in a temporary folder (`nginx -p <tmp> -c <tmp>/nginx.conf`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { GENERATED_DIR, NGINX_LOCATIONS } from '../../src/build/security-files.ts';
import { canApt } from './apt.ts';

const SYSTEM_PATHS = [
  '/usr/sbin/nginx',
  '/usr/local/sbin/nginx',
  '/usr/local/nginx/sbin/nginx',
  '/opt/homebrew/bin/nginx',
  '/usr/local/bin/nginx',
];

export const NO_NGINX_MESSAGE =
  'No nginx was found: install it with "sudo apt-get install -y nginx" (Debian or Ubuntu) or "brew install nginx" (macOS), or set CLARA_NGINX to the path of an nginx program, then run the tests again.';

/** The shipped locations file of the last build. */
export function locationsFile(root: string = process.cwd()): string {
  return resolve(root, GENERATED_DIR, NGINX_LOCATIONS);
}

/** Finds nginx without installing anything. */
export function findNginx(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env['CLARA_NGINX'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const onPath = (env['PATH'] ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'nginx'));
  return [...onPath, ...SYSTEM_PATHS].find((p) => existsSync(p));
}

/** Finds nginx, installing Debian's when it can; throws NO_NGINX_MESSAGE otherwise. */
export function findOrInstallNginx(log: (line: string) => void = console.log): string {
  const found = findNginx();
  if (found) return found;
  if (process.env['CLARA_NGINX'])
    throw new Error(`CLARA_NGINX names ${process.env['CLARA_NGINX']}, which does not exist. ${NO_NGINX_MESSAGE}`);
  if (canApt()) {
    log("No nginx found; installing Debian's nginx with apt-get (this happens once).");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx'], {
      stdio: 'inherit',
      env,
    });
    const installed = findNginx();
    if (install.status === 0 && installed) return installed;
  }
  throw new Error(NO_NGINX_MESSAGE);
}

/** The mime.types beside the binary's own configuration (Debian: /etc/nginx/mime.types). */
export function mimeTypesFile(binary: string): string | undefined {
  let confPath: string | undefined;
  try {
    // `nginx -V` prints its build options on stderr.
    const info = spawnSync(binary, ['-V'], { encoding: 'utf8' });
    confPath = /--conf-path=(\S+)/.exec(`${info.stderr}${info.stdout}`)?.[1];
  } catch {
    confPath = undefined;
  }
  const candidates = [
    ...(confPath ? [join(dirname(confPath), 'mime.types')] : []),
    '/etc/nginx/mime.types',
    '/usr/local/etc/nginx/mime.types',
    '/opt/homebrew/etc/nginx/mime.types',
  ];
  return candidates.find((p) => existsSync(p));
}

/** The configuration the tests run: one server on host:port, root and the shipped locations. */
export function testConfiguration(options: {
  dir: string;
  root: string;
  port: number;
  host: string;
  locations: string;
  mimeTypes?: string | undefined;
  asRoot: boolean;
}): string {
  const { dir } = options;
  return [
    `# Written by scripts/lib/nginx.ts for Clara's tests: the shipped ${NGINX_LOCATIONS}, served from ${options.root}.`,
    // As root, nginx would hand the work to "nobody", who may not read a private folder: stay this user.
    ...(options.asRoot ? [`user ${userInfo().username};`] : []),
    'worker_processes 1;',
    'daemon off;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {',
    ...(options.mimeTypes ? [`    include ${options.mimeTypes};`] : []),
    '    default_type application/octet-stream;',
    '    access_log off;',
    '    sendfile on;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `    ${name}_temp_path ${join(dir, name)};`),
    '    server {',
    `        listen ${options.host}:${options.port};`,
    '        server_name localhost;',
    `        root ${options.root};`,
    `        include ${options.locations};`,
    '    }',
    '}',
    '',
  ].join('\n');
}

export interface RunningNginx {
  url: string;
  close: () => Promise<void>;
}

function waitForPort(port: number, host: string, timeoutMs: number, exited: () => boolean): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolvePromise) => {
    const attempt = () => {
      if (exited()) return resolvePromise(false);
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolvePromise(true);
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > until) resolvePromise(false);
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Starts nginx serving `root` on host:port; rejects with nginx's own words when it cannot (a taken port is said plainly). */
export async function startNginx(options: {
  root: string;
  port: number;
  host?: string;
  binary?: string;
  locations?: string;
  name?: string;
}): Promise<RunningNginx> {
  const binary = options.binary ?? findNginx();
  if (!binary) throw new Error(NO_NGINX_MESSAGE);
  const locations = options.locations ?? locationsFile();
  if (!existsSync(locations))
    throw new Error(`${locations} is missing: build Clara first (npm run build), which writes it.`);
  const host = options.host ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'clara-nginx-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    testConfiguration({
      dir,
      root: resolve(options.root),
      port: options.port,
      host,
      locations,
      mimeTypes: mimeTypesFile(binary),
      asRoot: process.getuid?.() === 0,
    }),
  );
  const errorLog = join(dir, 'error.log');
  const child = spawn(binary, ['-p', dir, '-c', conf, '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited = false;
  const exit = new Promise<void>((resolvePromise) =>
    child.once('exit', () => {
      exited = true;
      resolvePromise();
    }),
  );
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  const ready = await waitForPort(options.port, host, 10_000, () => exited);
  if (!ready) {
    if (!exited) child.kill('SIGTERM');
    await exit;
    const log = `${stderr}${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''}`.trim();
    cleanUp();
    if (/Address already in use/.test(log)) {
      throw new Error(
        `Port ${options.port} is already in use, so the ${options.name ?? 'portal'} (nginx) cannot start. Stop the program using it, or choose another port (see README, "Testing").`,
      );
    }
    throw new Error(`nginx (${binary}) did not start:\n${log}`);
  }
  return {
    url: `http://localhost:${options.port}/`,
    close: async () => {
      // SIGQUIT: finish the requests under way, then stop.
      if (!exited) child.kill('SIGQUIT');
      const timer = setTimeout(() => !exited && child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
      cleanUp();
    },
  };
}
