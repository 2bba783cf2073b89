/** Just enough of a browser (sessionStorage, document, navigator) for client modules under Node. */
class MemoryStorage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, String(v));
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  clear() {
    this.map.clear();
  }
}

export function installBrowserGlobals(): { online: (value: boolean) => void } {
  const g = globalThis as unknown as Record<string, unknown>;
  g['sessionStorage'] = new MemoryStorage();
  g['localStorage'] = new MemoryStorage();
  const attributes = new Set<string>();
  g['document'] = {
    documentElement: {
      setAttribute: (name: string) => attributes.add(name),
      removeAttribute: (name: string) => attributes.delete(name),
      hasAttribute: (name: string) => attributes.has(name),
    },
  };
  const events = new EventTarget();
  g['addEventListener'] = events.addEventListener.bind(events);
  g['removeEventListener'] = events.removeEventListener.bind(events);
  g['dispatchEvent'] = events.dispatchEvent.bind(events);
  let isOnline = true;
  Object.defineProperty(globalThis, 'navigator', { configurable: true, get: () => ({ onLine: isOnline }) });
  return { online: (value) => (isOnline = value) };
}
