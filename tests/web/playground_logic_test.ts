/**
 * The playground's work without a browser (web/playground.ts, web/completion.ts, the examples menu
 * of web/build.ts): runs match the runner's own, the step slider's replay is exact, the console says
 * what the REPL says on the same machine, completion offers what the schema allows, and the menu
 * holds the whole scenario library and the notebooks' scenario lessons.
 */
import assert from "node:assert/strict";
import {
  formatEvent,
  parseScenario,
  runScenarioData,
  Session,
  STEP_DEFINITIONS,
} from "../../mod.ts";
import { collectExamples } from "../../web/build.ts";
import { indexSchema, suggest } from "../../web/completion.ts";
import {
  consoleCommand,
  machineAt,
  type Run,
  runSource,
  scriptNames,
} from "../../web/playground.ts";

const ROOT = new URL("../../", import.meta.url);
const read = (p: string) => Deno.readTextFileSync(new URL(p, ROOT));
const traceText = (events: readonly { seq: number }[]) =>
  events.map((e) => formatEvent(e as Parameters<typeof formatEvent>[0])).join("\n");

function ok(r: Awaited<ReturnType<typeof runSource>>): Run {
  if ("errors" in r) {
    assert.fail(r.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join("\n"));
  }
  return r;
}

Deno.test("every scenario file runs in the playground exactly as the runner runs it, and each step replays exactly", async () => {
  const groups = collectExamples().filter((g) => !g.name.startsWith("Lessons"));
  let checked = 0;
  for (const g of groups) {
    for (const e of g.examples) {
      const parsed = parseScenario(e.text);
      assert.deepEqual(parsed.errors, [], e.id);
      for (const [i, data] of parsed.scenarios.entries()) {
        const run = ok(await runSource("yaml", e.text, i));
        const reference = runScenarioData(data);
        assert.equal(run.result.passed, reference.passed, `${e.id}#${i + 1}`);
        assert.equal(traceText(run.result.trace), traceText(reference.trace), `${e.id}#${i + 1}`);
        // Deterministic model: the first k steps on a fresh machine give the run's first events.
        for (const k of [0, Math.floor(data.steps.length / 2), data.steps.length]) {
          const at = machineAt(data, k);
          assert.ok(typeof at !== "string", at as string);
          assert.equal(
            traceText(at.machine.trace),
            traceText(run.result.trace.slice(0, run.ends[k])),
            `${e.id}#${i + 1} at step ${k}`,
          );
        }
        checked++;
      }
    }
  }
  assert.ok(checked >= 79, `${checked} scenarios checked`);
});

Deno.test("the examples menu: scenarios/ by folder, then each notebook's scenario() lessons", () => {
  const groups = collectExamples();
  const files = [...Deno.readDirSync(new URL("scenarios/", ROOT))].filter((d) => d.isDirectory)
    .flatMap((d) =>
      [...Deno.readDirSync(new URL(`scenarios/${d.name}/`, ROOT))].filter((f) =>
        f.name.endsWith(".yaml")
      )
        .map((f) => `${d.name}/${f.name.replace(/\.yaml$/, "")}`)
    ).sort();
  const listed = groups.filter((g) => !g.name.startsWith("Lessons")).flatMap((g) =>
    g.examples.map((e) => {
      assert.equal(e.id.split("/")[0], g.name, "grouped by folder");
      return e.id;
    })
  ).sort();
  assert.deepEqual(listed, files);
  // One lesson per notebook cell that runs scenario(...).
  for (const nb of ["05-leaving", "07-your-driver"]) {
    const cells = JSON.parse(read(`notebooks/${nb}.ipynb`)).cells as {
      cell_type: string;
      source: string[];
    }[];
    const titles = cells.filter((c) => c.cell_type === "code").map((c) => c.source.join(""))
      .map((s) => /\bscenario\(\s*"([^"]+)"/.exec(s)?.[1]).filter(Boolean);
    const group = groups.find((g) => g.examples[0]?.id.startsWith(`lessons/${nb}/`));
    assert.deepEqual(group?.examples.map((e) => e.title), titles);
  }
});

Deno.test("every notebook lesson runs as a script, and its steps replay exactly for the slider", async () => {
  const lessons = collectExamples().filter((g) => g.name.startsWith("Lessons")).flatMap((g) =>
    g.examples
  );
  assert.ok(lessons.length >= 8);
  for (const lesson of lessons) {
    const run = ok(await runSource("script", lesson.text));
    assert.equal(run.result.title, lesson.title);
    if (lesson.id.endsWith("/notebook")) continue;
    assert.ok(run.replayable, `${lesson.id} replays exactly`);
  }
  // A notebook without scenario() cells is one lesson: its own assertions hold in the page too,
  // and the panes show the last machine it booted.
  const whole = lessons.filter((l) => l.id.endsWith("/notebook"));
  assert.ok(whole.length >= 5, `${whole.length} whole-notebook lessons`);
  for (const lesson of whole) {
    const run = ok(await runSource("script", lesson.text));
    assert.deepEqual(run.result.failures, [], lesson.id);
    assert.ok(
      run.result.trace.length > 0 && run.final.machine.trace === run.result.trace,
      lesson.id,
    );
  }
  // IRP_MN_QUERY_REMOVE_DEVICE: an application that keeps its handle open fails the query, and the
  // stack gets IRP_MN_CANCEL_REMOVE_DEVICE.
  const veto = ok(
    await runSource("script", lessons.find((l) => l.id === "lessons/05-leaving/1")!.text),
  );
  assert.ok(veto.result.passed, veto.result.failures.map((f) => f.message).join("\n"));
  const irps = veto.result.trace.filter((e) => e.kind === "irp").map((e) => formatEvent(e));
  const query = irps.findIndex((l) => l.includes("IRP_MN_QUERY_REMOVE_DEVICE"));
  const cancel = irps.findIndex((l) => l.includes("IRP_MN_CANCEL_REMOVE_DEVICE"));
  assert.ok(query >= 0 && cancel > query, "QUERY_REMOVE, then CANCEL_REMOVE");
});

