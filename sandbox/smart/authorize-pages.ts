/**
 * The HTML pages of the sandbox's authorize endpoint (authorize.ts): pick a
 * sample patient or caregiver and the scopes to grant, a caregiver's
 * patient picker, a caregiver who may help nobody now, and a bad request.
 * In the language the app asks for (ui_locales) or the browser's.
 */
import type { Lang } from '../../src/lib/i18n/langs.ts';
import { activeLinks, patientIsTo, type Caregiver, type CaregiverLink } from '../caregivers.ts';
import { parseResourceScope } from '../fhir/access.ts';
import { escapeHtml } from '../http.ts';
import { sandboxT } from '../i18n.ts';
import { grantableScopes, type SmartContext } from './configuration.ts';

/** The authorize request's parameters (with `__grants`, the scopes the patient allowed, after a POST). */
export type Params = Record<string, string>;

function ageOf(birthDate: string | undefined, now = new Date()): number | undefined {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) age--;
  return age;
}

const PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'aud',
  'code_challenge',
  'code_challenge_method',
  'ui_locales',
];

function page(ctx: SmartContext, lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — ${escapeHtml(ctx.clinicName)}</title>
<link rel="stylesheet" href="/sandbox/style.css">
</head>
<body>
<header class="site-header"><div class="wrap site-header__inner"><p class="site-header__clinic">${escapeHtml(ctx.clinicName)}</p></div></header>
<main id="main" class="wrap">
${body}
</main>
</body>
</html>`;
}

export function renderAuthorize(ctx: SmartContext, lang: Lang, p: Params, problem?: string): string {
  const t = sandboxT(lang);
  const requested = (p['scope'] ?? '').split(/\s+/).filter(Boolean);
  const resourceScopes = grantableScopes(requested, ctx.profile);
  const hidden = PARAMS.filter((k) => p[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(p[k] ?? '')}">`)
    .join('\n');
  const patients = ctx.patients();
  const patientList = patients.length
    ? patients
        .map((patient, i) => {
          const age = ageOf(patient.birthDate);
          const code = (patient.language ?? '').toLowerCase().split('-')[0] ?? '';
          const speaks =
            code === 'en' || code === 'es'
              ? t(`patient.speaks.${code}`)
              : patient.language
                ? t('patient.speaks.other', { code: patient.language })
                : '';
          const details = [
            age !== undefined ? t('patient.age', { count: age }) : '',
            speaks,
            patient.results ? t('patient.results', { count: patient.results }) : t('patient.noResults'),
          ]
            .filter(Boolean)
            .join(' · ');
          return `<label class="choice"><input type="radio" name="patient" value="${escapeHtml(patient.id)}"${i === 0 ? ' required' : ''}${p['patient'] === patient.id ? ' checked' : ''}><span><strong>${escapeHtml(patient.name)}</strong><br>${escapeHtml(details)}</span></label>`;
        })
        .join('\n')
    : `<p>${escapeHtml(t('noPatients'))}</p>`;
  const caregiverList = ctx
    .caregivers()
    .map((caregiver) => {
      const value = `caregiver:${caregiver.key}`;
      const describe = (links: CaregiverLink[]) => links.map((link) => helpedName(ctx, t, link)).join(', ');
      const active = activeLinks(caregiver);
      const ended = caregiver.links.filter((link) => link.access !== 'active');
      const lines = [
        active.length ? t('caregiver.helps', { people: describe(active) }) : '',
        ...ended.map((link) => endedLine(ctx, t, lang, link)),
      ].filter(Boolean);
      // Named by her name alone (whom she helps is its description), so a patient's name picks the patient's own radio.
      const id = `caregiver-${caregiver.key}`;
      return `<label class="choice"><input type="radio" name="patient" value="${escapeHtml(value)}" aria-labelledby="${escapeHtml(id)}-name" aria-describedby="${escapeHtml(id)}-helps"${p['patient'] === value ? ' checked' : ''}><span><strong id="${escapeHtml(id)}-name">${escapeHtml(caregiver.name)}</strong><br><span id="${escapeHtml(id)}-helps">${lines.map(escapeHtml).join('<br>')}</span></span></label>`;
    })
    .join('\n');
  const scopeList = resourceScopes
    .map((scope) => {
      const parsed = parseResourceScope(scope);
      const type = parsed?.type ?? '';
      const known = [
        'Patient',
        'Observation',
        'DiagnosticReport',
        'Communication',
        'CareTeam',
        'RelatedPerson',
      ].includes(type);
      const what = known ? t(`scope.${type}`) : t('scope.other', { type });
      // A granular scope says what it is limited to (e.g. category=…|laboratory).
      const label = parsed?.query ? t('scope.narrowed', { what, search: parsed.query }) : what;
      return `<label class="choice"><input type="checkbox" name="grant" value="${escapeHtml(scope)}" checked><span>${escapeHtml(label)}</span></label>`;
    })
    .join('\n');
  return page(
    ctx,
    lang,
    t('title', { clinic: ctx.clinicName }),
    `<h1>${escapeHtml(t('title', { clinic: ctx.clinicName }))}</h1>
<div class="notice notice--note"><p>${escapeHtml(t('notice'))}</p></div>
${problem ? `<div class="notice notice--alert" role="alert"><p>${escapeHtml(problem)}</p></div>` : ''}
<form method="post" action="/auth/authorize">
${hidden}
<fieldset><legend>${escapeHtml(t('patients.legend'))}</legend>
${patientList}
</fieldset>
${caregiverList ? `<fieldset><legend>${escapeHtml(t('caregivers.legend'))}</legend>\n${caregiverList}\n</fieldset>` : ''}
${scopeList ? `<fieldset><legend>${escapeHtml(t('scopes.legend', { app: 'Clara' }))}</legend>\n${scopeList}\n</fieldset>` : ''}
<div class="actions">
<button class="button" type="submit" name="action" value="allow">${escapeHtml(t('submit'))}</button>
<button class="button button--secondary" type="submit" name="action" value="cancel" formnovalidate>${escapeHtml(t('cancel'))}</button>
</div>
</form>`,
  );
}

