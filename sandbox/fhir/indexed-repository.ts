/**
 * Medplum's in-memory repository, with searches fast enough for the bench.
 *
 * `MemoryRepository.search` evaluates every filter's FHIRPath on every
 * resource of the type, copies every match, and sorts by evaluating the sort
 * parameter's FHIRPath on both sides of every comparison: about 0.9 s for a
 * page of Catalina Cantú's ten years of labs on a 2-core machine. This class
 * gives the same answers from the same functions (`matchesSearchRequest`,
 * `evalFhirPath`, the same comparison, the same stable sort, the same slicing),
 * but remembers what does not change:
 *
 * - whether a resource matches a reference or token filter (the patient
 *   pin, `category`, `code`, `identifier` …), per filter, in a WeakMap keyed
 *   by the stored resource, so a stored version is never asked twice;
 * - each resource's sort key per sort parameter (the JSON the comparison
 *   compares), so a sort costs n log n string comparisons and n FHIRPaths once;
 * - and it copies only the page it returns.
 *
 * What a patient's first list asks (the category filter over every
 * Observation, the date sort keys) is worked out once after start-up, in
 * small steps that let requests through (`warm`), so that even ten years of
 * labs are not a first search's work (2.5 s → 20 ms for 5,000 Observations).
 *
 * Stored resources never change in place (every write stores a new object),
 * so these caches never need invalidating: a new version is a new key.
 * `useIndex = false` sends every search through Medplum's own code; the
 * sandbox test `indexed-repository.test.ts` compares the two over the searches Clara makes.
 */