Deno.test("a script's problems come back at their line and column; a script that calls the machine outside steps is not replayed", async () => {
  const syntax = await runSource("script", "// title: t\nconst a = ;\n");
  assert.ok("errors" in syntax);
  assert.equal(syntax.errors[0]!.line, 2);
  const thrown = await runSource(
    "script",
    `await scenario("t", (ctx) => {\n  ctx.device("ROOT\\\\A");\n});\nnull.x;\n`,
  );
  assert.ok("errors" in thrown);
  assert.equal(thrown.errors[0]!.line, 4, thrown.errors[0]!.message);
  const yamlErrors = await runSource("yaml", "title: t\nsteps:\n  - plugin: PCI\\VEN_1\n");
  assert.ok("errors" in yamlErrors);
  assert.equal(yamlErrors.errors[0]!.line, 3);
  assert.match(yamlErrors.errors[0]!.message, /did you mean 'plugIn'/);
  // A body that plugs a device in through the machine records no step for it.
  // An error thrown in a scenario body is a failure at the line that threw.
  const body = ok(await runSource("script", `device("ROOT\\\\A");\nundefined.call();\n`));
  assert.equal(body.result.failures[0]?.line, 2, body.result.failures[0]?.message);
  const direct = ok(
    await runSource("script", `// boot: {"example": false}\nmachine.plugIn("ROOT\\\\DIRECT");\n`),
  );
  assert.equal(direct.replayable, false);
  // The panes then show the run's own machine, with the device it plugged in.
  assert.ok(direct.final.machine.devices().some((d) => d.startsWith("ROOT\\DIRECT\\")));
  const stepped = ok(
    await runSource("script", `device("ROOT\\\\STEPPED").expectState("Started");\n`),
  );
  assert.ok(
    stepped.replayable && stepped.result.passed,
    stepped.result.failures.map((f) => f.message).join("\n"),
  );
});

Deno.test("the console prints what the REPL's !devnode, !devstack, !irp, !analyze and reg query print on the same machine", async () => {
  // Both start from the example machine with nothing run yet.
  const run = ok(
    await runSource("yaml", "title: t\nboot: { example: true }\nsteps:\n  - settle:\n"),
  );
  const at = machineAt(run.data, 0);
  assert.ok(typeof at !== "string");
  const session = new Session();
  const toaster = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsToaster\\1&cecf6205&01";
  for (
    const command of [
      "!devnode",
      "!devnode ROOT\\BUSENUM\\0",
      `!devstack ${toaster}`,
      "!irp 3",
      "!irp #3",
      "!analyze",
      "reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\toaster",
      "reg query HKLM\\SYSTEM\\CurrentControlSet\\Services /s",
      "reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\toaster /v Start",
      "reg query HKLM\\SYSTEM\\NoSuchKey",
    ]
  ) {
    assert.equal(
      consoleCommand(command, at.machine, at.runner),
      (await session.evaluate(command)).output,
      command,
    );
  }
});

Deno.test("completion offers the schema's steps, a step's fields and a field's values", () => {
  const index = indexSchema(JSON.parse(read("scenarios/schema.json")));
  const at = (text: string) => suggest(index, text, text.length)?.options.map((o) => o.label) ?? [];
  assert.deepEqual(at("title: t\nsteps:\n  - ").sort(), Object.keys(STEP_DEFINITIONS).sort());
  assert.deepEqual(
    at("title: t\nsteps:\n  - expectState: { ").sort(),
    Object.keys(STEP_DEFINITIONS.expectState!.fields).sort(),
  );
  assert.ok(
    at("title: t\nsteps:\n  - expectState: { device: t1, state: ").includes("SurpriseRemoved"),
  );
  assert.ok(at("title: t\nsteps:\n  - expectStatus: ").includes("STATUS_SUCCESS"));
  assert.deepEqual(at("title: t\nboot:\n  verifier: "), ["strict", "warn", "off"]);
  assert.ok(at("ti").includes("title"));
});

Deno.test("script completion offers the scenario verbs and the public API", () => {
  const names = scriptNames();
  for (
    const verb of Object.keys(STEP_DEFINITIONS).filter((s) => s === "settle" || s === "reboot")
  ) {
    assert.ok(names.includes(verb), verb);
  }
  for (
    const name of ["device", "driver", "expectStatus", "ctx", "scenario", "STATUS_SUCCESS", "boot"]
  ) {
    assert.ok(names.includes(name), name);
  }
});
