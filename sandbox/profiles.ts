/**
 * Sandbox profiles: how the sandbox EHR behaves, chosen with SANDBOX_PROFILE
 * (or `startSandbox({ profile })`). Each one is strict about access (see
 * fhir/requester.ts and fhir/access.ts); they differ the way real EHRs differ.
 * The CapabilityStatement (`/metadata`) and the SMART configuration are built
 * from the same description (capabilities.ts), so they tell the truth about
 * the profile (profiles.test.ts walks them against what the sandbox does).
 *
 * - `full` (the default): everything Clara can use.
 * - `strict-ehr`: as uneven as a real EHR: `_sort` and `_elements` ignored,
 *   pages of 10 with opaque `next` links, Observation searches must name the
 *   patient and a category, no `_include`, 429 with Retry-After past a request
 *   rate, a second of latency per search, `need_patient_banner`, no refresh tokens.
 * - `no-messages`: no patient messaging: no Communication at all (404).
 */

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