import {
  deepClone,
  evalFhirPath,
  getStatus,
  globalSchema,
  matchesSearchRequest,
  type Filter,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import {
  getExtraEntries,
  MemoryRepository,
  type CreateResourceOptions,
  type DeleteResourceOptions,
} from '@medplum/fhir-router';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';

/** How many distinct filters are remembered (each one a WeakMap over the resources it was asked of). */
const MAX_CACHED_FILTERS = 200;
/** Which filters to try first: references (the patient pin) narrow most, then codes; the rest see only what is left. */
const FIRST: Record<string, number> = { reference: 0, token: 1, uri: 1 };

export class IndexedRepository extends MemoryRepository {
  /** Off: every search goes through MemoryRepository's own code (for comparison). */
  useIndex = true;
  /** The stored resources by type and id, in the repository's own order (a copy the class never hands out). */
  private readonly live = new Map<string, Map<string, WithId<Resource>>>();
  private readonly filterResults = new Map<string, WeakMap<Resource, boolean>>();
  private readonly sortKeys = new Map<string, WeakMap<Resource, string>>();

  private remember(resource: WithId<Resource>): void {
    let byId = this.live.get(resource.resourceType);
    if (!byId) {
      byId = new Map();
      this.live.set(resource.resourceType, byId);
    }
    byId.set(resource.id, deepClone(resource));
  }

  override async createResource<T extends Resource>(
    resource: T,
    options?: CreateResourceOptions,
    update = false,
  ): Promise<WithId<T>> {
    const stored = await super.createResource(resource, options, update);
    this.remember(stored);
    return stored;
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    const result = await super.conditionalCreate(resource, search, options);
    // MemoryRepository creates this one without going through createResource.
    if (getStatus(result.outcome) === 201) this.remember(result.resource);
    return result;
  }

  override async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    await super.deleteResource(resourceType, id, options);
    this.live.get(resourceType)?.delete(id);
  }

  override async expungeResources(resourceType: string, ids: string[]): Promise<void> {
    await super.expungeResources(resourceType, ids);
    for (const id of ids) this.live.get(resourceType)?.delete(id);
  }

  override clear(): void {
    super.clear();
    this.live.clear();
    this.warming++;
  }

  /** Bumped by clear() and stopWarming(): a warm-up under way stops. */
  private warming = 0;

  stopWarming(): void {
    this.warming++;
  }

  /**
   * Works out, for every stored resource of each query's type, its filters
   * and sort keys (what `matches` remembers), `batch` resources at a time
   * with a turn of the event loop between batches, so requests are answered
   * meanwhile. Answers do not change: only what is remembered. Resolves with
   * how many resources were looked at.
   */
  async warm(queries: readonly SearchRequest[], batch = 200): Promise<number> {
    const generation = this.warming;
    let seen = 0;
    for (const request of queries) {
      const { resourceType } = request;
      const rules = (request.sortRules ?? []).map(
        (rule) => [rule.code, globalSchema.types[resourceType]?.searchParams?.[rule.code]?.expression] as const,
      );
      const resources = [...(this.live.get(resourceType)?.values() ?? [])];
      for (let i = 0; i < resources.length; i += batch) {
        await new Promise((resolve) => setImmediate(resolve));
        if (generation !== this.warming) return seen;
        for (const resource of resources.slice(i, i + batch)) {
          for (const filter of request.filters ?? []) this.passes(resource, resourceType, filter);
          for (const [code, expression] of rules) if (expression) this.sortKey(resource, code, expression);
          seen++;
        }
      }
    }
    return seen;
  }

  /** Whether one resource passes one filter, remembered per stored resource. */
  private passes(resource: Resource, resourceType: string, filter: Filter): boolean {
    const key = `${resourceType}\0${filter.code}\0${filter.operator}\0${filter.value}`;
    let results = this.filterResults.get(key);
    if (results) {
      // Most recently used last, so the oldest is dropped first.
      this.filterResults.delete(key);
      this.filterResults.set(key, results);
    } else {
      results = new WeakMap();
      this.filterResults.set(key, results);
      if (this.filterResults.size > MAX_CACHED_FILTERS)
        this.filterResults.delete(this.filterResults.keys().next().value as string);
    }
    let result = results.get(resource);
    if (result === undefined) {
      result = matchesSearchRequest(resource, { resourceType, filters: [filter] } as SearchRequest);
      results.set(resource, result);
    }
    return result;
  }

  /** The filters in the order that does least work (the answer does not depend on the order). */
  private ordered(resourceType: string, filters: readonly Filter[]): Filter[] {
    const rank = (f: Filter) => FIRST[globalSchema.types[resourceType]?.searchParams?.[f.code]?.type as string] ?? 2;
    return [...filters].sort((a, b) => rank(a) - rank(b));
  }

  /** Does this resource pass every filter (as `matchesSearchRequest` would say)? */
  matchesFilters(resource: Resource, filters: readonly Filter[]): boolean {
    return this.ordered(resource.resourceType, filters).every((f) => this.passes(resource, resource.resourceType, f));
  }

  private sortKey(resource: Resource, code: string, expression: string): string {
    const cacheKey = `${resource.resourceType}\0${code}`;
    let keys = this.sortKeys.get(cacheKey);
    if (!keys) {
      keys = new WeakMap();
      this.sortKeys.set(cacheKey, keys);
    }
    let key = keys.get(resource);
    if (key === undefined) {
      key = JSON.stringify(evalFhirPath(expression, resource));
      keys.set(resource, key);
    }
    return key;
  }

  /** Searches this class answers itself: one resource type, no chained parameters. */
  private handles(request: SearchRequest): boolean {
    return (
      this.useIndex &&
      !!request.resourceType &&
      !request.types?.length &&
      !(request.filters ?? []).some((f) => f.code.includes('.'))
    );
  }

  /**
   * Every match of the search's filters, sorted by its sort rules, ignoring
   * count, offset and includes. The stored resources themselves: read them,
   * never change them (clone what you hand out).
   */
  async matches<T extends Resource>(request: SearchRequest<T>): Promise<readonly WithId<T>[]> {
    if (!this.handles(request)) {
      const { count: _c, offset: _o, include: _i, revInclude: _r, ...all } = request;
      const bundle = await super.search(all as SearchRequest<T>);
      return (bundle.entry ?? []).map((e) => e.resource as WithId<T>);
    }
    const { resourceType } = request;
    const filters = this.ordered(resourceType, request.filters ?? []);
    const found: WithId<Resource>[] = [];
    for (const resource of this.live.get(resourceType)?.values() ?? []) {
      if (filters.every((f) => this.passes(resource, resourceType, f))) found.push(resource);
    }
    // As MemoryRepository does: one stable sort per rule, in order (so the last rule leads).
    for (const rule of request.sortRules ?? []) {
      const expression = globalSchema.types[resourceType]?.searchParams?.[rule.code]?.expression;
      if (!expression) continue;
      const sign = rule.descending ? -1 : 1;
      found.sort(
        (a, b) => this.sortKey(a, rule.code, expression).localeCompare(this.sortKey(b, rule.code, expression)) * sign,
      );
    }
    return found as WithId<T>[];
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    if (!this.handles(request)) return super.search(request);
    const all = await this.matches(request);
    let page: readonly WithId<T>[] = all;
    if (request.offset !== undefined) page = page.slice(request.offset);
    if (request.count !== undefined) page = page.slice(0, request.count);
    const entry: BundleEntry<WithId<T>>[] = page.map((resource) => ({
      search: { mode: 'match' },
      resource: deepClone(resource),
    }));
    const bundle: Bundle<WithId<T>> = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: entry.length ? entry : undefined,
      total: all.length,
    } as Bundle<WithId<T>>;
    if ((request.include || request.revInclude) && entry.length) {
      const entries = entry as BundleEntry[];
      await getExtraEntries(
        this,
        request,
        entries.map((e) => e.resource as WithId<T>),
        entries,
      );
      bundle.entry = entries as BundleEntry<WithId<T>>[];
    }
    return bundle;
  }
}
