/**
 * What a built page has inline, read exactly as the browser hashes it, and
 * the CSP hashes that allow it. Pure (no file system): the build step
 * (security-files.ts) feeds it the built HTML; the policy that carries the
 * hashes is written by security-headers.ts.
 */
import { createHash } from 'node:crypto';
import { Parser } from 'htmlparser2';

/** A CSP source expression for `text`: `'sha256-<base64>'` of its UTF-8 bytes. */
export function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** What a page has inline that the CSP must know about. */
export interface InlineCode {
  /** The text of every inline script the browser runs or the CSP governs (not JSON data blocks). */
  scripts: string[];
  /** The text of every `<style>` element. */
  styles: string[];
  /** The value of every `style="…"` attribute. */
  styleAttributes: string[];
  /** Markup a CSP without 'unsafe-inline' blocks and no hash can allow: event-handler attributes, javascript: URLs, scripts from other sites. */
  problems: string[];
}

const JS_TYPES = new Set([
  'application/ecmascript',
  'application/javascript',
  'application/x-ecmascript',
  'application/x-javascript',
  'text/ecmascript',
  'text/javascript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
  'text/jscript',
  'text/livescript',
  'text/x-ecmascript',
  'text/x-javascript',
]);

/**
 * True when a `<script type>` is code (or an import map or speculation
 * rules, which script-src also governs); false for data blocks such as
 * `application/json`, which the browser never runs.
 */
export function isGovernedScript(type: string | undefined): boolean {
  const essence = (type ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === '' || JS_TYPES.has(essence) || ['module', 'importmap', 'speculationrules'].includes(essence);
}

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);

/** Reads a built page: its inline scripts and styles, exactly as the browser hashes them. */
export function inlineCode(html: string): InlineCode {
  const out: InlineCode = { scripts: [], styles: [], styleAttributes: [], problems: [] };
  let open: { name: 'script' | 'style'; start: number; governed: boolean } | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        for (const [attribute, value] of Object.entries(attributes)) {
          const lower = attribute.toLowerCase();
          if (/^on[a-z]+$/.test(lower))
            out.problems.push(
              `<${name} ${attribute}="…">: an event-handler attribute (use addEventListener in a script file)`,
            );
          if (lower === 'style') out.styleAttributes.push(value);
          if (URL_ATTRIBUTES.has(lower) && /^\s*javascript:/i.test(value))
            out.problems.push(`<${name} ${attribute}="javascript:…">: a javascript: URL`);
        }
        if (name === 'script' && attributes['src'] !== undefined && /^\s*(https?:)?\/\//i.test(attributes['src'])) {
          out.problems.push(`<script src="${attributes['src']}">: a script from another site`);
        }
        if ((name === 'script' && attributes['src'] === undefined) || name === 'style') {
          open = {
            name,
            start: parser.endIndex + 1,
            governed: name === 'style' || isGovernedScript(attributes['type']),
          };
        }
      },
      onclosetag(name) {
        if (open && name === open.name) {
          // The exact characters between the tags: what the browser hashes.
          const text = html.slice(open.start, parser.startIndex);
          if (open.name === 'style') out.styles.push(text);
          else if (open.governed) out.scripts.push(text);
          open = undefined;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return out;
}

/** The hashes one page needs. */
export interface PageHashes {
  scripts: string[];
  styles: string[];
  styleAttributes: string[];
}

export function pageHashes(code: InlineCode): PageHashes {
  const hash = (texts: string[]) => [...new Set(texts.map(sha256Source))];
  return { scripts: hash(code.scripts), styles: hash(code.styles), styleAttributes: hash(code.styleAttributes) };
}

/** Every page's hashes in one set (the header is the same for every page). */
export function unionHashes(pages: PageHashes[]): PageHashes {
  const all = (pick: (p: PageHashes) => string[]) => [...new Set(pages.flatMap(pick))].sort();
  return {
    scripts: all((p) => p.scripts),
    styles: all((p) => p.styles),
    styleAttributes: all((p) => p.styleAttributes),
  };
}
