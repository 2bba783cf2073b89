/**
 * Sandbox profiles: how the sandbox EHR behaves, chosen with SANDBOX_PROFILE
 * (or `startSandbox({ profile })`). Each one is strict about access (see
 * fhir/handler.ts); they differ the way real EHRs differ. The CapabilityStatement
 * (`/metadata`) and the SMART configuration are built from the same
 * description, so they tell the truth about the profile
 * (profiles.test.ts walks them against what the sandbox does).
 *
 * - `full` (the default): everything Clara can use.
 * - `strict-ehr`: as uneven as a real EHR: `_sort` and `_elements` ignored,
 *   pages of 10 with opaque `next` links, Observation searches must name the
 *   patient and a category, no `_include`, 429 with Retry-After past a request
 *   rate, a second of latency per search, `need_patient_banner`, no refresh tokens.
 * - `no-messages`: no patient messaging: no Communication at all (404).
 */
import { globalSchema } from '@medplum/core';
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';

export const PROFILE_NAMES = ['full', 'strict-ehr', 'no-messages'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export type Interaction = 'read' | 'vread' | 'search-type' | 'create';

export interface ResourceSupport {
  interactions: readonly Interaction[];
  /** Search parameters of this type the sandbox answers (with their modifiers); any other is refused with 400. */
  searchParams: readonly string[];
  /** `_include` values it answers (e.g. `DiagnosticReport:result`); any other is refused. */
  include: readonly string[];
  /** Every search of this type must carry one parameter of each inner list, else 400. */
  required: readonly (readonly string[])[];
}

export interface SandboxProfile {
  name: ProfileName;
  /** One line for `npm start`. */
  summary: string;
  resources: Readonly<Record<string, ResourceSupport>>;
  /** `_sort` honoured (else accepted and ignored: the server's own order, by id). */
  sort: boolean;
  /** `_elements` honoured (else accepted and ignored: whole resources). */
  elements: boolean;
  paging: {
    /** Page size without `_count`. */
    defaultCount: number;
    /** The largest page, whatever `_count` asks. */
    maxCount: number;
    /** `next` links are opaque (`?_getpages=<random>`), else `_offset` links. */
    opaque: boolean;
  };
  /** Requests per access token: a bucket of `burst` requests that refills at `perSecond`; past it, 429 with Retry-After. */
  rateLimit?: { burst: number; perSecond: number };
  /** Added before every search's answer. */
  searchLatencyMs: number;
  /** `offline_access` and refresh tokens. */
  offlineAccess: boolean;
  /** Token responses carry `need_patient_banner: true`. */
  needPatientBanner: boolean;
}

const READ: readonly Interaction[] = ['read', 'vread', 'search-type'];

const FULL_RESOURCES: Record<string, ResourceSupport> = {
  Patient: { interactions: READ, searchParams: ['_id'], include: [], required: [] },
  Observation: {
    interactions: READ,
    searchParams: ['_id', 'patient', 'subject', 'category', 'code', 'date', 'status'],
    include: ['Observation:has-member', 'Observation:performer'],
    required: [],
  },
  DiagnosticReport: {
    interactions: READ,
    searchParams: ['_id', 'patient', 'subject', 'category', 'code', 'date', 'status'],
    include: ['DiagnosticReport:result', 'DiagnosticReport:performer'],
    required: [],
  },
  Communication: {
    interactions: [...READ, 'create'],
    searchParams: [
      '_id',
      'patient',
      'subject',
      'sender',
      'recipient',
      'part-of',
      'identifier',
      'sent',
      'category',
      'status',
    ],
    include: ['Communication:sender', 'Communication:recipient', 'Communication:part-of'],
    required: [],
  },
  CareTeam: {
    interactions: READ,
    searchParams: ['_id', 'patient', 'subject', 'status', 'category'],
    include: ['CareTeam:participant'],
    required: [],
  },
  // The patient's caregivers (family members and helpers with their own sign-in).
  RelatedPerson: { interactions: READ, searchParams: ['_id', 'patient'], include: [], required: [] },
};

const withoutIncludes = (resources: Record<string, ResourceSupport>): Record<string, ResourceSupport> =>
  Object.fromEntries(Object.entries(resources).map(([type, support]) => [type, { ...support, include: [] }]));

export const PROFILES: Readonly<Record<ProfileName, SandboxProfile>> = {
  full: {
    name: 'full',
    summary: 'everything Clara can use, with the strict access rules',
    resources: FULL_RESOURCES,
    sort: true,
    elements: true,
    paging: { defaultCount: 20, maxCount: 1000, opaque: false },
    searchLatencyMs: 0,
    offlineAccess: true,
    needPatientBanner: false,
  },
  'strict-ehr': {
    name: 'strict-ehr',
    summary:
      'as uneven as a real EHR: ignores _sort and _elements, pages of 10 with opaque links, Observation needs patient and category, no _include, 429 past 10 requests at once or 2 a second, 1 s per search, no refresh tokens',
    resources: {
      ...withoutIncludes(FULL_RESOURCES),
      Observation: {
        ...(FULL_RESOURCES['Observation'] as ResourceSupport),
        include: [],
        required: [['patient', 'subject'], ['category']],
      },
    },
    sort: false,
    elements: false,
    paging: { defaultCount: 10, maxCount: 10, opaque: true },
    rateLimit: { burst: 10, perSecond: 2 },
    searchLatencyMs: 1000,
    offlineAccess: false,
    needPatientBanner: true,
  },
  'no-messages': {
    name: 'no-messages',
    summary: 'no patient messaging: no Communication (its endpoints answer 404, its scope is never granted)',
    resources: Object.fromEntries(Object.entries(FULL_RESOURCES).filter(([type]) => type !== 'Communication')),
    sort: true,
    elements: true,
    paging: { defaultCount: 20, maxCount: 1000, opaque: false },
    searchLatencyMs: 0,
    offlineAccess: true,
    needPatientBanner: false,
  },
};

export function isProfileName(value: string | undefined): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value ?? '');
}

