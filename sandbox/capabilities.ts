/**
 * What the sandbox says about itself, built from its profile (profiles.ts)
 * so it cannot say more or less than the sandbox does: the SMART
 * configuration's `scopes_supported` and `capabilities`
 * (smart/configuration.ts), and the FHIR CapabilityStatement (`/metadata`,
 * fhir/handler.ts).
 */
import { globalSchema } from '@medplum/core';
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';
import { supportedPermissions, type SandboxProfile } from './profiles.ts';

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
