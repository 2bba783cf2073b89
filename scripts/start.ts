/**
 * `npm start`: builds Clara and serves it on PORT (default 4321).
 * Prints the URL; Ctrl-C stops it.
 */
import { buildSite } from './lib/run.ts';
import { createStaticServer, listen } from './lib/static-server.ts';

const port = Number(process.env['PORT'] ?? 4321);

console.log('Building Clara…');
if (buildSite() !== 0) {
  console.error('The build failed; see the message above.');
  process.exit(1);
}

const portal = createStaticServer({ root: 'dist', port });
try {
  await listen(portal, port, '127.0.0.1', 'portal');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
console.log(`\nClara is running: http://localhost:${port}/`);
console.log('Press Ctrl-C to stop.');

const stop = () => {
  portal.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
