/**
 * Debugging a driver in the REPL without a terminal: driver modules (`.driver`, `.reload`,
 * `import()`), breakpoints and stepping on a replay of the session's steps (`bp`, `g`, `p`, `.back`,
 * `.goto`, `k`, `!irp #N`), `.diff`, `.save` never dropping a call silently, the `driverModule`
 * step, and the tools driver developers type (reg.exe, pnputil, `!verifier`, `lm`, `!object`,
 * `!drvobj 7`). Each test names the rule it checks (docs/debugging.md, WinDbg's and the tools' pages).
 */
import assert from "node:assert/strict";
import { Session, staticImports } from "../../dsl/session.ts";
import { parseScenario, runScenarioFile } from "../../dsl/yaml.ts";
import { runScenarioData } from "../../dsl/runner.ts";
import { formatEvent } from "../../lib/trace/format.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const DRIVERS = `${ROOT}tests/fixtures/drivers`;
const FORGETFUL = `${DRIVERS}/forgetful.ts`;

/** Evaluates each input in turn and returns the last output. */
async function run(session: Session, ...inputs: string[]): Promise<string> {
  let output = "";
  for (const input of inputs) output = (await session.evaluate(input)).output;
  return output;
}

/** A session on a bare machine with the forgetful driver loaded from its module and a device of it. */
async function forgetfulSession(): Promise<Session> {
  const s = new Session({ empty: true });
  const loaded = await run(s, `.driver ${FORGETFUL}`);
  assert.match(loaded, /^Loaded driver 'forgetful' from .*forgetful\.ts \(export forgetful\)/);
  await run(s, `device("ROOT\\\\FORGETFUL")`);
  return s;
}

// ---- Replay determinism (docs/debugging.md#debug-replay) -------------------------------------------------

Deno.test("rewinding is replaying: the session's recorded steps replay to the same trace byte for byte", async () => {
  const s = await forgetfulSession();
  await run(s, `device("ROOT\\\\OTHER").registerInterface("GUID_DEVINTERFACE_DISK").enable()`);
  assert.equal(s.replayMatches(), true);
  // The machine at #N is the same whichever way the debugger got there.
  const last = s.machine.trace.at(-1)!.seq;
  const target = Math.floor(last / 2);
  await run(s, `.goto #${target}`);
  assert.equal(s.stoppedAt, target);
  const first = (await s.evaluate(".trace 5")).output;
  await run(s, `.goto #${last}`, `.back ${last - target}`);
  assert.equal(s.stoppedAt, target);
  assert.equal((await s.evaluate(".trace 5")).output, first);
  // The replayed trace up to #N is the session's trace up to #N, line for line.
  const live = s.machine.trace.filter((e) => e.seq <= target).map(formatEvent).join("\n");
  assert.equal((await s.evaluate(".trace 1000000")).output, live);
  assert.equal(first.split("\n").at(-1)!.split(" ")[0], `#${target}`);
});

// ---- Breakpoints and stepping (WinDbg: bp, bl, bc, g, p, k) -----------------------------------------

