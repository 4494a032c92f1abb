/**
 * The step table is the one place a step is defined: each row's fields, its run function, the
 * Machine method the REPL records as it, its fluent verb and its `.help` all come from the row.
 * These tests check that every front end reads the same rows, and that a `Step` is typed by them.
 */
import assert from "node:assert/strict";
import { DeviceBuilder, InterfaceBuilder, ListenerBuilder } from "../../dsl/fluent.ts";
import { runScenarioData } from "../../dsl/runner.ts";
import { Session } from "../../dsl/session.ts";
import { stepTypesText } from "../../dsl/steps/gen_types.ts";
import { runsWhileStopped, type Step, STEP_DEFINITIONS, STEP_ROWS } from "../../dsl/steps.ts";
import { parseScenario } from "../../dsl/yaml.ts";
import { sampleDrivers } from "../../lib/examples/example_machine.ts";
import { boot } from "../../lib/machine.ts";

const ROWS = Object.entries(STEP_DEFINITIONS);

Deno.test("a Step is a discriminated union of the table's rows: a field of another step, or a missing required one, does not compile", () => {
  const unplug: Step = { step: "unplug", device: "t1" };
  // @ts-expect-error: unplug has no hardwareId (plugIn has)
  const foreign: Step = { step: "unplug", device: "t1", hardwareId: "ROOT\\X" };
  // @ts-expect-error: expectIrps needs the IRPs it expects
  const missing: Step = { step: "expectIrps", device: "t1" };
  // @ts-expect-error: no step is called plugin
  const unknown: Step = { step: "plugin", hardwareId: "ROOT\\X" };
  assert.deepEqual([unplug, foreign, missing, unknown].map((s) => s.step), [
    "unplug",
    "unplug",
    "expectIrps",
    "plugin",
  ]);
  // At run time the runner says the same of what slipped past the types.
  const r = runScenarioData({ title: "t", steps: [unknown] });
  assert.equal(r.failures[0]?.message, "Step 1 (plugin): Unknown step 'plugin'");
});