/** SANDBOX_PROFILE, checked: an unknown name is an error that lists the known ones. */
export function profileFromEnv(value: string | undefined): SandboxProfile {
  if (!value) return PROFILES.full;
  if (!isProfileName(value))
    throw new Error(`SANDBOX_PROFILE="${value}" is not a sandbox profile. Choose one of: ${PROFILE_NAMES.join(', ')}.`);
  return PROFILES[value];
}

/** The permission letters (SMART v2, in `cruds` order) a patient may have on a type under this profile. */
export function supportedPermissions(profile: SandboxProfile, type: string): string {
  const support = profile.resources[type];
  if (!support) return '';
  return (
    (support.interactions.includes('create') ? 'c' : '') +
    (support.interactions.includes('read') ? 'r' : '') +
    (support.interactions.includes('search-type') ? 's' : '')
  );
}

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** `scopes_supported`: the launch and identity scopes, and one patient scope per resource type. */
export function scopesSupported(profile: SandboxProfile): string[] {
  const types = Object.keys(profile.resources);
  return [
    'openid',
    'fhirUser',
    'launch/patient',
    ...(profile.offlineAccess ? ['offline_access'] : []),
    ...types.map((type) => `patient/${type}.${supportedPermissions(profile, type)}`),
    // Granular scopes (SMART v2): any supported scope narrowed by its type's search parameters is
    // granted as asked and enforced; these are the ones US Core names.
    ...(profile.resources['Observation']?.searchParams.includes('category')
      ? ['laboratory', 'vital-signs'].map((code) => `patient/Observation.rs?category=${OBSERVATION_CATEGORY}|${code}`)
      : []),
  ];
}

/** SMART `capabilities`. */
export function smartCapabilities(profile: SandboxProfile): string[] {
  return [
    'launch-standalone',
    'client-public',
    'context-standalone-patient',
    'permission-patient',
    'permission-v1',
    'permission-v2',
    'sso-openid-connect',
    ...(profile.offlineAccess ? ['permission-offline'] : []),
    ...(profile.needPatientBanner ? ['context-banner'] : []),
  ];
}

/** Parameters every search may carry, besides its type's own (CapabilityStatement.rest.searchParam). */
export function commonSearchParams(profile: SandboxProfile): string[] {
  return [
    '_count',
    '_summary',
    '_total',
    ...(profile.sort ? ['_sort'] : []),
    ...(profile.elements ? ['_elements'] : []),
  ];
}

function searchParam(type: string, code: string): CapabilityStatementRestResourceSearchParam {
  const definition =
    globalSchema.types[type]?.searchParams?.[code] ?? globalSchema.types['Resource']?.searchParams?.[code];
  return {
    name: code,
    type: (definition?.type ?? 'token') as CapabilityStatementRestResourceSearchParam['type'],
    ...(definition?.url ? { definition: definition.url } : {}),
  };
}

const COMMON_PARAM_TYPES: Record<string, CapabilityStatementRestResourceSearchParam['type']> = {
  _count: 'number',
  _summary: 'token',
  _total: 'token',
  _sort: 'string',
  _elements: 'string',
};

export function capabilityStatement(
  profile: SandboxProfile,
  urls: { fhirBaseUrl: string; authorizeUrl: string; tokenUrl: string },
): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = Object.entries(profile.resources).map(([type, support]) => ({
    type: type as CapabilityStatementRestResource['type'],
    interaction: support.interactions.map((code) => ({ code })),
    ...(support.interactions.includes('create') ? { conditionalCreate: true } : {}),
    updateCreate: false,
    conditionalUpdate: false,
    conditionalDelete: 'not-supported' as const,
    readHistory: false,
    ...(support.include.length ? { searchInclude: [...support.include] } : {}),
    searchParam: support.searchParams.map((code) => ({
      ...searchParam(type, code),
      ...(support.required.some((group) => group.includes(code))
        ? {
            documentation: `Required: every ${type} search names one of ${support.required.find((g) => g.includes(code))?.join(' or ')}.`,
          }
        : {}),
    })),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'Clara sandbox EHR', version: profile.name },
    implementation: {
      description: `Clara sandbox EHR, profile "${profile.name}": ${profile.summary}`,
      url: urls.fhirBaseUrl,
    },
    rest: [
      {
        mode: 'server',
        documentation: [
          `Pages of at most ${profile.paging.maxCount} (${profile.paging.defaultCount} without _count); next links are ${profile.paging.opaque ? 'opaque' : '_offset links'}.`,
          profile.sort ? '' : "_sort is ignored (the server's own order).",
          profile.elements ? '' : '_elements is ignored (whole resources).',
          profile.rateLimit
            ? `429 with Retry-After past ${profile.rateLimit.burst} requests at once or ${profile.rateLimit.perSecond} a second per access token.`
            : '',
          profile.searchLatencyMs ? `Each search answers after ${profile.searchLatencyMs} ms.` : '',
        ]
          .filter(Boolean)
          .join(' '),
        security: {
          cors: true,
          service: [
            {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' },
              ],
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: urls.authorizeUrl },
                { url: 'token', valueUri: urls.tokenUrl },
              ],
            },
          ],
        },
        resource,
        searchParam: commonSearchParams(profile).map((name) => ({ name, type: COMMON_PARAM_TYPES[name] ?? 'token' })),
      },
    ],
  };
}