Deno.test("bp driver!DispatchPnp, g: the stop shows the event, the prompt says 'at #N', and !devnode shows the machine then", async () => {
  const s = await forgetfulSession();
  assert.equal(await run(s, "bp forgetful!DispatchPnp"), "Breakpoint 0 set: forgetful!DispatchPnp");
  assert.equal(await run(s, "bl"), " 0 e forgetful!DispatchPnp");
  const hit = await run(s, "g");
  assert.match(
    hit,
    /^Breakpoint 0 hit at #(\d+)\n#\1 .*irp {2}IRP_MN_\w+ -> #\d+ \(FDO forgetful\)/,
  );
  const at = s.stoppedAt!;
  assert.equal(s.prompt, `kd at #${at}> `);
  // At its first IRP the device is not started yet; at the session's end it is.
  assert.doesNotMatch(await run(s, "!devnode 0 1"), /ROOT\\FORGETFUL\\0 {2}Started/);
  assert.equal(s.machine.devnode("ROOT\\FORGETFUL\\0")?.state, "Started");
  // k: who called whom down to this event, innermost first.
  assert.match(await run(s, "k"), /^00 /);
  // p steps one event; .back rewinds to where it was.
  assert.match(await run(s, "p"), new RegExp(`^Step to #${at + 1}\\n#${at + 1} `));
  assert.match(await run(s, ".back"), new RegExp(`^Back to #${at}\\n`));
  // g again goes to the next IRP the driver gets.
  assert.match(await run(s, "g"), /^Breakpoint 0 hit at #(\d+)/);
  assert.ok(s.stoppedAt! > at);
  // Code typed at a stop runs on the session's machine: the stop is left, the breakpoints stay.
  assert.match(
    await run(s, "1 + 1"),
    /^\(left the stop at #\d+: code runs on the session's machine\)\n2$/,
  );
  assert.equal(s.prompt, "kd> ");
  assert.equal(await run(s, "bl"), " 0 e forgetful!DispatchPnp");
  assert.equal(await run(s, "bc *"), "Breakpoints cleared");
  assert.equal(await run(s, "g"), "No breakpoints (bp sets one)");
});

Deno.test("bp with a misspelt IRP or routine gets a did-you-mean (QUERY_REMOVE names IRP_MN_QUERY_REMOVE_DEVICE)", async () => {
  const s = new Session({ empty: true });
  assert.match(await run(s, "bp QUERY_REMOVE"), /did you mean 'IRP_MN_QUERY_REMOVE_DEVICE'\?/);
  assert.match(await run(s, "bp toaster!DispatchPn"), /did you mean 'toaster!DispatchPnp'\?/);
  assert.equal(await run(s, "bc 3"), "No breakpoint 3 (bl lists them)");
});

Deno.test("!irp #N at a break inside a dispatch routine lists its stack locations as WinDbg's !irp does (docs/debugging.md, debug-irp)", async () => {
  const s = await forgetfulSession();
  await run(s, "bp IRP_MN_START_DEVICE ROOT\\FORGETFUL\\0");
  const hit = await run(s, "g");
  const event = hit.split("\n")[1]!;
  const irp = Number(/Irp #(\d+)|#\d+ t\d+/.exec(event) && /"?Irp"? ?#?(\d+)/.exec(event)?.[1]);
  // The IRP's number is the trace's: find it from the dispatch event.
  const dispatch = s.machine.trace.find((e) =>
    e.kind === "irp" && e.minor === "IRP_MN_START_DEVICE" && e.instance === "ROOT\\FORGETFUL\\0"
  ) as { irp: number } | undefined;
  assert.ok(dispatch, hit);
  void irp;
  const shown = await run(s, `!irp #${dispatch.irp}`);
  assert.match(
    shown,
    new RegExp(`^Irp #${dispatch.irp} is active with \\d+ stacks \\d+ is current`),
  );
  assert.match(shown, /\[IRP_MJ_PNP\(1b\), IRP_MN_START_DEVICE\(0\)\]/);
  // At the session's end the IRP is completed: the trace tells its passage.
  await run(s, "1");
  assert.match(
    await run(s, `!irp #${dispatch.irp}`),
    new RegExp(`^Irp #${dispatch.irp} IRP_MN_START_DEVICE`),
  );
});

Deno.test(".goto #N past the end, .back and p without a number say what they take", async () => {
  const s = new Session({ empty: true });
  const last = s.machine.trace.at(-1)!.seq;
  assert.equal(
    await run(s, `.goto #${last + 10}`),
    `No event #${last + 10}: the session's last event is #${last}`,
  );
  assert.equal(await run(s, ".goto x"), "Usage: .goto #<event> (an event number from .trace)");
  assert.equal(await run(s, "p 0"), "Usage: p [n] (n >= 1)");
  assert.equal(await run(s, "k"), "Not stopped at an event (use g, p or .goto #N)");
});

// ---- .diff (dsl/diff.ts) ------------------------------------------------------------------------------

Deno.test(".diff: the session against a scenario file, and two files, show where the runs part", async () => {
  const s = new Session({ empty: true });
  const two = await run(s, `.diff ${DRIVERS}/fixed.yaml ${DRIVERS}/forgetful.yaml`);
  assert.match(two, /The runs part at #\d+ of .*fixed\.yaml/);
  assert.match(two, /^- .*call IoDetachDevice/m);
  assert.match(two, /^\+ .*BUGCHECK 0xC9/m);
  assert.match(
    await run(s, `.diff ${DRIVERS}/fixed.yaml`),
    /^--- this session\n\+\+\+ .*fixed\.yaml/,
  );
  assert.match(await run(s, ".diff"), /^Usage: \.diff/);
});

// ---- Driver modules -----------------------------------------------------------------------------------

Deno.test(".driver loads a module's driver (recorded as driverModule); a missing module or export says so with a did-you-mean", async () => {
  const s = new Session({ empty: true });
  assert.match(
    await run(s, ".driver ./no/such.ts"),
    /Cannot import '\.\/no\/such\.ts': no such module/,
  );
  assert.match(
    await run(s, `.driver ${FORGETFUL} forgetfull`),
    /has no export 'forgetfull' \(did you mean 'forgetful'\?\)/,
  );
  assert.match(await run(s, `.driver ${FORGETFUL}`), /^Loaded driver 'forgetful'/);
  assert.equal(s.steps.at(-1)?.step, "driverModule");
  assert.match(await run(s, `.driver ${FORGETFUL}`), /already loaded: after an edit, \.reload/);
  // Its exports are in scope and complete.
  assert.equal(await run(s, "forgetful.name"), "'forgetful'");
  assert.deepEqual(s.complete(`.driver ${FORGETFUL} for`), [["forgetful"], "for"]);
});

Deno.test("import() and a static import at the prompt load a module relative to the REPL's folder", async () => {
  const s = new Session({ empty: true });
  const rel = `./${FORGETFUL.slice(Deno.cwd().length + 1)}`;
  assert.equal(await run(s, `const m = await import("${rel}")`, "m.forgetful.name"), "'forgetful'");
  assert.equal(await run(s, `import { forgetful as f } from "${rel}"`), "");
  assert.equal(await run(s, "f.hardwareIds[0]"), "'ROOT\\\\FORGETFUL'");
  assert.equal(
    staticImports(`import D, { a as b, type T } from "./x.ts";`),
    `const { default: D, a: b } = await import("./x.ts");\nvoid 0;`,
  );
});

Deno.test(".reload imports the edited module and replays the session on it: the fixed driver no longer bug checks", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_reload_" });
  try {
    const file = `${dir}/driver.ts`;
    const text = (await Deno.readTextFile(FORGETFUL)).replaceAll(
      "../../../mod.ts",
      `${ROOT}mod.ts`,
    );
    await Deno.writeTextFile(file, text);
    const s = new Session({ empty: true });
    await run(s, `.driver ${file}`, `device("ROOT\\\\FORGETFUL")`);
    assert.match(
      await run(s, `machine.requestRemoval(pdo("ROOT\\\\FORGETFUL\\\\0"))`),
      /DRIVER_VERIFIER_IOMANAGER_VIOLATION/,
    );
    await Deno.writeTextFile(
      file,
      text.replace("// FIX: k.IoDetachDevice(lower);", "k.IoDetachDevice(lower);"),
    );
    const reloaded = await run(s, ".reload");
    assert.match(reloaded, /^Reloaded .*driver\.ts; replayed \d+ steps on a fresh machine/);
    assert.doesNotMatch(reloaded, /STOP/);
    assert.equal(s.machine.bugCheck, null);
    assert.equal(s.machine.devnode("ROOT\\FORGETFUL\\0")?.state, "Removed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("driverModule: parseScenario imports nothing; runScenarioFile imports relative to the file; a missing module or export fails at the step's line and column", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_module_" });
  try {
    const marker = `${dir}/imported`;
    await Deno.writeTextFile(
      `${dir}/side.ts`,
      `Deno.writeTextFileSync(${JSON.stringify(marker)}, "yes");\nexport { forgetful } from ${
        JSON.stringify(`${ROOT}tests/fixtures/drivers/fixed.ts`)
      };\n`,
    );
    const yaml = [
      "title: a module driver",
      "steps:",
      "  - driverModule: { path: ./side.ts }",
      "  - plugIn: { id: f, hardwareId: ROOT\\FORGETFUL }",
      "  - expectState: { device: f, state: Started }",
    ].join("\n");
    await Deno.writeTextFile(`${dir}/ok.yaml`, yaml);
    const parsed = parseScenario(yaml, `${dir}/ok.yaml`);
    assert.deepEqual(parsed.errors, []);
    assert.throws(() => Deno.statSync(marker), Deno.errors.NotFound);
    // Without importing, running the data says why the driver is missing.
    const unresolved = runScenarioData(parsed.scenarios[0]!);
    assert.match(unresolved.failures[0]!.message, /was not imported/);
    const r = await runScenarioFile(`${dir}/ok.yaml`);
    assert.equal(r.passed, true, r.failures.map((f) => f.message).join("\n"));
    assert.equal(await Deno.readTextFile(marker), "yes");

    await Deno.writeTextFile(
      `${dir}/bad.yaml`,
      "title: bad\nsteps:\n  - plugIn: ROOT\\X\n  - driverModule: { path: ./missing.ts }\n  - driverModule: { path: ./side.ts, export: forgetfull }\n",
    );
    const bad = await runScenarioFile(`${dir}/bad.yaml`);
    assert.equal(bad.passed, false);
    assert.deepEqual(bad.failures.map((f) => [f.line, f.column]), [[4, 5], [5, 5]]);
    assert.match(bad.failures[0]!.message, /Cannot import '\.\/missing\.ts': no such module/);
    assert.match(bad.failures[1]!.message, /no export 'forgetfull' \(did you mean 'forgetful'\?\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---- .save never drops a call silently ----------------------------------------------------------------

Deno.test(".save lists a driver with code routines as left out (never silently); a module driver is saved as driverModule and replays", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_save_" });
  try {
    const s = new Session({ empty: true });
    await run(
      s,
      `driver({ name: "inline", hardwareIds: ["ROOT\\\\INLINE"], DispatchPnp(k, d, irp) { k.IoSkipCurrentIrpStackLocation(irp); return k.IoCallDriver(d.DeviceExtension.lower ?? d, irp); } })`,
    );
    const out = await run(s, `.save ${dir}/inline.yaml`);
    assert.match(out, /^Saved 0 steps to /);
    assert.match(
      out,
      /Left out 1 call that no step can replay:\n {2}driver\(\{ name: "inline", \.\.\. \}\): its routines \(DispatchPnp\) are code/,
    );

    const m = await forgetfulSession();
    await Deno.copyFile(FORGETFUL, `${dir}/forgetful.ts`);
    await Deno.writeTextFile(
      `${dir}/forgetful.ts`,
      (await Deno.readTextFile(FORGETFUL)).replaceAll("../../../mod.ts", `${ROOT}mod.ts`),
    );
    const saved = await run(m, `.save ${DRIVERS}/../saved_module_session.yaml`);
    try {
      assert.match(saved, /^Saved 2 steps to /);
      assert.doesNotMatch(saved, /Left out/);
      const text = await Deno.readTextFile(`${DRIVERS}/../saved_module_session.yaml`);
      assert.match(
        text,
        /- driverModule:\n {6}path: \.\/drivers\/forgetful\.ts\n {6}export: forgetful/,
      );
      const r = await runScenarioFile(`${DRIVERS}/../saved_module_session.yaml`);
      assert.equal(r.passed, true, r.failures.map((f) => f.message).join("\n"));
    } finally {
      await Deno.remove(`${DRIVERS}/../saved_module_session.yaml`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a fluent chain that fails leaves no half-made device behind and records nothing", async () => {
  const s = new Session({ empty: true });
  const steps = s.steps.length;
  const out = await run(s, `device("ROOT\\\\HALF").registerInterface("NOPE").enable()`);
  assert.match(out, /'NOPE' is not a GUID or a known GUID name/);
  assert.match(out, /nothing recorded: the machine was replayed to where it was before this input/);
  assert.equal(s.steps.length, steps);
  assert.equal(s.machine.device("ROOT\\HALF\\0"), undefined);
  assert.equal(s.replayMatches(), true);
});

Deno.test("Ctrl-C (interrupt) abandons an evaluation that is awaiting; the session goes on", async () => {
  const s = new Session({ empty: true });
  await run(s, "0"); // the TypeScript compiler loads on first use
  const pending = s.evaluate("await new Promise((r) => setTimeout(r, 60000))");
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(s.interrupt(), true);
  assert.match((await pending).output, /Interrupted \(Ctrl-C\)/);
  assert.equal(s.interrupt(), false);
  assert.equal(await run(s, "1 + 1"), "2");
});

// ---- reg.exe ------------------------------------------------------------------------------------------

Deno.test("reg add / delete / export / import with reg.exe's switches and messages, recorded as steps", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_reg_" });
  try {
    const s = new Session({ empty: true });
    const key = "HKLM\\SOFTWARE\\Lab";
    assert.equal(
      await run(s, `reg add ${key} /v Count /t REG_DWORD /d 0x10 /f`),
      "The operation completed successfully.",
    );
    assert.equal(
      await run(s, `reg add ${key} /v Name /d "two words"`),
      "The operation completed successfully.",
    );
    assert.equal(
      await run(s, `reg add ${key} /v Bad /t REG_DWORD /d x`),
      "ERROR: The option [/d] must be followed by a valid integer.",
    );
    assert.equal(
      await run(s, `reg query ${key}`),
      `\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Lab\n    Count    REG_DWORD    0x10\n    Name    REG_SZ    two words`,
    );
    assert.deepEqual(s.steps.slice(-2).map((x) => x.step), ["setValue", "setValue"]);
    assert.equal(
      await run(s, `reg export ${key} ${dir}/lab.reg`),
      "The operation completed successfully.",
    );
    const bytes = await Deno.readFile(`${dir}/lab.reg`);
    assert.deepEqual([bytes[0], bytes[1]], [0xff, 0xfe]);
    assert.match(await run(s, `reg export ${key} ${dir}/lab.reg`), /already exists: add \/y/);
    assert.equal(
      await run(s, `reg delete ${key} /v Count /f`),
      "The operation completed successfully.",
    );
    assert.equal(await run(s, `reg delete ${key} /f`), "The operation completed successfully.");
    assert.equal(
      await run(s, `reg delete ${key} /f`),
      "ERROR: The system was unable to find the specified registry key or value.",
    );
    assert.equal(
      await run(s, `reg import ${dir}/lab.reg`),
      "The operation completed successfully.",
    );
    assert.match(await run(s, `reg query ${key} /v Count`), /Count {4}REG_DWORD {4}0x10/);
    assert.equal(s.steps.at(-1)?.step, "importReg");
    assert.equal(await run(s, "reg add"), 'ERROR: Invalid syntax.\nType "REG ADD /?" for usage.');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---- pnputil ------------------------------------------------------------------------------------------

Deno.test("pnputil /enum-devices, /disable-device and /enable-device (PnPUtil Command Syntax: a disabled device shows as Disabled)", async () => {
  const s = new Session({ empty: true });
  await run(s, `.driver ${DRIVERS}/fixed.ts`, `device("ROOT\\\\FORGETFUL")`);
  const list = await run(s, "pnputil /enum-devices");
  const field = (label: string, value: string) => `${`${label}:`.padEnd(28)}${value}`;
  assert.ok(
    list.startsWith(`Microsoft PnP Utility\n\n${field("Instance ID", "HTREE\\ROOT\\0")}\n`),
    list,
  );
  assert.ok(list.includes(`${field("Instance ID", "ROOT\\FORGETFUL\\0")}\n`), list);
  assert.ok(list.includes(field("Status", "Started")), list);
  const disabled = await run(s, 'pnputil /disable-device "ROOT\\FORGETFUL\\0"');
  assert.equal(
    disabled,
    "Microsoft PnP Utility\n\nDisabling device:           ROOT\\FORGETFUL\\0\nDevice disabled successfully.",
  );
  assert.equal(s.steps.at(-1)?.step, "disableDevice");
  const problem = await run(s, "pnputil /enum-devices /problem");
  assert.ok(
    problem.includes(
      `${field("Status", "Disabled")}\n${field("Problem Code", "22 (0x16) [CM_PROB_DISABLED]")}`,
    ),
    problem,
  );
  assert.match(
    await run(s, "pnputil /enable-device ROOT\\FORGETFUL\\0"),
    /Device enabled successfully\.$/,
  );
  assert.match(
    await run(s, "pnputil /disable-device ROOT\\NOPE\\0"),
    /No present device 'ROOT\\NOPE\\0'/,
  );
  assert.match(await run(s, "pnputil /enum-device"), /did you mean 'pnputil \/enum-devices'\?/);
});

// ---- Debugger extensions --------------------------------------------------------------------------------

Deno.test("!verifier lists findings with their rule's page and the rule counts; lm the loaded drivers; !object \\Device the named device objects; !drvobj <driver> 7 every dispatch routine", async () => {
  const s = new Session();
  assert.match(
    await run(s, "!verifier"),
    /^Verifier mode: strict; 0 findings\nRule counts:\n {2}\(no rule fired; \d+ rules checked\)$/,
  );
  const lm = await run(s, "lm");
  assert.match(lm, /^module +driver object\n/);
  assert.match(lm, /^toaster +\\Driver\\toaster +\(2 devices\)$/m);
  const objects = await run(s, "!object \\Device");
  assert.match(objects, /^Directory \\Device: \d+ named device objects/);
  assert.match(objects, /Device {2}00000003 +\\Driver\\busenum/);
  const drv = await run(s, "!drvobj toaster 7");
  assert.match(drv, /^\[1b\] IRP_MJ_PNP +toaster!DispatchPnp$/m);
  assert.match(drv, /^\[01\] IRP_MJ_CREATE_NAMED_PIPE +nt!IopInvalidDeviceRequest$/m);
});

Deno.test("!devnode with doubled backslashes says it takes single ones", async () => {
  const s = new Session();
  assert.equal(
    await run(s, "!devnode ROOT\\\\BUSENUM\\\\0"),
    "!devnode takes an instance ID with single backslashes, as !devnode 0 1 prints it: 'ROOT\\BUSENUM\\0' (that device is present), not 'ROOT\\\\BUSENUM\\\\0'",
  );
});

Deno.test("completion: machine. and machine.registry. complete the machine's members; bp driver! completes its routines", () => {
  const s = new Session({ empty: true });
  const [machine] = s.complete("machine.requ");
  assert.deepEqual(machine, ["machine.requestRemoval"]);
  assert.ok(s.complete("machine.registry.set")[0].includes("machine.registry.setValue"));
  assert.deepEqual(s.complete("bp pnpmanager!Dispatch")[0].slice(0, 1), ["pnpmanager!DispatchPnp"]);
  assert.deepEqual(s.complete("pnputil /en")[0], [
    "pnputil /enum-devices",
    "pnputil /enable-device",
  ]);
  assert.deepEqual(s.complete("reg a")[0], ["reg add"]);
});

Deno.test("a devnode snapshot's status (DN_* flags) prints as hex, not as an NTSTATUS it is not", async () => {
  const s = new Session();
  const out = await run(s, 'machine.devnode("ROOT\\\\BUSENUM\\\\0")');
  assert.match(out, /status: '0x[0-9A-F]{8}',/);
  assert.equal(await run(s, "({ status: 0 })"), "{ status: '0x00000000 STATUS_SUCCESS' }");
});

Deno.test("!drvobj with a misspelt driver name gets a did-you-mean", async () => {
  assert.equal(
    await run(new Session(), "!drvobj toastr"),
    "No driver 'toastr' (did you mean 'toaster'?)",
  );
});
