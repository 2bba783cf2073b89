/**
 * The home page's summary queries (the greeting's name, what is new since
 * `since`): the island and the page's early requests (early.ts) both use these.
 */
export const GREETING_PARAMS = { _elements: 'name' };
export const newResultsParams = (since: string): Record<string, string> => ({
  category: 'laboratory,vital-signs',
  date: `ge${since}`,
  _elements: 'id',
  _count: '200',
});
export const newMessagesParams = (patientId: string, since: string): Record<string, string> => ({
  recipient: `Patient/${patientId}`,
  sent: `ge${since}`,
  _elements: 'id,sender',
  _count: '200',
});
