/**
 * How long the sandbox takes to answer Clara's Observation searches, with the
 * index (fhir/indexed-repository.ts) and without it (Medplum's own search):
 * `./node_modules/.bin/node sandbox/search-timing.ts`. Over HTTP, for Catalina
 * Cantú (ten years of labs) and Margaret Olsen (the bench's patient): the
 * results list's first page, and one test's history.
 */
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { fhirJson, signIn, testSandbox } from './testing.ts';

const ELEMENTS =
  'code,status,category,effectiveDateTime,effectivePeriod,issued,value,valueQuantity,valueCodeableConcept,valueString,valueRange,valueBoolean,valueInteger,dataAbsentReason,interpretation,referenceRange,component,hasMember';

const sandbox = await testSandbox();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
try {
  for (const name of ['Cantú', 'Olsen']) {
    const tokens = await signIn(sandbox, name);
    const list = `Observation?category=laboratory,vital-signs&_sort=-date&_count=50&_elements=${ELEMENTS}`;
    // The first entry's code, found without warming the index for the list.
    sandbox.engine.repo.useIndex = false;
    const first = await fhirJson<Bundle<Observation>>(
      sandbox,
      tokens.access_token,
      `${list.replace('_count=50', '_count=1')}`,
    );
    sandbox.engine.repo.useIndex = true;
    const coding = first.body.entry?.[0]?.resource?.code?.coding?.[0];
    const history = `Observation?code=${encodeURIComponent(`${coding?.system}|${coding?.code}`)}&_sort=date&_count=100&_elements=${ELEMENTS}`;
    for (const [label, search] of [
      ['results list', list],
      ["one test's history", history],
    ] as const) {
      const time = async () => {
        const started = performance.now();
        const res = await fhirJson<Bundle>(sandbox, tokens.access_token, search);
        if (res.status !== 200) throw new Error(`${search}: ${res.status}`);
        return { ms: performance.now() - started, total: res.body.total ?? 0 };
      };
      const cold = await time();
      sandbox.engine.repo.useIndex = false;
      const without = [await time(), await time(), await time()];
      sandbox.engine.repo.useIndex = true;
      const warm = [await time(), await time(), await time(), await time(), await time()];
      console.log(
        `${name}, ${label} (${cold.total} matches): ${median(without.map((t) => t.ms)).toFixed(0)} ms without the index; with it ${cold.ms.toFixed(0)} ms the first time, then ${median(warm.map((t) => t.ms)).toFixed(0)} ms`,
      );
    }
  }
} finally {
  await sandbox.close();
}
