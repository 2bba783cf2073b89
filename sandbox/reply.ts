/**
 * Posts a clinician's reply into a patient's newest conversation in the
 * running sandbox:
 *   npm run sandbox:reply -- --patient "Portillo" --text "Su presión está bien."
 * Options: --thread <Communication id>, --from <part of a care team member's name>.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stateFile } from './launch.ts';

const { values } = parseArgs({
  options: {
    patient: { type: 'string' },
    text: { type: 'string' },
    thread: { type: 'string' },
    from: { type: 'string' },
  },
});
if (!values.patient || !values.text) {
  console.error(
    'Usage: npm run sandbox:reply -- --patient "<part of the name>" --text "<message>" [--thread <id>] [--from "<clinician>"]',
  );
  process.exit(2);
}
let state: { origin: string; secret: string };
try {
  state = JSON.parse(readFileSync(stateFile(), 'utf8')) as { origin: string; secret: string };
} catch {
  console.error('The sandbox is not running (start it with npm start).');
  process.exit(1);
}
const response = await fetch(`${state.origin}/sandbox/staff-reply`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-Sandbox-Secret': state.secret },
  body: JSON.stringify(values),
}).catch(() => undefined);
if (!response) {
  console.error(`Could not reach the sandbox at ${state.origin}. Is npm start still running?`);
  process.exit(1);
}
const body = (await response.json()) as { id?: string; error?: string; sender?: { display?: string } };
if (!response.ok) {
  console.error(body.error ?? `The sandbox answered ${response.status}.`);
  process.exit(1);
}
console.log(`Posted reply ${body.id} from ${body.sender?.display ?? 'the care team'}.`);
