/**
 * The clinic configuration: its shape, and a validator that names the field
 * and says what is expected. Pure: no file system, so it is unit-tested and
 * can run in the build (astro.config.mjs) and in the sandbox.
 */
import { LANGS, isLang, type Lang } from '../i18n/langs.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface OpeningHours {
  /** Days these hours apply to, e.g. ["mon", "tue"]. */
  days: Weekday[];
  /** 24-hour "HH:MM" local time of the clinic. */
  opens: string;
  closes: string;
}

export interface ClinicConfig {
  clinic: {
    name: string;
    /** IANA time zone of the clinic, e.g. "America/Chicago". */
    timeZone: string;
    /** The clinic's own website; links to it in messages may be clickable. */
    website?: string;
    phones: {
      /** E.164, e.g. "+15550100123". The number behind every "Call the clinic". */
      main: string;
      /** E.164 nurse or after-hours line, optional. */
      afterHours?: string;
    };
    hours: OpeningHours[];
  };
  portal: {
    /**
     * Where Clara is published, e.g. "https://portal.example.org": printed on
     * the invitation (as text and as a QR code) and used for absolute links.
     */
    url: string;
  };
  languages: Lang[];
  defaultLanguage: Lang;
  fhir: {
    /** FHIR R4 base URL of the clinic's patient API. */
    baseUrl: string;
    /** Seconds before a FHIR request gives up with a friendly message. */
    timeoutSeconds: number;
  };
  smart: {
    /** SMART issuer: `${issuer}/.well-known/smart-configuration` is read at sign-in. */
    issuer: string;
    clientId: string;
    /** Ask for `offline_access` so a session can be refreshed. */
    offlineAccess: boolean;
    /**
     * Origins of SMART endpoints Clara calls (token, revocation) when they are
     * not on the issuer's or the FHIR server's origin, e.g. "https://login.example.org".
     * They go into the Content-Security-Policy's connect-src (src/build/security-headers.ts).
     */
    endpointOrigins: string[];
  };
  results: {
    /** Business days in which the care team reviews a new result. */
    reviewWithinBusinessDays: number;
  };
  messages: {
    /** Business days in which the care team answers a message. */
    replyWithinBusinessDays: number;
    /** Who a new message can go to when the EHR gives no care team. */
    defaultRecipients: DefaultRecipient[];
  };
  device: {
    /** Days after the patient's last sign-in that the copy kept on their own device is erased. */
    keepDays: number;
  };
  session: {
    /** Minutes without use before Clara signs out (a warning comes 2 minutes before), by device. */
    idleMinutes: { own: number; shared: number };
  };
}

export interface DefaultRecipient {
  /** A FHIR reference the EHR accepts as a message recipient, e.g. "Practitioner/123" or "Organization/9". */
  reference: string;
  display: string;
  role: 'doctor' | 'nurse' | 'staff';
}

export type ValidationResult = { ok: true; config: ClinicConfig } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;

const E164 = /^\+[1-9]\d{6,14}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** Reads a raw JSON value field by field, collecting every problem. */
class Reader {
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

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function readHours(r: Reader, value: unknown, path: string): OpeningHours[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    r.fail(path, 'a list of opening hours, like [{ "days": ["mon"], "opens": "08:00", "closes": "17:00" }]', value);
    return undefined;
  }
  const out: OpeningHours[] = [];
  value.forEach((entry, i) => {
    const p = `${path}[${i}]`;
    const o = r.object(entry, p, ['days', 'opens', 'closes']);
    if (!o) return;
    const days = o['days'];
    const validDays =
      Array.isArray(days) &&
      days.length > 0 &&
      days.every((d) => typeof d === 'string' && (WEEKDAYS as readonly string[]).includes(d));
    if (!validDays) r.fail(`${p}.days`, `a list of days from ${WEEKDAYS.join(', ')}`, days);
    const opens = r.match(o, 'opens', p, HHMM, 'a 24-hour time "HH:MM", like "08:00"');
    const closes = r.match(o, 'closes', p, HHMM, 'a 24-hour time "HH:MM", like "17:00"');
    if (opens && closes && closes <= opens) {
      r.fail(`${p}.closes`, `a time later than opens (${opens})`, closes);
    }
    if (validDays && opens && closes) out.push({ days: days as Weekday[], opens, closes });
  });
  return out.length === value.length ? out : undefined;
}

