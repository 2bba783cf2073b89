/**
 * Runs the sandbox EHR on its own: `node sandbox/main.ts`.
 * (`npm start` runs it together with the portal.)
 *
 * Environment: SANDBOX_PORT (4322), PORT (the portal's, 4321; for CORS and
 * redirect URIs), SANDBOX_DATA (a folder of FHIR Bundles; default: the
 * project's sample patients), SANDBOX_SECRET (guards /sandbox/…; default:
 * random), SANDBOX_TOKEN_SECONDS (access token lifetime, 900), SANDBOX_PROFILE
 * (full, strict-ehr or no-messages; see profiles.ts).
 */
import { launchSandbox } from './launch.ts';
import { runUntilStopped } from './until-stopped.ts';

await runUntilStopped(() => launchSandbox(process.env));
