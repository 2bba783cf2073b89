/**
 * A page whose subject is known only once its data is in (a result) names
 * it in the title, which the tab, the history and a printout show.
 */

/** "Result — Clara" becomes "Blood sugar — Clara": the part before the dash is replaced. */
export function nameInTitle(name: string): void {
  document.title = document.title.replace(/^[^—]+—/, `${name} —`);
}
