/**
 * Two of issue 17's small things in scenario files: every unknown name gets a did-you-mean (an IRP
 * written without its `_DEVICE`), and a YAML indentation error is reported once, at the line and
 * column of the misplaced text, without the follow-on errors of the node around it.
 */
import assert from "node:assert/strict";
import { parseScenario } from "../../dsl/yaml.ts";

Deno.test("an IRP name written short (QUERY_REMOVE) gets a did-you-mean naming QUERY_REMOVE_DEVICE", () => {
  const { errors } = parseScenario(
    "title: t\nsteps:\n  - plugIn: { id: a, hardwareId: ROOT\\X }\n  - expectIrps: { device: a, irps: [QUERY_REMOVE] }\n",
  );
  assert.deepEqual(errors.map((e) => [e.line, e.column, e.message]), [
    [
      4,
      37,
      "Unknown IRP 'QUERY_REMOVE' in 'expectIrps.irps' (did you mean 'QUERY_REMOVE_DEVICE'?)",
    ],
  ]);
});

Deno.test("a mapping key indented wrong is one error, at the key's own line and column", () => {
  const { errors } = parseScenario(
    "title: t\nsteps:\n  - plugIn:\n      id: a\n     hardwareId: ROOT\\X\n  - unplug: a\n",
  );
  assert.deepEqual(errors.map((e) => [e.line, e.column, e.message]), [
    [5, 6, "All mapping items must start at the same column"],
  ]);
});

Deno.test("a list item indented wrong is one error, at its dash", () => {
  const { errors } = parseScenario(
    "title: t\nsteps:\n  - plugIn: { id: a, hardwareId: ROOT\\X }\n   - unplug: a\n  - unplug: a\n",
  );
  assert.deepEqual(errors.map((e) => [e.line, e.column, e.message]), [
    [4, 4, "All sequence items must start at the same column"],
  ]);
});
