/**
 * Breakpoints, stepping and rewinding (dsl/debug.ts). The rule they stand on is the model's own:
 * the same steps on a fresh machine give the same trace, byte for byte (DESIGN-NOTES, "Data"), so
 * the machine at event #N is a replay stopped there. WinDbg's commands are the shape: `bp`, `bl`,
 * `bc`, `g`, `p`, `k` ("bp, bu, bm (Set Breakpoint)" and the pages beside it), and `!irp`'s listing
 * of stack locations ("!irp").
 */
import assert from "node:assert/strict";
import { breakpointMatches, parseBreakpoint, scenarioDebugger } from "../../dsl/debug.ts";
import { runScenarioWithMachine } from "../../dsl/runner.ts";
import { renderIrpStack } from "../../lib/render/irp.ts";
import { parseScenario } from "../../dsl/yaml.ts";
import type { ScenarioData } from "../../dsl/steps.ts";

const file = new URL("../../scenarios/toaster/s03-plug-in-toaster.yaml", import.meta.url);
const toaster: ScenarioData = parseScenario(await Deno.readTextFile(file), "s03.yaml")
  .scenarios[0]!;
const full = runScenarioWithMachine(toaster).result.trace;

Deno.test("replay determinism: the machine at event #N has exactly the first N events of the whole run", () => {
  const d = scenarioDebugger(toaster);
  for (const n of [1, 7, Math.floor(full.length / 2), full.length - 1]) {
    const at = d.goto(n);
    assert.equal(at.stop?.event.seq, n);
    assert.equal(JSON.stringify(at.machine.trace), JSON.stringify(full.slice(0, n)));
  }
});

Deno.test("bp toaster!DispatchPnp: g stops where each PnP IRP reaches the toaster's device object, before it runs", () => {
  const d = scenarioDebugger(toaster);
  assert.equal(d.bp("toaster!DispatchPnp"), 0);
  const at = d.g();
  const e = at.stop?.event;
  assert.ok(e && e.kind === "irp" && e.phase === "dispatch");
  assert.equal(e.driver, "toaster");
  // The first IRP a new stack gets: the requirements, before START ("Adding a PnP Device to a
  // Running System", step 5).
  assert.equal(e.minor, "IRP_MN_FILTER_RESOURCE_REQUIREMENTS");
  // AddDevice has run and START has not: the devnode is Added ("State Transitions for PnP Devices").
  assert.equal(at.machine.devnode(e.instance)?.state, "Added");
  // The next g stops at the next PnP IRP the toaster receives: START, still Added.
  const next = d.g();
  const n = next.stop?.event;
  assert.ok(n && n.kind === "irp" && n.seq > e.seq && n.driver === "toaster");
  assert.equal(n.minor, "IRP_MN_START_DEVICE");
  assert.equal(next.machine.devnode(n.instance)?.state, "Added");
});

Deno.test("bp IRP_MN_START_DEVICE <device>: only that device's stack stops the run", () => {
  const d = scenarioDebugger(toaster);
  const all = full.filter((e) =>
    e.kind === "irp" && e.phase === "dispatch" && e.minor === "IRP_MN_START_DEVICE"
  );
  const instances = [...new Set(all.map((e) => e.kind === "irp" ? e.instance : ""))];
  assert.ok(instances.length >= 2);
  d.bp(`IRP_MN_START_DEVICE ${instances[1]}`);
  const e = d.g().stop?.event;
  assert.ok(e && e.kind === "irp");
  assert.equal(e.instance, instances[1]);
});

Deno.test("k: the caller stack at a kernel routine call names the driver routine that made it, innermost first", () => {
  const d = scenarioDebugger(toaster);
  d.bp("IoRegisterDeviceInterface");
  const at = d.g();
  assert.equal(at.stop?.event.kind, "call");
  // The bus driver registers its interface first: its AddDevice runs in the PnP manager's work,
  // which the host's settle runs.
  assert.deepEqual(d.k().split("\n"), ["00 busenum!AddDevice", "01 PnP", "02 host"]);
});

