/**
 * The bench's link in a thread of its own (see LinkThread in ./link.ts): its
 * timers keep time while the bench's main thread is busy (serving and
 * compressing files, driving the browser).
 */
import { parentPort } from 'node:worker_threads';
import { Link, type LinkProfile, type ListenOptions } from './link.ts';

export type LinkCall =
  | { op: 'listen'; options: ListenOptions }
  | { op: 'profile'; profile: LinkProfile | undefined }
  | { op: 'drop' | 'clear' | 'log' | 'ports' | 'close' };

const link = new Link();

parentPort?.on('message', async (request: LinkCall & { id: number }) => {
  try {
    let result: unknown;
    if (request.op === 'listen') await link.listen(request.options);
    else if (request.op === 'profile') link.profile = request.profile;
    else if (request.op === 'drop') link.dropConnections();
    else if (request.op === 'clear') link.clearLog();
    else if (request.op === 'log') result = link.log;
    else if (request.op === 'ports') result = link.ports();
    else await link.close();
    parentPort?.postMessage({ id: request.id, result });
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: (error as Error).message });
  }
});