/** "Adán Portillo (father)": a helped patient, and who that patient is to the caregiver. */
function helpedName(ctx: SmartContext, t: ReturnType<typeof sandboxT>, link: CaregiverLink): string {
  const patient = ctx.patients().find((x) => x.id === link.patientId);
  const name = patient?.name ?? link.patientId;
  const relation = patientIsTo(link.relationship, patient?.gender);
  const role = relation ? t(`relation.${relation}`) : link.relationship?.display;
  return role ? t('caregiver.person', { name, role }) : name;
}

function longDate(lang: Lang, value: string): string {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value);
  return Number.isNaN(time)
    ? value
    : new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(time);
}

/** "Access to Margaret Olsen's information ended on March 31, 2025." (or was switched off, or has not started). */
function endedLine(ctx: SmartContext, t: ReturnType<typeof sandboxT>, lang: Lang, link: CaregiverLink): string {
  const name = ctx.patients().find((x) => x.id === link.patientId)?.name ?? link.patientId;
  if (link.access === 'ended' && link.ended) return t('caregiver.ended', { name, date: longDate(lang, link.ended) });
  return t(link.access === 'not-started' ? 'caregiver.notStarted' : 'caregiver.inactive', { name });
}

const hiddenFields = (p: Params, extra: Record<string, string> = {}): string =>
  [...PARAMS.filter((k) => p[k] !== undefined).map((k) => [k, p[k] ?? ''] as const), ...Object.entries(extra)]
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
    .join('\n');

/** SMART's patient picker for a caregiver: whose information to open (only people she may help now). */ export function renderPicker(
  ctx: SmartContext,
  lang: Lang,
  p: Params,
  caregiver: Caregiver,
  problem?: string,
): string {
  const t = sandboxT(lang);
  const links = activeLinks(caregiver);
  const grants = (p['__grants'] ?? '')
    .split(' ')
    .filter(Boolean)
    .map((g) => `<input type="hidden" name="grant" value="${escapeHtml(g)}">`)
    .join('\n');
  // One person: the choice is made for her, and shown, so she sees whose information opens.
  const choices = links
    .map(
      (link) =>
        `<label class="choice"><input type="radio" name="helps" value="${escapeHtml(link.relatedPerson)}" required${links.length === 1 || p['helps'] === link.relatedPerson ? ' checked' : ''}><span><strong>${escapeHtml(helpedName(ctx, t, link))}</strong></span></label>`,
    )
    .join('\n');
  return page(
    ctx,
    lang,
    t('picker.title'),
    `<h1>${escapeHtml(t('picker.title'))}</h1>
<p>${escapeHtml(t('picker.who', { name: caregiver.name }))}</p>
${problem ? `<div class="notice notice--alert" role="alert"><p>${escapeHtml(problem)}</p></div>` : ''}
<form method="post" action="/auth/authorize">
${hiddenFields(p, { patient: `caregiver:${caregiver.key}` })}
${grants}
<fieldset><legend>${escapeHtml(t('picker.legend'))}</legend>
${choices}
</fieldset>
<div class="actions">
<button class="button" type="submit" name="action" value="allow">${escapeHtml(t('picker.submit'))}</button>
<button class="button button--secondary" type="submit" name="action" value="cancel" formnovalidate>${escapeHtml(t('cancel'))}</button>
</div>
</form>`,
  );
}

/** A caregiver who may help nobody now: said plainly, and the way back to the app (with an OAuth error). */ export function renderRefused(
  ctx: SmartContext,
  lang: Lang,
  p: Params,
  caregiver: Caregiver,
): string {
  const t = sandboxT(lang);
  const lines = caregiver.links.map((link) => endedLine(ctx, t, lang, link));
  return page(
    ctx,
    lang,
    t('refused.title'),
    `<h1>${escapeHtml(t('refused.title'))}</h1>
<div class="notice notice--alert"><p>${lines.map(escapeHtml).join('<br>')}</p><p>${escapeHtml(t('refused.help'))}</p></div>
<form method="post" action="/auth/authorize">
${hiddenFields(p, { patient: `caregiver:${caregiver.key}` })}
<div class="actions">
<button class="button" type="submit" name="action" value="refused">${escapeHtml(t('refused.back'))}</button>
</div>
</form>`,
  );
}

export function renderError(ctx: SmartContext, lang: Lang, kind: 'client' | 'redirect'): string {
  const t = sandboxT(lang);
  return page(
    ctx,
    lang,
    t('error.title'),
    `<h1>${escapeHtml(t('error.title'))}</h1>
<div class="notice notice--alert"><p>${escapeHtml(t(kind === 'client' ? 'error.client' : 'error.redirect'))}</p></div>`,
  );
}

export function pageHeaders(ctx: SmartContext): Record<string, string> {
  return {
    'Content-Security-Policy': `default-src 'none'; style-src 'self'; form-action 'self' ${ctx.portalOrigins.join(' ')}; base-uri 'none'; frame-ancestors 'none'`,
  };
}
