/**
 * The clinic configuration's validator: checks a raw clinic.config.json
 * against its shape (schema.ts) and names each field at fault and what is
 * expected. Pure: no file system, so it is unit-tested and runs in the build
 * (src/build/config-file.ts).
 */
import { LANGS, isLang, type Lang } from '../i18n/langs.ts';
import { Reader } from './reader.ts';
import { WEEKDAYS, type ClinicConfig, type DefaultRecipient, type OpeningHours, type Weekday } from './schema.ts';

export type ValidationResult = { ok: true; config: ClinicConfig } | { ok: false; errors: string[] };

const E164 = /^\+[1-9]\d{6,14}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

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
