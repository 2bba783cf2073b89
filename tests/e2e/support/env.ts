/** Where the e2e tests find Clara and its sandbox (shared with playwright.config.ts). */
export const PORT = Number(process.env['CLARA_TEST_PORT'] ?? 4410);
export const SANDBOX_PORT = Number(process.env['CLARA_TEST_SANDBOX_PORT'] ?? 4412);
export const BASE_URL = `http://localhost:${PORT}`;
export const SANDBOX_ORIGIN = `http://localhost:${SANDBOX_PORT}`;
/** The sandbox's clinic-side secret, for tests that post staff replies or expire sign-ins. */
export const SANDBOX_SECRET = 'e2e-sandbox-secret';
/** A second portal of a test's own (the update test serves a changed copy of the site there). */
export const SPARE_PORT = Number(process.env['CLARA_TEST_SPARE_PORT'] ?? 4414);
/** Who serves the portal: nginx with the shipped configuration, unless CLARA_TEST_SERVER=node. */
export const PORTAL_SERVER: 'nginx' | 'node' = process.env['CLARA_TEST_SERVER'] === 'node' ? 'node' : 'nginx';