Deno.test("p steps one event, .back rewinds, .goto jumps; bl lists and bc clears", () => {
  const d = scenarioDebugger(toaster);
  d.bp("IRP_MN_EJECT");
  d.bp("#12");
  assert.equal(d.bl(), " 0 e IRP_MN_EJECT\n 1 e #12");
  const first = d.g().stop!.event.seq;
  assert.equal(first, 12);
  assert.equal(d.p().stop?.event.seq, 13);
  assert.equal(d.p(3).stop?.event.seq, 16);
  assert.equal(d.back(2).stop?.event.seq, 14);
  assert.equal(d.goto(40).stop?.event.seq, 40);
  assert.equal(d.bc("1"), true);
  assert.equal(d.bc("5"), false);
  assert.equal(d.bl(), " 0 e IRP_MN_EJECT");
  assert.equal(d.bc("*"), true);
  assert.equal(d.bl(), "No breakpoints");
  // No breakpoint left: g runs to the end of the recorded steps.
  assert.equal(d.g().stop, null);
});

Deno.test("bp refuses what it cannot name, with a did-you-mean", () => {
  const routines = ["ZwCreateKey", "ZwOpenKey"];
  assert.match(
    (parseBreakpoint("toaster!DispatchPNP2", routines) as { error: string }).error,
    /Unknown routine 'DispatchPNP2'.*did you mean 'toaster!DispatchPnp'/,
  );
  assert.match(
    (parseBreakpoint("IRP_MN_QUERY_REMOVE", routines) as { error: string }).error,
    /did you mean 'IRP_MN_QUERY_REMOVE_DEVICE'/,
  );
  assert.match(
    (parseBreakpoint("QUERY_REMOVE_DEVICE", routines) as { error: string }).error,
    /did you mean 'IRP_MN_QUERY_REMOVE_DEVICE'/,
  );
  assert.match((parseBreakpoint("ZwCreateKy", routines) as { error: string }).error, /ZwCreateKey/);
  assert.match((parseBreakpoint("", routines) as { error: string }).error, /^Usage: bp/);
});

Deno.test("a routine breakpoint on a non-dispatch routine stops at its first traced action, not at every one", () => {
  const bp = parseBreakpoint("toaster!AddDevice", []);
  assert.ok(!("error" in bp));
  const inside = full.filter((e) => e.caller === "toaster!AddDevice");
  assert.ok(inside.length > 1);
  const hits = full.filter((e, i) => breakpointMatches(bp, e, full[i - 1]?.caller ?? ""));
  assert.deepEqual(hits.map((e) => e.seq), [inside[0]!.seq]);
});

Deno.test("!irp of an IRP in flight at a break: every stack location, the current one marked, completion routines named", () => {
  const d = scenarioDebugger(toaster);
  d.bp("IRP_MN_START_DEVICE");
  // The toaster's START: the stack is the toaster FDO over the bus's PDO.
  let at = d.g();
  while (at.stop && !(at.stop.event.kind === "irp" && at.stop.event.driver === "toaster")) {
    at = d.g();
  }
  const e = at.stop!.event;
  assert.ok(e.kind === "irp");
  const irp = at.machine.irpInFlight(e.irp);
  assert.ok(irp, "the IRP is in flight at its dispatch");
  const text = renderIrpStack(irp);
  assert.match(text, new RegExp(`^Irp #${e.irp} is active with ${irp.StackCount} stacks`));
  assert.match(text, />\[IRP_MJ_PNP\(1b\), IRP_MN_START_DEVICE\(0\)\]/);
  assert.match(text, /STATUS_NOT_SUPPORTED/);
  // Completed IRPs are no longer in flight.
  const done = full.find((x) => x.kind === "irp" && x.phase === "complete")!;
  assert.ok(done.kind === "irp");
  assert.equal(d.goto(full.length - 1).machine.irpInFlight(done.irp), undefined);
});
