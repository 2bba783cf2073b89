/** Reads an island's props from its JSON block (components/IslandData.astro). */
export function islandData<T>(id: string): T {
  const element = document.querySelector(`script[type="application/json"][data-island="${id}"]`);
  return JSON.parse(element?.textContent ?? '{}') as T;
}
