/**
 * What a run does after a setup step fails (README: Scenarios; a failure names its step, file,
 * line and column), and how `deno task scenario` prints it: the failed action once, then one line
 * for the steps it skipped, instead of a failure for every later step that depended on it.
 */
import assert from "node:assert/strict";
import { main } from "../../dsl/cli.ts";
import { scenario } from "../../dsl/fluent.ts";
import { renderReport } from "../../dsl/report.ts";
import { runScenarioData, runScenarioWithMachine } from "../../dsl/runner.ts";
import { parseScenario } from "../../dsl/yaml.ts";

const SCHEMA = "# yaml-language-server: $schema=schema.json";

/** The lines `deno task scenario` prints for these files, and its exit code. */
async function cli(files: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(...args.join(" ").split("\n"));
  try {
    return { code: await main(files), lines };
  } finally {
    console.log = log;
  }
}

async function withFile<T>(text: string, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_failed_setup_" });
  const path = `${dir}/x.yaml`;
  await Deno.writeTextFile(path, text);
  try {
    return await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const CASCADE = [
  SCHEMA, // 1
  "title: A setup step fails", // 2
  "steps:", // 3
  "  - plugIn: { id: dev, hardwareId: ROOT\\WIDGET }", // 4: step 1
  "  - expectState: { device: dev, state: Removed }", // 5: step 2, fails, the run goes on
  "  - name: { id: bus, instance: ROOT\\NOPE\\0 }", // 6: step 3, fails: no such device
  "  - requestRemoval: dev", // 7: step 4, skipped
  "  - expectState: { device: bus, state: Started }", // 8: step 5, skipped
  "  - expectIrps: { device: bus, irps: [START_DEVICE] }", // 9: step 6, skipped
].join("\n") + "\n";

Deno.test("after an action fails, the later steps are skipped and reported once; a failed expectation does not stop the run", () => {
  const parsed = parseScenario(CASCADE, "cascade.yaml");
  assert.deepEqual(parsed.errors, []);
  const r = runScenarioData(parsed.scenario!);
  assert.equal(r.passed, false);
  assert.deepEqual(
    r.failures.map((f) => ({
      message: f.message.split("\n")[0],
      step: f.step,
      line: f.line,
      column: f.column,
    })),
    [
      {
        message:
          "Step 2 (expectState): Expected ROOT\\WIDGET\\0 to be Removed, it is Started (none)",
        step: 2,
        line: 5,
        column: 5,
      },
      {
        message:
          "Step 3 (name): No present device 'ROOT\\NOPE\\0' (devices: HTREE\\ROOT\\0, ROOT\\WIDGET\\0)",
        step: 3,
        line: 6,
        column: 5,
      },
      // Where the first skipped step was written; no `step`, since it did not fail itself.
      { message: "Steps 4-6 skipped: step 3 failed", step: undefined, line: 7, column: 5 },
    ],
  );
  assert.ok(r.failures.every((f) => f.file === "cascade.yaml"));
  assert.equal(r.stoppedAt, 3);
  // The skipped requestRemoval never ran: no query-remove reached the device.
  assert.ok(!r.trace.some((e) => e.kind === "irp" && e.minor === "IRP_MN_QUERY_REMOVE_DEVICE"));
});

Deno.test("the HTML report marks the failed steps and greys out the skipped ones", () => {
  const data = parseScenario(CASCADE, "cascade.yaml").scenario!;
  const run = runScenarioWithMachine(data);
  const html = renderReport([{ data, result: run.result, machine: run.machine }]);
  const classes = [...html.matchAll(/<li class="(\w*)">/g)].map((m) => m[1]);
  assert.deepEqual(classes, ["", "failed", "failed", "skipped", "skipped", "skipped"]);
  assert.match(html, /Steps 4-6 skipped: step 3 failed/);
});

Deno.test("a hang without expectHang after it stops the run like a failed action", () => {
  // scenarios/verifier/DispatchIrpLost.yaml without its expectHang: a lost query-remove IRP hangs
  // the removal (verifier in warn mode, so no bug check first).
  const r = runScenarioData({
    title: "hang",
    boot: { verifier: "warn" },
    steps: [
      { step: "driver", name: "lossy", hardwareIds: ["ROOT\\LOSSY"], misbehave: ["loseIrp"] },
      { step: "plugIn", id: "dev", hardwareId: "ROOT\\LOSSY" },
      { step: "requestRemoval", device: "dev" },
      { step: "expectState", device: "dev", state: "Started" },
      { step: "expectFinding", rule: "DispatchIrpLost" },
    ],
  });
  assert.deepEqual(r.failures.map((f) => f.step ?? f.message), [
    3,
    "Steps 4-5 skipped: step 3 failed",
  ]);
  assert.match(r.failures[0]!.message, /^Step 3 \(requestRemoval\): /);
  assert.equal(r.stoppedAt, 3);
});

Deno.test("the fluent DSL keeps running after a failed action (its body decides what comes next)", async () => {
  const r = await scenario("fluent goes on", (ctx) => {
    ctx.run({ step: "name", id: "bus", instance: "ROOT\\NOPE\\0" });
    ctx.device("ROOT\\WIDGET").expectState("Removed");
  });
  assert.deepEqual(r.failures.map((f) => f.message.split("\n")[0]), [
    "Step 1 (name): No present device 'ROOT\\NOPE\\0' (devices: HTREE\\ROOT\\0)",
    "Step 3 (expectState): Expected ROOT\\WIDGET\\0 to be Removed, it is Started (none)",
  ]);
  assert.equal(r.stoppedAt, undefined);
});

Deno.test("deno task scenario prints the failed action, then the skipped steps once", async () => {
  await withFile(CASCADE, async (path) => {
    const { code, lines } = await cli([path]);
    assert.equal(code, 1);
    const heads = lines.filter((l) => /^(PASS|FAIL) |^ {2}\//.test(l));
    assert.deepEqual(heads, [
      `FAIL A setup step fails  ${path}`,
      `  ${path}:5:5: Step 2 (expectState): Expected ROOT\\WIDGET\\0 to be Removed, it is Started (none)`,
      `  ${path}:6:5: Step 3 (name): No present device 'ROOT\\NOPE\\0' (devices: HTREE\\ROOT\\0, ROOT\\WIDGET\\0)`,
      `  ${path}:7:5: Steps 4-6 skipped: step 3 failed`,
    ]);
    assert.equal(lines[lines.length - 1], "0 passed, 1 failed");
  });
});

Deno.test("deno task scenario names a file without a title by its path, once", async () => {
  await withFile(`${SCHEMA}\nsteps:\n  - settle:\n`, async (path) => {
    const { code, lines } = await cli([path]);
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      `FAIL ${path}`,
      `  ${path}:2:1: The scenario needs a 'title' string`,
      "0 passed, 1 failed",
    ]);
  });
});
