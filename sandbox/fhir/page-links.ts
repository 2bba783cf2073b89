/**
 * Opaque paging links, as many EHRs hand out (`…/fhir/R4?_getpages=<random>`):
 * each names a search and where its next page starts, for one patient and
 * client, for ten minutes. The search is run again for each page.
 */
import { randomBytes } from 'node:crypto';

export interface SavedPage {
  patientId: string;
  clientId: string;
  type: string;
  /** The search's parameters as the client sent them. */
  query: string;
  offset: number;
  expiresAt: number;
}

const LIFETIME_MS = 10 * 60_000;
const MAX_SAVED = 10_000;

export class PageLinks {
  private readonly pages = new Map<string, SavedPage>();

  save(page: Omit<SavedPage, 'expiresAt'>, now = Date.now()): string {
    const key = randomBytes(18).toString('base64url');
    this.pages.set(key, { ...page, expiresAt: now + LIFETIME_MS });
    while (this.pages.size > MAX_SAVED) this.pages.delete(this.pages.keys().next().value as string);
    return key;
  }

  get(key: string, now = Date.now()): SavedPage | undefined {
    const page = this.pages.get(key);
    if (page && page.expiresAt < now) {
      this.pages.delete(key);
      return undefined;
    }
    return page;
  }
}
