import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderHeadersFile, renderNginx, withSecurityMeta } from '../../src/build/header-files.ts';
import { inlineCode, pageHashes, sha256Source, unionHashes } from '../../src/build/inline-code.ts';
import {
  CACHE_CONTROL,
  PERMISSIONS_POLICY,
  connectOrigins,
  contentSecurityPolicy,
  headerSets,
  kindOf,
  type HeaderSet,
  type PathKind,
} from '../../src/build/security-headers.ts';
import type { ClinicConfig } from '../../src/lib/config/schema.ts';
import { validateConfig } from '../../src/lib/config/validate.ts';
import { findNginx, mimeTypesFile, testConfiguration } from '../../scripts/lib/nginx.ts';

const sample = JSON.parse(readFileSync(join(import.meta.dirname, '../../clinic.config.json'), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;

function config(smart: Record<string, unknown> = {}, fhir: Record<string, unknown> = {}): ClinicConfig {
  const result = validateConfig({
    ...sample,
    fhir: { ...sample['fhir'], ...fhir },
    smart: { ...sample['smart'], ...smart },
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

/** Hashes computed outside the code under test: `printf %s '<text>' | openssl dgst -sha256 -binary | base64`. */
const KNOWN = {
  empty: "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
  alert: "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='", // alert(1)
};

describe('hashes of inline code', () => {
  test('SHA-256 of the exact UTF-8 text, as a CSP source', () => {
    expect(sha256Source('')).toBe(KNOWN.empty);
    expect(sha256Source('alert(1)')).toBe(KNOWN.alert);
    // One more space is another script.
    expect(sha256Source('alert(1) ')).not.toBe(KNOWN.alert);
  });

  test('every inline script the CSP governs, exactly as written; not data blocks or files', () => {
    const html = [
      '<!doctype html><html><head><meta charset="utf-8">',
      '<script>alert(1)</script>',
      '<script type="module">import "/x.js";\n  a && b < c;</script>',
      '<script type="application/json" data-island="x">{"a":"</b>"}</script>',
      '<script type="module" src="/_astro/site.js"></script>',
      '<script type="importmap">{"imports":{}}</script>',
      '<script type="text/javascript; charset=utf-8">1&amp;2</script>',
      '<style>.a{color:red}</style>',
      '</head><body><p style="color: &quot;red&quot;">x</p><svg><style>.q{fill:#000}</style></svg></body></html>',
    ].join('');
    const code = inlineCode(html);
    expect(code.scripts).toEqual(['alert(1)', 'import "/x.js";\n  a && b < c;', '{"imports":{}}', '1&amp;2']);
    expect(code.styles).toEqual(['.a{color:red}', '.q{fill:#000}']);
    // Attribute values are hashed as the browser reads them: entities decoded.
    expect(code.styleAttributes).toEqual(['color: "red"']);
    expect(code.problems).toEqual([]);
    const hashes = pageHashes(code);
    expect(hashes.scripts[0]).toBe(KNOWN.alert);
    expect(hashes.scripts).toHaveLength(4);
  });

  test('markup no hash can allow is reported: event handlers, javascript: URLs, scripts from other sites', () => {
    const code = inlineCode(
      '<body onload="go()"><a href=" javascript:alert(1)">x</a><button onClick="x()">b</button><script src="https://cdn.example.com/a.js"></script><script src="//cdn.example.com/b.js"></script></body>',
    );
    expect(code.problems).toEqual([
      '<body onload="…">: an event-handler attribute (use addEventListener in a script file)',
      '<a href="javascript:…">: a javascript: URL',
      '<button onclick="…">: an event-handler attribute (use addEventListener in a script file)',
      '<script src="https://cdn.example.com/a.js">: a script from another site',
      '<script src="//cdn.example.com/b.js">: a script from another site',
    ]);
  });

  test("the header carries every page's hashes, once, in a stable order", () => {
    const a = pageHashes(inlineCode('<script>alert(1)</script><script>b()</script>'));
    const b = pageHashes(inlineCode('<script>alert(1)</script>'));
    const union = unionHashes([a, b]);
    expect(union.scripts).toEqual([KNOWN.alert, sha256Source('b()')].sort());
  });
});

describe('origins', () => {
  test('the FHIR server, the issuer and the extra SMART endpoint origins, each once', () => {
    const c = config(
      {
        issuer: 'https://ehr.example.org/fhir/r4',
        endpointOrigins: ['https://login.example.org', 'https://revoke.example.org:8443/', 'https://ehr.example.org'],
      },
      { baseUrl: 'https://ehr.example.org/fhir/r4' },
    );
    expect(connectOrigins(c)).toEqual([
      'https://ehr.example.org',
      'https://login.example.org',
      'https://revoke.example.org:8443',
    ]);
  });
});

describe('the policy and the headers', () => {
  const origins = ['https://ehr.example.org', 'https://login.example.org'];
  const hashes = { scripts: [KNOWN.alert], styles: [], styleAttributes: [] };

  test('the header policy, directive by directive', () => {
    expect(contentSecurityPolicy(origins, hashes, 'header')).toBe(
      `default-src 'self'; script-src 'self' ${KNOWN.alert}; connect-src 'self' https://ehr.example.org https://login.example.org; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; worker-src 'self'; manifest-src 'self'`,
    );
  });

  test('a <meta> cannot carry frame-ancestors; inline styles are allowed by hash only when a page has them', () => {
    const meta = contentSecurityPolicy(origins, hashes, 'meta');
    expect(meta).not.toContain('frame-ancestors');
    expect(meta).not.toContain('style-src');
    const styled = contentSecurityPolicy(
      origins,
      { scripts: [], styles: [KNOWN.empty], styleAttributes: [KNOWN.alert] },
      'meta',
    );
    expect(styled).toContain(`style-src 'self' ${KNOWN.empty} 'unsafe-hashes' ${KNOWN.alert}`);
    expect(styled).toContain("script-src 'self';");
  });

  test('each kind of path gets its set; only pages carry the page policies; only /_astro/ is kept long', () => {
    const sets = headerSets(origins, hashes);
    expect(Object.keys(sets.document)).toEqual([
      'Content-Security-Policy',
      'Permissions-Policy',
      'Strict-Transport-Security',
      'Cross-Origin-Opener-Policy',
      'X-Frame-Options',
      'X-Content-Type-Options',
      'Referrer-Policy',
      'Cross-Origin-Resource-Policy',
      'Cache-Control',
    ]);
    expect(sets.document['Permissions-Policy']).toContain('publickey-credentials-get=(self)');
    expect(sets.document['Permissions-Policy']).toContain('camera=()');
    expect(sets.worker['Content-Security-Policy']).toBe(
      "default-src 'self'; connect-src 'self' https://ehr.example.org https://login.example.org",
    );
    for (const kind of ['manifest', 'asset', 'static'] as const)
      expect(Object.keys(sets[kind])).toEqual([
        'X-Content-Type-Options',
        'Referrer-Policy',
        'Cross-Origin-Resource-Policy',
        'Cache-Control',
      ]);
    expect(sets.asset['Cache-Control']).toBe('public, max-age=31536000, immutable');
    expect([sets.document, sets.worker, sets.manifest, sets.static].map((s) => s['Cache-Control'])).toEqual([
      'no-cache',
      'no-cache',
      'no-cache',
      'no-cache',
    ]);
  });

  test('the kind of a served path', () => {
    expect(
      [
        '/sw.js',
        '/manifest.webmanifest',
        '/_astro/a.B1.js',
        '/en/results/index.html',
        '/404.html',
        '/en/',
        '/favicon.svg',
        '/en/labs/names.json',
      ].map(kindOf),
    ).toEqual(['worker', 'manifest', 'asset', 'document', 'document', 'document', 'static', 'static']);
  });
});

describe('the <meta> tags', () => {
  test('first after <meta charset>, before every script, replacing any policy already there', () => {
    const html =
      '<html><head><meta charset="utf-8"><meta name="viewport" content="x"><script>alert(1)</script><meta http-equiv="content-security-policy" content="default-src *"></head></html>';
    const out = withSecurityMeta(html, "default-src 'self'; connect-src 'self' https://a.example");
    expect(out).toBe(
      `<html><head><meta charset="utf-8"><meta http-equiv="content-security-policy" content="default-src 'self'; connect-src 'self' https://a.example"><meta name="referrer" content="no-referrer"><meta name="viewport" content="x"><script>alert(1)</script></head></html>`,
    );
    // Writing it twice changes nothing.
    expect(withSecurityMeta(out, "default-src 'self'; connect-src 'self' https://a.example")).toBe(out);
  });

  test('a page without <meta charset> stops the build', () => {
    expect(() => withSecurityMeta('<html><head><script>x</script></head></html>', "default-src 'self'")).toThrow(
      /no <meta charset="utf-8">/,
    );
  });
});

/** Which Cache-Control values a static host would join for a path, given `_headers` rules (splat `*` = anything). */
function cacheControlFor(file: string, path: string): string[] {
  const rules = file.split('\n').filter((l) => l && !l.startsWith('#'));
  const out: string[] = [];
  let matches = false;
  for (const line of rules) {
    if (!line.startsWith(' ')) {
      const pattern = new RegExp(`^${line.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      matches = pattern.test(path);
    } else if (matches && line.trim().startsWith('Cache-Control:'))
      out.push(line.trim().slice('Cache-Control: '.length));
  }
  return out;
}

describe('renderings', () => {
  const sets = headerSets(['https://ehr.example.org'], { scripts: [KNOWN.alert], styles: [], styleAttributes: [] });

  test('_headers: the page headers on every path, one Cache-Control per path (hosts join two with a comma)', () => {
    const file = renderHeadersFile(sets, {
      files: ['index.html', '404.html', 'favicon.svg', '_headers', 'manifest.webmanifest'],
      folders: ['_astro', 'en', 'es'],
    });
    const [first, ...rest] = file.split('\n/*\n');
    expect(first).toMatch(/^# Written by `npm run build`/);
    const all = rest.join('').split('\n/_astro/*\n')[0] ?? '';
    expect(all).toContain(`  Content-Security-Policy: ${sets.document['Content-Security-Policy']}`);
    expect(all).toContain(`  Permissions-Policy: ${PERMISSIONS_POLICY}`);
    expect(all).not.toContain('Cache-Control');
    expect(file).not.toMatch(/^\/_headers$/m);
    const expected: [string, string][] = [
      ['/', CACHE_CONTROL.document],
      ['/en/', CACHE_CONTROL.document],
      ['/es/results/view/', CACHE_CONTROL.document],
      ['/en/labs/718-7.json', CACHE_CONTROL.static],
      ['/404.html', CACHE_CONTROL.document],
      ['/sw.js', CACHE_CONTROL.worker],
      ['/manifest.webmanifest', CACHE_CONTROL.manifest],
      ['/favicon.svg', CACHE_CONTROL.static],
      ['/_astro/site.B1x.js', CACHE_CONTROL.asset],
    ];
    for (const [path, value] of expected) expect(cacheControlFor(file, path), path).toEqual([value]);
  });

  test('nginx: every location carries its whole set, always (nginx drops inherited add_header)', () => {
    const conf = renderNginx(sets, ['en', 'es']);
    const locations = [...conf.matchAll(/^location ([^{]+)\{\n([\s\S]*?)^\}/gm)].map(([, head = '', body = '']) => ({
      head: head.trim(),
      body,
    }));
    const kindOfLocation: Record<string, PathKind | undefined> = {
      '~ \\.html$': 'document',
      '^~ /_astro/': 'asset',
      '= /sw.js': 'worker',
      '= /manifest.webmanifest': 'manifest',
      '/en/': 'static',
      '/es/': 'static',
      '/': 'static',
      '= /_headers': undefined,
    };
    expect(locations.map((l) => l.head).sort()).toEqual(Object.keys(kindOfLocation).sort());
    for (const { head, body } of locations) {
      const kind = kindOfLocation[head];
      const headers = [...body.matchAll(/add_header (\S+) "([^"]*)" always;/g)].map(([, name = '', value = '']) => [
        name,
        value,
      ]);
      expect(Object.fromEntries(headers), head).toEqual(kind ? (sets[kind] as HeaderSet) : {});
      expect(body.match(/add_header/g)?.length ?? 0, `${head}: every add_header has "always"`).toBe(headers.length);
    }
    expect(conf).toMatch(/location \/es\/ \{\n\s+error_page 404 \/es\/404\/index.html;/);
    expect(conf).toMatch(
      /location = \/manifest\.webmanifest \{\n\s+types \{ \}\n\s+default_type application\/manifest\+json;/,
    );
    expect(conf).toMatch(/^error_page 404 \/404\.html;$/m);
    expect(conf).not.toMatch(/^add_header/m);
  });

  const nginx = findNginx();
  const openssl = spawnSync('openssl', ['version']).status === 0;
  const nginxTest = (dir: string, file: string) =>
    spawnSync(nginx as string, ['-t', '-p', dir, '-c', file, '-e', join(dir, 'error.log')], { encoding: 'utf8' });
  const asRoot = process.getuid?.() === 0;

  test.skipIf(!nginx)('nginx accepts the locations file (nginx -t)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clara-nginx-t-'));
    try {
      const locations = join(dir, 'clara-locations.conf');
      writeFileSync(locations, renderNginx(sets, ['en', 'es']));
      const conf = join(dir, 'nginx.conf');
      writeFileSync(
        conf,
        testConfiguration({
          dir,
          root: dir,
          port: 8080,
          host: '127.0.0.1',
          locations,
          mimeTypes: mimeTypesFile(nginx as string),
          asRoot,
        }),
      );
      expect(nginxTest(dir, conf).stderr).toMatch(/test is successful/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.skipIf(!nginx || !openssl)(
    'nginx accepts the shipped server block, its placeholders filled in (nginx -t)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'clara-nginx-t-'));
      try {
        const locations = join(dir, 'clara-locations.conf');
        writeFileSync(locations, renderNginx(sets, ['en', 'es']));
        // A certificate made for the test.
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-subj',
            '/CN=localhost',
            '-days',
            '1',
            '-keyout',
            join(dir, 'key.pem'),
            '-out',
            join(dir, 'cert.pem'),
          ],
          { stdio: 'ignore' },
        );
        const shipped = readFileSync(join(import.meta.dirname, '../../deploy/nginx/clara.conf'), 'utf8')
          .split('\n')
          .filter((line) => !line.trim().startsWith('#'))
          .join('\n')
          .replace('/etc/ssl/CHANGE-ME/fullchain.pem', join(dir, 'cert.pem'))
          .replace('/etc/ssl/CHANGE-ME/privkey.pem', join(dir, 'key.pem'))
          .replace('/etc/nginx/clara/clara-locations.conf', locations)
          .replace('/var/www/clara', dir);
        expect(shipped).not.toMatch(/\/etc\/ssl\/CHANGE-ME|\/etc\/nginx\/clara\/|\/var\/www/);
        writeFileSync(join(dir, 'clara.conf'), shipped);
        const mimeTypes = mimeTypesFile(nginx as string);
        const server = join(dir, 'server.conf');
        writeFileSync(
          server,
          [
            ...(asRoot ? [`user ${userInfo().username};`] : []),
            `pid ${join(dir, 'nginx.pid')};`,
            'events { }',
            'http {',
            ...(mimeTypes ? [`include ${mimeTypes};`] : []),
            `include ${join(dir, 'clara.conf')};`,
            '}',
            '',
          ].join('\n'),
        );
        expect(nginxTest(dir, server).stderr).toMatch(/test is successful/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