Deno.test("every row runs through its own run function, and the loader accepts exactly the rows' names", () => {
  for (const [name, def] of ROWS) {
    assert.equal(typeof def.run, "function", name);
    assert.ok(def.doc.length > 0, name);
  }
  const { errors } = parseScenario(
    `title: t\nsteps:\n${ROWS.map(([name]) => `  - ${name}: {}`).join("\n")}\n`,
  );
  // Only "needs 'x'" errors: every name is a known step.
  assert.deepEqual(errors.filter((e) => !/needs '/.test(e.message)), []);
});

Deno.test("a row whose only field is a device, an interface or a listener is a verb of that builder (device(...).unplug(), iface.expectArrival(), listener.expectNoMore())", () => {
  const builders = {
    device: DeviceBuilder,
    interface: InterfaceBuilder,
    listener: ListenerBuilder,
  };
  let verbs = 0;
  for (const [name, def] of ROWS) {
    const fields = Object.keys(def.fields);
    if (fields.length !== 1 || !(fields[0]! in builders)) continue;
    const builder = builders[fields[0] as keyof typeof builders];
    assert.equal(
      typeof (builder.prototype as unknown as Record<string, unknown>)[name],
      "function",
    );
    verbs++;
  }
  // unplug eject requestRemoval restart disableDevice enableDevice; enable disable
  // expectArrival expectRemoval; expectNoMore
  assert.equal(verbs, 11);
  // The device step keeps its WDK-flavoured name: disableDevice, not disable.
  assert.equal("disable" in DeviceBuilder.prototype, false);
  // A wrong chain does not compile: a device has no interface to enable (STYLE: typed builders).
  // @ts-expect-error: enable is an interface's verb
  const wrong = (d: DeviceBuilder) => d.enable();
  const right = (d: DeviceBuilder) =>
    d.registerInterface("GUID_DEVINTERFACE_DISK").enable().expectArrival();
  assert.equal(typeof wrong, typeof right);
});

Deno.test("each machine verb a row names is a method of Machine or machine.registry, whose call the REPL records as that step", async () => {
  const m = boot();
  const verbs = ROWS.flatMap(([, d]) => d.machineVerb ? [d.machineVerb.method] : []);
  assert.ok(verbs.includes("disable") && verbs.includes("registry.setValue"), verbs.join());
  for (const method of verbs) {
    const [owner, name] = method.startsWith("registry.")
      ? [m.registry as unknown as Record<string, unknown>, method.slice("registry.".length)]
      : [m as unknown as Record<string, unknown>, method];
    assert.equal(typeof owner[name], "function", method);
  }
  const s = new Session({ empty: true });
  await s.evaluate('driver({ name: "toaster", hardwareIds: ["ROOT\\\\TOASTER"] })');
  await s.evaluate('const t = machine.plugIn("ROOT\\\\TOASTER")');
  assert.equal((await s.evaluate("machine.disable(t)")).output, "0x00000000 (STATUS_SUCCESS)");
  await s.evaluate("machine.enable(t)");
  assert.deepEqual(s.steps.map((x) => x.step), [
    "driver",
    "plugIn",
    "disableDevice",
    "enableDevice",
  ]);
});

Deno.test("a stopped machine takes only expectations, a reboot and pulling hardware (the runner's and the REPL's one rule)", () => {
  const whileStopped = ROWS.filter(([name]) => runsWhileStopped({ step: name })).map(([n]) => n);
  assert.deepEqual(whileStopped.filter((n) => !n.startsWith("expect")), ["unplug", "reboot"]);
  assert.ok(whileStopped.includes("expectBugCheck"));
});

Deno.test(".help steps lists every row; .help <step> prints its fields, its DSL verb and the machine verb recorded as it", async () => {
  const s = new Session({ empty: true });
  const all = (await s.evaluate(".help steps")).output;
  for (const [name, def] of ROWS) {
    assert.ok(all.includes(`  ${name}`) && all.includes(def.doc), name);
  }
  const unplug = (await s.evaluate(".help unplug")).output;
  assert.match(unplug, /^unplug: Pull a device out without warning/);
  assert.match(unplug, /device {2}id, required, the shorthand: The device's id/);
  assert.match(unplug, /DSL: device\(\.\.\.\)\.unplug\(\)/);
  assert.match(unplug, /Recorded from machine\.unplug\(\.\.\.\)/);
  assert.equal(
    (await s.evaluate(".help plugin")).output,
    "Unknown step 'plugin' (did you mean 'plugIn'?)",
  );
});

Deno.test("dsl/steps/_types.ts, the explicit types that keep slow types out of the public API, is generated from the rows (deno task step-types)", async () => {
  const file = new URL("../../dsl/steps/_types.ts", import.meta.url);
  assert.equal(await Deno.readTextFile(file), stepTypesText());
  // Every row of the table has a type there, and the typed table is the table.
  for (const [name] of ROWS) assert.match(stepTypesText(), new RegExp(`\\b${name}: Row<"${name}"`));
  assert.equal(STEP_ROWS, STEP_DEFINITIONS);
});

Deno.test("a field's type and whether it is required come from its row: the generated types give plugIn's device fields and the driver step's hooks", () => {
  const plug: Step = { step: "plugIn", hardwareId: "ROOT\\X", removable: true };
  // @ts-expect-error: removable is a boolean (DEVICE_CAPABILITIES.Removable)
  const wrongType: Step = { step: "plugIn", hardwareId: "ROOT\\X", removable: "yes" };
  const hooked: Step = { step: "driver", name: "toaster", hooks: { DriverEntry: () => 0 } };
  // @ts-expect-error: only the driver step takes hooks (what only the fluent DSL passes)
  const foreign: Step = { step: "sampleDriver", name: "toaster", hooks: {} };
  assert.deepEqual([plug, wrongType, hooked, foreign].map((s) => s.step), [
    "plugIn",
    "plugIn",
    "driver",
    "sampleDriver",
  ]);
});

Deno.test("the same steps give the same trace: a plugIn step's driver: naming a sample driver changes that machine's copy, not the bundled sample other machines load", () => {
  const later: Step[] = [
    { step: "sampleDriver", name: "toaster" },
    { step: "plugIn", hardwareId: "ROOT\\PNPLAB_OTHER", id: "o" },
  ];
  const before = runScenarioData({ title: "later", steps: later });
  assert.equal(before.passed, true, before.failures[0]?.message);
  const idsBefore = [...(sampleDrivers.toaster?.hardwareIds ?? [])];
  // A scenario that gives the toaster driver a device of another ID, as an INF naming it would.
  const chosen = runScenarioData({
    title: "driver named",
    steps: [
      { step: "sampleDriver", name: "toaster" },
      { step: "plugIn", hardwareId: "ROOT\\PNPLAB_OTHER", driver: "toaster", id: "t" },
    ],
  });
  assert.equal(chosen.passed, true, chosen.failures[0]?.message);
  assert.deepEqual(sampleDrivers.toaster?.hardwareIds ?? [], idsBefore);
  const after = runScenarioData({ title: "later", steps: later });
  assert.deepEqual(after.trace, before.trace);
});
