/**
 * Reads a raw JSON value field by field for the configuration's validator
 * (validate.ts), collecting every problem as a sentence that names the field
 * and says what is expected.
 */

export type Obj = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

export class Reader {
  readonly errors: string[] = [];

  fail(path: string, expected: string, got: unknown): void {
    this.errors.push(`${path || 'configuration'}: expected ${expected} (got ${describe(got)}).`);
  }

  object(value: unknown, path: string, known: readonly string[]): Obj | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'an object { … }', value);
      return undefined;
    }
    const obj = value as Obj;
    for (const key of Object.keys(obj)) {
      if (!key.startsWith('$') && !known.includes(key)) {
        this.errors.push(`${path ? `${path}.` : ''}${key}: unknown field; the fields here are ${known.join(', ')}.`);
      }
    }
    return obj;
  }

  string(obj: Obj, key: string, path: string, expected = 'a non-empty text'): string | undefined {
    const value = obj[key];
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(`${path}.${key}`, expected, value);
      return undefined;
    }
    return value;
  }

  optionalString(obj: Obj, key: string, path: string, expected?: string): string | undefined {
    return obj[key] === undefined ? undefined : this.string(obj, key, path, expected);
  }

  match(obj: Obj, key: string, path: string, pattern: RegExp, expected: string): string | undefined {
    const value = this.string(obj, key, path, expected);
    if (value !== undefined && !pattern.test(value)) {
      this.fail(`${path}.${key}`, expected, value);
      return undefined;
    }
    return value;
  }

  url(obj: Obj, key: string, path: string, example = 'https://fhir.example.org/r4'): string | undefined {
    const expected = `an https:// address (http:// is allowed only for localhost), like "${example}"`;
    const value = this.string(obj, key, path, expected);
    if (value === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.fail(`${path}.${key}`, expected, value);
      return undefined;
    }
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local)) {
      this.fail(`${path}.${key}`, expected, value);
      return undefined;
    }
    return value.replace(/\/+$/, '');
  }

  /** A list of origins ("https://host[:port]", no path); http only for localhost. Absent: an empty list. */
  origins(obj: Obj, key: string, path: string): string[] | undefined {
    const value = obj[key];
    if (value === undefined) return [];
    const expected =
      'an origin: "https://" and a host, with no path (http:// only for localhost), like "https://login.example.org"';
    if (!Array.isArray(value)) {
      this.fail(`${path}.${key}`, `a list of origins, like ["https://login.example.org"]`, value);
      return undefined;
    }
    const out: string[] = [];
    let bad = 0;
    value.forEach((entry, i) => {
      let parsed: URL | undefined;
      try {
        parsed = typeof entry === 'string' ? new URL(entry) : undefined;
      } catch {
        parsed = undefined;
      }
      const local = !!parsed && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
      const secure = !!parsed && (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && local));
      const bare =
        !!parsed && parsed.pathname === '/' && !parsed.search && !parsed.hash && !parsed.username && !parsed.password;
      if (!parsed || !secure || !bare) {
        bad += 1;
        this.fail(`${path}.${key}[${i}]`, expected, entry);
      } else if (!out.includes(parsed.origin)) out.push(parsed.origin);
    });
    return bad ? undefined : out;
  }

  integer(obj: Obj, key: string, path: string, min: number, max: number, fallback?: number): number | undefined {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(`${path}.${key}`, `a whole number from ${min} to ${max}`, value);
      return undefined;
    }
    return value;
  }

  boolean(obj: Obj, key: string, path: string, fallback: boolean): boolean {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.fail(`${path}.${key}`, 'true or false', value);
      return fallback;
    }
    return value;
  }
}
