/**
 * Moving code between layers changes no behaviour: every scenario file and every notebook gives the
 * trace it gave before (DESIGN-NOTES, "Data": the same steps give the same trace, byte for byte).
 * A commit that changes behaviour on purpose rewrites the baseline with
 * `deno run -A tests/layers/_traces.ts --write` and names the change in its message.
 */
import assert from "node:assert/strict";
import { BASELINE_FILE, notebookTraces, scenarioTraces } from "./_traces.ts";

const baseline = JSON.parse(await Deno.readTextFile(BASELINE_FILE)) as Record<string, string>;

Deno.test("every scenario file's trace is the recorded one, byte for byte", async () => {
  const now = await scenarioTraces();
  const changed = Object.keys({ ...baseline, ...now }).filter((k) =>
    !k.startsWith("notebooks/") && baseline[k] !== now[k]
  );
  assert.deepEqual(changed, [], "traces differ from tests/fixtures/trace-baseline.json");
});

Deno.test("every notebook's traces are the recorded ones, byte for byte", async () => {
  const now = await notebookTraces();
  const changed = Object.keys(now).filter((k) => baseline[k] !== now[k]);
  assert.deepEqual(changed, [], "traces differ from tests/fixtures/trace-baseline.json");
});