function readRecipients(r: Reader, value: unknown, path: string): DefaultRecipient[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    r.fail(
      path,
      'a list of recipients, like [{ "reference": "Practitioner/123", "display": "Nurse line", "role": "nurse" }]',
      value,
    );
    return undefined;
  }
  const out: DefaultRecipient[] = [];
  value.forEach((entry, i) => {
    const p = `${path}[${i}]`;
    const o = r.object(entry, p, ['reference', 'display', 'role']);
    if (!o) return;
    const reference = r.match(
      o,
      'reference',
      p,
      /^(Practitioner|PractitionerRole|Organization|CareTeam|HealthcareService)\/[A-Za-z0-9\-.]{1,64}$/,
      'a FHIR reference like "Practitioner/123"',
    );
    const display = r.string(o, 'display', p, 'the name patients see, like "Nurse line"');
    const role = o['role'] ?? 'staff';
    if (role !== 'doctor' && role !== 'nurse' && role !== 'staff')
      r.fail(`${p}.role`, '"doctor", "nurse" or "staff"', role);
    else if (reference && display) out.push({ reference, display, role });
  });
  return out.length === value.length ? out : undefined;
}

export function validateConfig(raw: unknown): ValidationResult {
  const r = new Reader();
  const root = r.object(raw, '', [
    'clinic',
    'portal',
    'languages',
    'defaultLanguage',
    'fhir',
    'smart',
    'results',
    'messages',
    'device',
    'session',
  ]);
  if (!root) return { ok: false, errors: r.errors };

  const c = r.object(root['clinic'], 'clinic', ['name', 'timeZone', 'website', 'phones', 'hours']);
  const name = c && r.string(c, 'name', 'clinic', 'the clinic\'s name, like "Riverbend Family Clinic"');
  const timeZone = c && r.string(c, 'timeZone', 'clinic', 'an IANA time zone, like "America/Chicago"');
  if (timeZone && !isTimeZone(timeZone)) {
    r.fail('clinic.timeZone', 'an IANA time zone, like "America/Chicago"', timeZone);
  }
  const website = c && c['website'] !== undefined ? r.url(c, 'website', 'clinic') : undefined;
  const phonesObj = c && r.object(c['phones'], 'clinic.phones', ['main', 'afterHours']);
  const phoneExpected = 'a phone number in international form, a plus sign then digits only, like "+15550100123"';
  const main = phonesObj && r.match(phonesObj, 'main', 'clinic.phones', E164, phoneExpected);
  const afterHours =
    phonesObj && phonesObj['afterHours'] !== undefined
      ? r.match(phonesObj, 'afterHours', 'clinic.phones', E164, phoneExpected)
      : undefined;
  const hours = c && readHours(r, c['hours'], 'clinic.hours');

  const portalObj = r.object(root['portal'], 'portal', ['url']);
  let portalUrl = portalObj && r.url(portalObj, 'url', 'portal', 'https://portal.example.org');
  // The address people type or scan: no query or fragment to lose on the way.
  if (portalUrl && /[?#]/.test(portalUrl)) {
    r.fail('portal.url', 'the address of the site alone, without "?" or "#"', portalUrl);
    portalUrl = undefined;
  }

  const langsRaw = root['languages'];
  const langsOk =
    Array.isArray(langsRaw) &&
    langsRaw.length > 0 &&
    langsRaw.every(isLang) &&
    new Set(langsRaw).size === langsRaw.length;
  if (!langsOk)
    r.fail('languages', `a list of languages from ${LANGS.map((l) => `"${l}"`).join(', ')}, each once`, langsRaw);
  const languages = langsOk ? (langsRaw as Lang[]) : undefined;
  const defaultLanguage = root['defaultLanguage'];
  if (!isLang(defaultLanguage) || (languages && !languages.includes(defaultLanguage))) {
    r.fail('defaultLanguage', `one of the languages listed in "languages"`, defaultLanguage);
  }

  const f = r.object(root['fhir'], 'fhir', ['baseUrl', 'timeoutSeconds']);
  const baseUrl = f && r.url(f, 'baseUrl', 'fhir');
  const timeoutSeconds = f && r.integer(f, 'timeoutSeconds', 'fhir', 3, 120, 20);

  const s = r.object(root['smart'], 'smart', ['issuer', 'clientId', 'offlineAccess', 'endpointOrigins']);
  const issuer = s && r.url(s, 'issuer', 'smart');
  const clientId = s && r.string(s, 'clientId', 'smart', 'the client id the EHR gave this portal');
  const offlineAccess = s ? r.boolean(s, 'offlineAccess', 'smart', false) : false;
  const endpointOrigins = s ? r.origins(s, 'endpointOrigins', 'smart') : [];

  const res = r.object(root['results'] ?? {}, 'results', ['reviewWithinBusinessDays']);
  const reviewWithinBusinessDays = res && r.integer(res, 'reviewWithinBusinessDays', 'results', 1, 30, 3);
  const msg = r.object(root['messages'] ?? {}, 'messages', ['replyWithinBusinessDays', 'defaultRecipients']);
  const replyWithinBusinessDays = msg && r.integer(msg, 'replyWithinBusinessDays', 'messages', 1, 30, 2);
  const defaultRecipients = msg ? readRecipients(r, msg['defaultRecipients'], 'messages.defaultRecipients') : undefined;
  const dev = r.object(root['device'] ?? {}, 'device', ['keepDays']);
  const keepDays = dev && r.integer(dev, 'keepDays', 'device', 1, 365, 30);
  const ses = r.object(root['session'] ?? {}, 'session', ['idleMinutes']);
  const idle = ses && r.object(ses['idleMinutes'] ?? {}, 'session.idleMinutes', ['own', 'shared']);
  // At least 3 minutes: the warning comes 2 minutes before the end (WCAG 2.2.1).
  const idleOwn = idle && r.integer(idle, 'own', 'session.idleMinutes', 3, 720, 30);
  const idleShared = idle && r.integer(idle, 'shared', 'session.idleMinutes', 3, 720, 10);

  if (
    r.errors.length > 0 ||
    !name ||
    !timeZone ||
    !main ||
    !hours ||
    !portalUrl ||
    !languages ||
    !isLang(defaultLanguage) ||
    !baseUrl ||
    timeoutSeconds === undefined ||
    !issuer ||
    !clientId ||
    !endpointOrigins ||
    reviewWithinBusinessDays === undefined ||
    replyWithinBusinessDays === undefined ||
    !defaultRecipients ||
    keepDays === undefined ||
    idleOwn === undefined ||
    idleShared === undefined
  ) {
    return { ok: false, errors: r.errors.length ? r.errors : ['the configuration is incomplete.'] };
  }
  return {
    ok: true,
    config: {
      clinic: {
        name,
        timeZone,
        ...(website ? { website } : {}),
        phones: { main, ...(afterHours ? { afterHours } : {}) },
        hours,
      },
      portal: { url: portalUrl },
      languages,
      defaultLanguage,
      fhir: { baseUrl, timeoutSeconds },
      smart: { issuer, clientId, offlineAccess, endpointOrigins },
      results: { reviewWithinBusinessDays },
      messages: { replyWithinBusinessDays, defaultRecipients },
      device: { keepDays },
      session: { idleMinutes: { own: idleOwn, shared: idleShared } },
    },
  };
}

/** One message for the build log, naming the file and every field at fault. */
export function formatConfigErrors(file: string, errors: readonly string[]): string {
  const n = errors.length;
  return [
    `Clinic configuration ${file} has ${n} problem${n === 1 ? '' : 's'}; Clara was not built:`,
    ...errors.map((e) => `  - ${e}`),
  ].join('\n');
}
