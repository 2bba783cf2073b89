/**
 * Serves the built site: `node scripts/serve.ts [--port 4321] [--dir dist]`,
 * with the headers the build wrote (see scripts/lib/static-server.ts).
 */
import { parseArgs } from 'node:util';
import { createStaticServer, listen } from './lib/static-server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env['PORT'] ?? '4321' },
    dir: { type: 'string', default: 'dist' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
try {
  const server = createStaticServer({ root: values.dir, port });
  await listen(server, port, values.host, 'portal');
  console.log(`Clara (built site) at http://localhost:${port}/`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
