/**
 * Printing a page shows what is folded under a <details> ("Show as a
 * table"): paper cannot be tapped open. Each one opened for printing is
 * folded again afterwards.
 */

/** Listens for printing until the returned function is called (a Preact effect's clean-up). */
export function unfoldWhenPrinting(): () => void {
  const unfold = () => {
    for (const details of document.querySelectorAll<HTMLDetailsElement>('details:not([open])')) {
      details.open = true;
      details.dataset['printOpened'] = '';
    }
  };
  const fold = () => {
    for (const details of document.querySelectorAll<HTMLDetailsElement>('details[data-print-opened]')) {
      details.open = false;
      delete details.dataset['printOpened'];
    }
  };
  addEventListener('beforeprint', unfold);
  addEventListener('afterprint', fold);
  return () => {
    removeEventListener('beforeprint', unfold);
    removeEventListener('afterprint', fold);
  };
}
