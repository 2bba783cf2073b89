/**
 * Small, dependency-free formatting through `Intl`, usable both at build time
 * and in islands (it never pulls in i18next).
 */
import { LOCALES, type Lang } from './langs.ts';
import type { OpeningHours, Weekday } from '../config/schema.ts';

/** Fills `{{name}}` placeholders. Values are plain text; the caller outputs text. */
export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>>;

/** Chooses a plural form with `Intl.PluralRules` and fills `{{count}}` (formatted for the language). */
export function plural(
  lang: Lang,
  forms: PluralForms,
  count: number,
  vars: Record<string, string | number> = {},
): string {
  const rule = new Intl.PluralRules(LOCALES[lang]).select(count);
  const template = forms[rule] ?? forms.other ?? '';
  return fill(template, { ...vars, count: formatNumber(lang, count) });
}

export function formatNumber(lang: Lang, value: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(LOCALES[lang], options).format(value);
}

/** Upper-cases the first letter ("sábado" → "Sábado") for the start of a line. */
export function capitalize(text: string, lang: Lang): string {
  return text.charAt(0).toLocaleUpperCase(LOCALES[lang]) + text.slice(1);
}

/**
 * A phone number for people to read: US numbers (+1) as "(555) 010-0123";
 * other countries keep their international form.
 */
export function formatPhone(e164: string): string {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return us ? `(${us[1]}) ${us[2]}-${us[3]}` : e164;
}

/** The `href` for a phone link. */
export function telHref(e164: string): string {
  return `tel:${e164}`;
}

const WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function weekdayName(lang: Lang, day: Weekday): string {
  // 2024-01-01 was a Monday.
  const date = new Date(Date.UTC(2024, 0, 1 + WEEK.indexOf(day)));
  return new Intl.DateTimeFormat(LOCALES[lang], { weekday: 'long', timeZone: 'UTC' }).format(date);
}

function clockTime(lang: Lang, hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const date = new Date(Date.UTC(2024, 0, 1, h, m));
  return new Intl.DateTimeFormat(LOCALES[lang], { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(date);
}

/** Splits sorted days into runs of consecutive days: mon..fri, sat. */
function runs(days: readonly Weekday[]): Weekday[][] {
  const sorted = [...new Set(days)].sort((a, b) => WEEK.indexOf(a) - WEEK.indexOf(b));
  const out: Weekday[][] = [];
  for (const day of sorted) {
    const last = out.at(-1);
    const prev = last?.at(-1);
    if (last && prev && WEEK.indexOf(day) === WEEK.indexOf(prev) + 1) last.push(day);
    else out.push([day]);
  }
  return out;
}

export interface HoursStrings {
  /** "{{from}} to {{to}}" */
  dayRange: string;
  /** "{{days}}: {{opens}} to {{closes}}" */
  line: string;
}

/**
 * Opening hours as lines of words: "Monday to Friday: 8:00 AM to 5:00 PM",
 * "De lunes a viernes: de 8:00 a. m. a 5:00 p. m.".
 */
export function formatHours(lang: Lang, hours: readonly OpeningHours[], strings: HoursStrings): string[] {
  return hours.map((entry) => {
    const parts = runs(entry.days).map((run) => {
      const first = run[0] as Weekday;
      const last = run.at(-1) as Weekday;
      if (run.length >= 3) {
        return fill(strings.dayRange, { from: weekdayName(lang, first), to: weekdayName(lang, last) });
      }
      return run.map((d) => weekdayName(lang, d));
    });
    const names = parts.flat();
    const days = new Intl.ListFormat(LOCALES[lang], { style: 'long', type: 'conjunction' }).format(names);
    const line = fill(strings.line, {
      days,
      opens: clockTime(lang, entry.opens),
      closes: clockTime(lang, entry.closes),
    });
    return capitalize(line, lang);
  });
}

/** A date in words, in the patient's language ("November 23, 2026" / "23 de noviembre de 2026"). */
export function formatDate(
  lang: Lang,
  date: Date,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'long' },
): string {
  return new Intl.DateTimeFormat(LOCALES[lang], options).format(date);
}

export interface TimeWords {
  /** "Today, {{time}}" */
  today: string;
  /** "Yesterday, {{time}}" */
  yesterday: string;
  /** "{{day}}, {{time}}" */
  day: string;
}

function localDay(date: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/**
 * When something happened, as people say it: "Today, 10:32 AM", "Yesterday,
 * 4:05 PM", "Monday, 9:15 AM" within the week, else the date
 * ("November 3, 2026"). In the device's time zone unless one is given.
 */
export function timeInWords(
  lang: Lang,
  iso: string,
  words: TimeWords,
  now: Date = new Date(),
  timeZone?: string,
): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const zone = timeZone ? { timeZone } : {};
  const time = new Intl.DateTimeFormat(LOCALES[lang], { hour: 'numeric', minute: '2-digit', ...zone }).format(date);
  const day = localDay(date, timeZone);
  const today = localDay(now, timeZone);
  const days = Math.round((Date.parse(`${today}T12:00:00Z`) - Date.parse(`${day}T12:00:00Z`)) / 86_400_000);
  if (days === 0) return fill(words.today, { time });
  if (days === 1) return fill(words.yesterday, { time });
  if (days > 1 && days < 7) {
    const weekday = new Intl.DateTimeFormat(LOCALES[lang], { weekday: 'long', ...zone }).format(date);
    return fill(words.day, { day: capitalize(weekday, lang), time });
  }
  return formatDate(lang, date, { dateStyle: 'long', ...zone });
}

/** The time alone ("10:32 AM" / "10:32 a. m."). */
export function clockOf(lang: Lang, iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}

/** A file size people read ("120 kB", "1.2 MB"). */
export function formatSize(lang: Lang, bytes: number): string {
  const [unit, value] =
    bytes >= 1_000_000 ? ['megabyte', bytes / 1_000_000] : ['kilobyte', Math.max(bytes / 1000, 0.1)];
  return new Intl.NumberFormat(LOCALES[lang], {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}
