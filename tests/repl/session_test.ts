/**
 * The REPL without a terminal: each test drives `Session.evaluate` (one input, the printed output)
 * or `Session.complete` (the Tab candidates) and names the REPL behaviour it checks. The commands
 * follow WinDbg (`!devnode`, `!devstack`, `!drvobj`, `!irp`, `!analyze`) and reg.exe (`reg query`).
 */
import assert from "node:assert/strict";
import { Session } from "../../dsl/session.ts";
import { runScenarioFile } from "../../dsl/yaml.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SCENARIO = `${ROOT}scenarios/registry/seed-sample-access-denied.yaml`;
const TOASTER_1 = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsToaster\\1&cecf6205&01";

/** Evaluates each input in turn and returns the last output. */
async function run(session: Session, ...inputs: string[]): Promise<string> {
  let output = "";
  for (const input of inputs) output = (await session.evaluate(input)).output;
  return output;
}

// ---- Starting --------------------------------------------------------------------------------------

Deno.test("a session opens on the example machine: !devnode prints the tree from HTREE\\ROOT\\0 with states and services", async () => {
  const out = await run(new Session(), "!devnode");
  const lines = out.split("\n");
  assert.equal(lines[0], "DevNode HTREE\\ROOT\\0  Started");
  assert.ok(lines.includes("  DevNode ROOT\\BUSENUM\\0  Started  Service: busenum"), out);
  assert.ok(lines.includes(`    DevNode ${TOASTER_1}  Started  Service: toaster  Opens: 1`), out);
});

Deno.test("--empty: the bare machine has only the root devnode", async () => {
  const s = new Session({ empty: true });
  assert.equal(await run(s, "!devnode"), "DevNode HTREE\\ROOT\\0  Started");
  assert.equal(s.machine.devices().length, 1);
});

Deno.test("--profiles: the hardware profiles are in IDConfigDB\\Hardware Profiles", async () => {
  const s = new Session({ empty: true, profiles: ["Docked", "Undocked"] });
  const out = await run(
    s,
    'reg query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\IDConfigDB\\Hardware Profiles" /s',
  );
  assert.match(out, /FriendlyName {4}REG_SZ {4}Docked/);
  assert.match(out, /FriendlyName {4}REG_SZ {4}Undocked/);
});

Deno.test("--safe-mode: the machine boots in safe mode (the boot event says so)", async () => {
  const firstEvent = async (s: Session) => (await run(s, ".trace 100000")).split("\n")[0];
  assert.match(
    (await firstEvent(new Session({ empty: true, safeMode: true })))!,
    /boot \{"safeMode":true/,
  );
  assert.match((await firstEvent(new Session({ empty: true })))!, /boot \{"safeMode":false/);
});

// ---- TypeScript ----------------------------------------------------------------------------------

Deno.test("TypeScript: annotations, interfaces and `as` casts are stripped before the line runs", async () => {
  const s = new Session({ empty: true });
  assert.equal(await run(s, "const n: number = 20"), "");
  assert.equal(await run(s, "interface Point { x: number }"), "");
  assert.equal(await run(s, "const p: Point = { x: n as number + 1 }"), "");
  assert.equal(await run(s, "p.x * 2"), "42");
  assert.equal(await run(s, "function twice<T>(v: T): T[] { return [v, v]; }"), "");
  assert.equal(await run(s, "twice<string>('a')"), "[ 'a', 'a' ]");
});

Deno.test("top-level await: a `const` declared with await persists to the next line", async () => {
  const s = new Session({ empty: true });
  await run(s, "const answer: number = await Promise.resolve(21)");
  assert.equal(await run(s, "answer * 2"), "42");
  assert.equal(await run(s, "await new Promise((r) => r('later'))"), "'later'");
});

Deno.test("top-level await: destructured declarations persist too (object and array patterns)", async () => {
  const s = new Session({ empty: true });
  await run(s, "const { status, keyHandle } = await Promise.resolve({ status: 0, keyHandle: 7 })");
  await run(s, "let [first, second] = await Promise.resolve([1, 2])");
  assert.equal(await run(s, "[status, keyHandle, first, second].join()"), "'0,7,1,2'");
});

Deno.test("variables persist between lines (const, let, functions, globals)", async () => {
  const s = new Session({ empty: true });
  await run(s, "let count = 1", "function bump() { return ++count; }", "bump()", "bump()");
  assert.equal(await run(s, "count"), "3");
});

Deno.test("a promise typed at the prompt is awaited (its value prints, a rejection prints as an error)", async () => {
  const s = new Session({ empty: true });
  assert.equal(await run(s, "Promise.resolve(3)"), "3");
  assert.equal(await run(s, "Promise.reject(new RangeError('nope'))"), "RangeError: nope");
});

// ---- Multi-line input ----------------------------------------------------------------------------

Deno.test("multi-line input: an unfinished statement is incomplete, the whole buffer then runs", async () => {
  const s = new Session({ empty: true });
  const first = await s.evaluate("function area(w: number, h: number) {");
  assert.deepEqual(first, { output: "", incomplete: true });
  const second = await s.evaluate("function area(w: number, h: number) {\n  return w * h;");
  assert.equal(second.incomplete, true);
  const done = await s.evaluate("function area(w: number, h: number) {\n  return w * h;\n}");
  assert.equal(done.incomplete, undefined);
  assert.equal(await run(s, "area(6, 7)"), "42");
});

Deno.test("multi-line input: open brackets, a trailing operator, an `else`, a template or a comment continue", async () => {
  const s = new Session({ empty: true });
  for (const start of ["[1,", "({ a: 1,", "1 +", "if (true) {} else", "`line one", "/* note"]) {
    assert.equal((await s.evaluate(start)).incomplete, true, start);
  }
  assert.equal(await run(s, "`line one\nline two`.split('\\n').length"), "2");
});

Deno.test("multi-line input: a syntax error before the end of the input is reported, not continued", async () => {
  const s = new Session({ empty: true });
  for (const bad of ["1 +)", "foo)", "let = = 3", "'unterminated"]) {
    const r = await s.evaluate(bad);
    assert.equal(r.incomplete, undefined, bad);
    assert.match(r.output, /^SyntaxError: /, bad);
  }
});

// ---- Scope ---------------------------------------------------------------------------------------

Deno.test("in scope: DSL verbs, kernel routines (k.*), WDK constants, GUID names and the machine", async () => {
  const s = new Session();
  assert.equal(
    await run(s, "typeof device + typeof listen.interfaces + typeof k.ZwOpenKey"),
    "'functionfunctionfunction'",
  );
  assert.equal(await run(s, "DISPATCH_LEVEL"), "2");
  assert.equal(await run(s, "KEY_WRITE === 0x20006"), "true");
  assert.match(
    await run(s, "GUID_DEVINTERFACE_TOASTER"),
    /^'\{781ef630-72b2-11d2-b852-00c04fad5171\}'$/i,
  );
  assert.equal(await run(s, "machine.devices().length"), "9");
  assert.match(await run(s, "trace.length"), /^\d+$/);
  assert.match(await run(s, `pdo("ROOT\\\\BUSENUM\\\\0").constructor.name`), /DeviceObject/);
});

Deno.test("DSL verbs run at once and change the machine (device().registerInterface().enable())", async () => {
  const s = new Session();
  assert.equal(
    await run(
      s,
      `device("PCI\\\\VEN_1234&DEV_5678").registerInterface("GUID_DEVINTERFACE_DISK").enable()`,
    ),
    "",
  );
  assert.match(await run(s, "!devnode"), /DevNode PCI\\VEN_1234&DEV_5678\\0 {2}Started/);
  assert.match(
    await run(s, "k.IoGetDeviceInterfaces(GUID_DEVINTERFACE_DISK, null, 0).symbolicLinkList"),
    /PCI#VEN_1234&DEV_5678#0#\{53f56307-b6bf-11d0-94f2-00a0c91efb8b\}/i,
  );
});

Deno.test("NTSTATUS values print with their names (a k.* status, and a status field of a result)", async () => {
  const s = new Session();
  assert.equal(await run(s, "k.ZwClose(null)"), "0xC0000008 (STATUS_INVALID_HANDLE)");
  assert.match(
    await run(s, `k.ZwOpenKey(KEY_READ, "\\\\Registry\\\\Machine\\\\System\\\\Nope")`),
    /status: '0xC0000034 STATUS_OBJECT_NAME_NOT_FOUND'/,
  );
  assert.match(
    await run(s, `k.ZwOpenKey(KEY_READ, "\\\\Registry\\\\Machine\\\\System")`),
    /status: '0x00000000 STATUS_SUCCESS'/,
  );
});

Deno.test("IRQLs are numbers, not statuses: KeRaiseIrql's old IRQL 0 does not print as STATUS_SUCCESS", async () => {
  const s = new Session({ empty: true });
  assert.equal(await run(s, "k.KeRaiseIrql(APC_LEVEL)"), "0");
  assert.equal(await run(s, "k.KeGetCurrentIrql()"), "1");
});

// ---- Debugger commands ---------------------------------------------------------------------------

Deno.test("!devnode <instance> prints the subtree under one devnode", async () => {
  const out = await run(new Session(), "!devnode ROOT\\BUSENUM\\0");
  assert.deepEqual(out.split("\n").map((l) => l.trim().split("  ")[0]), [
    "DevNode ROOT\\BUSENUM\\0",
    `DevNode ${TOASTER_1}`,
    "DevNode {B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsToaster\\1&cecf6205&02",
  ]);
  assert.equal(await run(new Session(), "!devnode NOPE\\0"), "No present device 'NOPE\\0'");
});

Deno.test("!devstack <device> prints the stack top first (filter, FDO, PDO) and the devnode", async () => {
  const out = await run(new Session(), `!devstack ${TOASTER_1}`);
  const lines = out.split("\n");
  assert.match(lines[0]!, /!DevObj +!DrvObj +Role/);
  assert.match(lines[1]!, /^> .*\\Driver\\ToasterFilter +filter$/);
  assert.match(lines[2]!, /^ {2}.*\\Driver\\toaster +FDO$/);
  assert.match(lines[3]!, /^ {2}\\Device\\\d+ +\\Driver\\busenum +PDO$/);
  assert.match(out, new RegExp(`DeviceInst is "${TOASTER_1.replace(/[\\{}&]/g, "\\$&")}"`));
  assert.match(out, /ServiceName is "toaster"/);
  assert.match(out, /State = Started \(DeviceNodeStarted\)/);
  assert.equal(
    await run(new Session(), "!devstack"),
    "Usage: !devstack <instance ID or device name>",
  );
});

Deno.test("!devstack accepts a device's scenario name (d1) as well as its instance ID", async () => {
  const s = new Session({ empty: true });
  await run(s, `device("ROOT\\\\WIDGET")`);
  assert.match(await run(s, "!devstack d1"), /DeviceInst is "ROOT\\WIDGET\\0"/);
});

Deno.test("!drvobj <driver> prints the driver object, its devices and its routines", async () => {
  const out = await run(new Session(), "!drvobj toaster");
  assert.match(out, /^Driver object \(\\Driver\\toaster\) is for:/);
  assert.match(out, /loaded; DriverEntry returned 0x00000000/);
  assert.match(out, /Device Object list:\n {2}#\d+ {2}\(FDO/);
  assert.match(out, /AddDevice: +toaster!AddDevice/);
  assert.match(out, /\[1b\] IRP_MJ_PNP {2}toaster!DispatchPnp/);
  assert.equal(await run(new Session(), "!drvobj \\Driver\\nope"), "No driver '\\Driver\\nope'");
});

Deno.test("!irp [n] prints the last n IRPs: where each was dispatched and who completed it", async () => {
  const out = await run(new Session(), "!irp 2");
  const heads = out.split("\n").filter((l) => l.startsWith("Irp #"));
  assert.equal(heads.length, 2);
  assert.match(heads[0]!, /^Irp #\d+ IRP_MN_\w+ {2}\[.+\]$/);
  assert.match(out, /\n {3}> .+\n/);
  assert.match(out, /\n {3}< completed by .+: STATUS_\w+/);
  assert.equal(await run(new Session(), "!irp zero"), "Usage: !irp [n] (n >= 1)");
});

Deno.test("reg query <path> prints like reg.exe: a blank line, the full key name, then '    name    TYPE    data'", async () => {
  const s = new Session();
  const out = await run(s, `reg query "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\ROOT\\BUSENUM\\0"`);
  const lines = out.split("\n");
  assert.equal(lines[0], "");
  assert.equal(lines[1], "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Enum\\ROOT\\BUSENUM\\0");
  assert.ok(lines.includes("    Service    REG_SZ    busenum"), out);
  assert.ok(lines.some((l) => /^ {4}ConfigFlags {4}REG_DWORD {4}0x[0-9a-f]+$/.test(l)), out);
  assert.equal(
    await run(s, "reg query HKLM\\SYSTEM\\Nope"),
    "ERROR: The system was unable to find the specified registry key or value.",
  );
  assert.equal(await run(s, "reg query"), "Usage: reg query <path> [/s]");
});

Deno.test("reg query <path> /s prints every subkey below, each as its own block", async () => {
  const s = new Session();
  const flat = await run(s, "reg query HKLM\\SYSTEM\\CurrentControlSet\\Enum\\ROOT");
  const deep = await run(s, "reg query HKLM\\SYSTEM\\CurrentControlSet\\Enum\\ROOT /s");
  const keyLines = (t: string) => t.split("\n").filter((l) => l.startsWith("HKEY_LOCAL_MACHINE"));
  assert.ok(
    keyLines(flat).includes("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Enum\\ROOT\\BUSENUM"),
  );
  assert.ok(!flat.includes("    Service    REG_SZ"), "without /s no subkey's values are shown");
  assert.ok(
    keyLines(deep).includes(
      "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Enum\\ROOT\\BUSENUM\\0",
    ),
  );
  assert.ok(deep.includes("\n    Service    REG_SZ    busenum\n"), deep);
  // Each key block is preceded by a blank line.
  for (const [i, l] of deep.split("\n").entries()) {
    if (l.startsWith("HKEY_LOCAL_MACHINE") && i > 0) {
      const before = deep.split("\n")[i - 1]!;
      assert.ok(before === "" || before.startsWith("HKEY_LOCAL_MACHINE"), `line ${i}: ${l}`);
    }
  }
});

// ---- Bug checks ----------------------------------------------------------------------------------

Deno.test("a bug check prints a blue-screen summary (name, STOP code and parameters) and offers .reboot", async () => {
  const s = new Session();
  await run(s, "k.KeRaiseIrql(DISPATCH_LEVEL)");
  const out = await run(s, "k.ZwClose(null)");
  assert.match(out, /^A problem has been detected/);
  assert.match(out, /\nDRIVER_VERIFIER_DETECTED_VIOLATION\n/);
  assert.match(out, /\*\*\* STOP: 0x000000C4 \((0x[0-9A-F]{8}, ){3}0x[0-9A-F]{8}\)/);
  assert.match(out, /ZwClose/);
  assert.match(out, /\.reboot/);
});

Deno.test("!analyze after KeRaiseIrql(DISPATCH_LEVEL) + ZwClose(null) names IrqlZwPassive, code C4, the arguments, the ZwClose call and the documentation page", async () => {
  const s = new Session();
  await run(s, "k.KeRaiseIrql(DISPATCH_LEVEL)", "k.ZwClose(null)");
  const out = await run(s, "!analyze");
  assert.match(out, /Bugcheck Analysis/);
  assert.match(out, /^DRIVER_VERIFIER_DETECTED_VIOLATION \(c4\)$/m);
  assert.equal(out.match(/^Arg[1-4]: [0-9a-f]{16}$/gm)?.length, 4, out);
  assert.match(out, /^RULE BROKEN: IrqlZwPassive$/m);
  assert.match(out, /^LAST CALL: .*call ZwClose\(null\)/m);
  assert.match(out, /^DOCUMENTATION: Bug Check 0xC4: DRIVER_VERIFIER_DETECTED_VIOLATION/m);
  assert.match(out, /TRACE BEFORE THE BUG CHECK:\n(.*\n)*.*call KeRaiseIrql\(DISPATCH_LEVEL\)/);
});

Deno.test("!analyze on a running machine says there is no bug check", async () => {
  assert.match(
    await run(new Session(), "!analyze"),
    /^The machine is running: no bug check to analyze\./,
  );
});

Deno.test(".reboot recovers from a bug check: the machine runs again at PASSIVE_LEVEL", async () => {
  const s = new Session();
  await run(s, "k.KeRaiseIrql(DISPATCH_LEVEL)", "k.ZwClose(null)");
  assert.equal(await run(s, ".reboot"), "Rebooted");
  assert.equal(await run(s, "machine.halted"), "false");
  assert.equal(await run(s, "k.KeGetCurrentIrql()"), "0");
  assert.match(await run(s, "!devnode"), /DevNode ROOT\\BUSENUM\\0 {2}Started/);
  assert.match(await run(s, "!analyze"), /no bug check to analyze/);
  assert.equal(await run(s, ".reboot safe"), "Rebooted in safe mode");
});

Deno.test("Bug check 0xCA from bad hardware: the blue screen names it, .reboot stops again (boot loop), and after machine.unplug(machine.bugCheck.device) .reboot recovers", async () => {
  const s = new Session({ empty: true });
  const screen = await run(
    s,
    'machine.plugIn({ hardwareIds: ["ROOT\\\\A,B"], rawDeviceOk: true })',
  );
  assert.match(screen, /PNP_DETECTED_FATAL_ERROR/);
  assert.match(screen, /still plugged in/);
  assert.match(screen, /machine\.unplug\(machine\.bugCheck\.device\)/);
  assert.match(
    await run(s, ".reboot"),
    /^The machine stopped again while booting:\n[\s\S]*PNP_DETECTED_FATAL_ERROR/,
  );
  await run(s, "machine.unplug(machine.bugCheck.device)");
  assert.equal(await run(s, ".reboot"), "Rebooted");
  assert.equal(await run(s, "machine.halted"), "false");
});

// ---- Meta commands -------------------------------------------------------------------------------

Deno.test(".help lists every debugger and meta command", async () => {
  const out = await run(new Session({ empty: true }), ".help");
  for (
    const c of [
      "!devnode",
      "!devstack",
      "!drvobj",
      "!irp",
      "!analyze",
      "reg query",
      ".trace",
      ".reset",
      ".reboot",
      ".load",
      ".save",
      ".exit",
    ]
  ) {
    assert.ok(out.includes(c), c);
  }
});

Deno.test(".trace n prints the last n trace events, one a line; a bad n prints the usage", async () => {
  const s = new Session();
  await run(s, "k.ZwClose(null)");
  const out = await run(s, ".trace 3");
  const lines = out.split("\n");
  assert.equal(lines.length, 3);
  assert.match(lines[2]!, /^#\d+ t\d+ host +call ZwClose\(null\) = STATUS_INVALID_HANDLE$/);
  assert.equal((await run(s, ".trace")).split("\n").length, 20);
  assert.equal(await run(s, ".trace 0"), "Usage: .trace [n] (n >= 1)");
});

Deno.test(".reset returns to a fresh example machine: devices plugged in and variables' steps are gone", async () => {
  const s = new Session();
  await run(s, `device("ROOT\\\\WIDGET")`);
  assert.equal(s.machine.devices().length, 10);
  assert.equal(await run(s, ".reset"), "Machine reset (example machine)");
  assert.equal(s.machine.devices().length, 9);
  assert.equal(s.steps.length, 0);
  assert.doesNotMatch(await run(s, "!devnode"), /WIDGET/);
  assert.equal(await run(new Session({ empty: true }), ".reset"), "Machine reset (empty machine)");
});

Deno.test(".load <file in scenarios/> runs it from a fresh machine and stays in its final state", async () => {
  const s = new Session();
  const out = await run(s, `.load ${SCENARIO}`);
  assert.match(out, /^Loaded 'The seed page's sample opens the hardware key with KEY_READ/);
  assert.match(out, /All expectations hold$/);
  assert.doesNotMatch(await run(s, "!devnode"), /BUSENUM/, "the scenario boots a bare machine");
  assert.match(
    await run(
      s,
      `reg query "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\ROOT\\SAMPLE\\0\\Device Parameters"`,
    ),
    /Value {4}REG_DWORD {4}0x6d/,
  );
});

Deno.test(".load of a missing file prints the error; .load and .save without a file print the usage", async () => {
  const s = new Session({ empty: true });
  assert.match(await run(s, ".load /nonexistent/x.yaml"), /^NotFound: /);
  assert.equal(await run(s, ".load"), "Usage: .load <scenario.yaml>");
  assert.equal(await run(s, ".save"), "Usage: .save <file.yaml>");
});

Deno.test(".exit asks the front end to end the session", async () => {
  assert.deepEqual(await new Session({ empty: true }).evaluate(".exit"), {
    output: "",
    exit: true,
  });
});

Deno.test("unknown commands print a hint instead of failing", async () => {
  const s = new Session({ empty: true });
  assert.equal(await run(s, ".bogus"), "Unknown command '.bogus' (try .help)");
  assert.equal(await run(s, "!bogus"), "Unknown extension '!bogus' (try .help)");
});

// ---- Nothing typed kills it ----------------------------------------------------------------------

Deno.test("errors never escape evaluate: each prints one line and the session goes on", async () => {
  const s = new Session();
  const cases: [string, RegExp][] = [
    ["throw new Error('boom')", /^Error: boom$/],
    ["null.x", /^TypeError: Cannot read properties of null/],
    ["notDefined + 1", /^ReferenceError: notDefined is not defined$/],
    ["let = = 3", /^SyntaxError: /],
    ["throw 42", /^Uncaught 42$/],
    ["throw { toString() { throw 1; } }", /^Uncaught exception \(it cannot be printed\)$/],
    ["await Promise.reject(new TypeError('async'))", /^TypeError: async$/],
    ["function f(): number { return f(); } f()", /^RangeError: Maximum call stack size exceeded$/],
    [`pdo("NOPE\\\\0")`, /No present device 'NOPE\\0'/],
    ["!devstack NOPE", /No present device 'NOPE'/],
  ];
  for (const [input, expected] of cases) {
    const r = await s.evaluate(input);
    assert.match(r.output, expected, input);
    assert.equal(r.exit, undefined);
  }
  assert.equal(await run(s, "1 + 1"), "2");
});

Deno.test("an endless loop is stopped after the script time limit and the session goes on", async () => {
  const s = new Session({ empty: true, scriptTimeoutMs: 200 });
  assert.match(await run(s, "while (true) {}"), /^Error: Script execution timed out after 200ms$/);
  assert.equal(await run(s, "let i = 0; while (i < 1e5) i++; i"), "100000");
});

// ---- Completion ----------------------------------------------------------------------------------

Deno.test("completion: debugger and meta commands from `!` and `.`", () => {
  const s = new Session({ empty: true });
  assert.deepEqual(s.complete("!dev"), [["!devnode", "!devstack"], "!dev"]);
  assert.deepEqual(s.complete("!an"), [["!analyze"], "!an"]);
  assert.deepEqual(s.complete(".re"), [[".reset", ".reboot"], ".re"]);
  assert.deepEqual(s.complete(".sa"), [[".save"], ".sa"]);
});

Deno.test("completion: kernel routine names after k.", () => {
  const s = new Session({ empty: true });
  assert.deepEqual(s.complete("k.IoRegister"), [
    ["k.IoRegisterDeviceInterface", "k.IoRegisterPlugPlayNotification"],
    "k.IoRegister",
  ]);
  assert.deepEqual(s.complete("const r = k.ZwSetV"), [["k.ZwSetValueKey"], "k.ZwSetV"]);
});

Deno.test("completion: DSL verbs", () => {
  const s = new Session({ empty: true });
  assert.deepEqual(s.complete("dev"), [["device"], "dev"]);
  assert.deepEqual(s.complete("expectB"), [["expectBugCheck"], "expectB"]);
});

Deno.test("completion: WDK constants and NTSTATUS names", () => {
  const s = new Session({ empty: true });
  assert.deepEqual(s.complete("k.KeRaiseIrql(DISP"), [["DISPATCH_LEVEL"], "DISP"]);
  assert.ok(s.complete("PLUGPLAY_REGKEY_")[0].includes("PLUGPLAY_REGKEY_DEVICE"));
  assert.ok(s.complete("STATUS_OBJECT_NAME_")[0].includes("STATUS_OBJECT_NAME_EXISTS"));
});

Deno.test("completion: GUID names", () => {
  const s = new Session({ empty: true });
  assert.deepEqual(s.complete(`listen.interfaces(GUID_DEVINTERFACE_TOA`), [
    ["GUID_DEVINTERFACE_TOASTER"],
    "GUID_DEVINTERFACE_TOA",
  ]);
});

Deno.test("completion: device instance IDs after !devstack / !devnode and inside a quoted string", () => {
  const s = new Session();
  assert.deepEqual(s.complete("!devstack ROOT\\BU"), [["ROOT\\BUSENUM\\0"], "ROOT\\BU"]);
  assert.deepEqual(s.complete("!devnode ACPI\\PNP0C"), [["ACPI\\PNP0C15\\1"], "ACPI\\PNP0C"]);
  // In a string literal the backslashes are escaped as the user must type them.
  assert.deepEqual(s.complete(`pdo("ROOT\\\\TOA`), [["ROOT\\\\TOASTMON\\\\0"], "ROOT\\\\TOA"]);
});

Deno.test("completion: driver names after !drvobj", () => {
  const s = new Session();
  assert.deepEqual(s.complete("!drvobj toa"), [["toaster", "toastmon"], "toa"]);
});

Deno.test("completion: symbolic links inside a quoted string", () => {
  const s = new Session();
  const [candidates, word] = s.complete(`k.IoSetDeviceInterfaceState("\\\\??\\\\ROOT`);
  assert.equal(word, "\\\\??\\\\ROOT");
  assert.deepEqual(candidates, [
    "\\\\??\\\\ROOT#BUSENUM#0#{d35f7840-6a0c-11d2-b841-00c04fad5171}",
  ]);
});

Deno.test("completion: registry paths after reg query and inside a quoted HKLM string", () => {
  const s = new Session();
  assert.deepEqual(s.complete("reg query HK"), [["HKLM\\", "HKEY_LOCAL_MACHINE\\"], "HK"]);
  assert.deepEqual(s.complete("reg query HKLM\\SYSTEM\\CurrentControlSet\\Enum\\RO"), [
    ["HKLM\\SYSTEM\\CurrentControlSet\\Enum\\ROOT"],
    "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\RO",
  ]);
  assert.deepEqual(s.complete(`registry.get("HKLM\\\\SYSTEM\\\\Cu`), [
    ["HKLM\\\\SYSTEM\\\\CurrentControlSet"],
    "HKLM\\\\SYSTEM\\\\Cu",
  ]);
});

// ---- .save round trip ----------------------------------------------------------------------------

Deno.test(".save writes a scenario that replays the session: runScenarioFile and `deno task scenario` pass", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_save_" });
  try {
    const file = `${dir}/session.yaml`;
    const s = new Session();
    const params =
      "HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Enum\\\\PCI\\\\VEN_1234&DEV_5678\\\\0\\\\Device Parameters";
    for (
      const line of [
        `const d = device("PCI\\\\VEN_1234&DEV_5678")`,
        `const i = d.registerInterface("GUID_DEVINTERFACE_DISK").enable()`,
        `i.expectArrival()`,
        `const r = k.IoOpenDeviceRegistryKey(d.pdo, PLUGPLAY_REGKEY_DEVICE, KEY_WRITE)`,
        `const h = r.devInstRegKey`,
        `k.ZwSetValueKey(h, "Color", 0, REG_DWORD, 7)`,
        `k.ZwClose(h)`,
        `registry.expect("${params}", "Color", { type: "REG_DWORD", data: 7 })`,
        `expectInterfaces("GUID_DEVINTERFACE_DISK", 1)`,
      ]
    ) {
      const r = await s.evaluate(line);
      assert.doesNotMatch(r.output, /Error|Step \d+/, `${line}\n${r.output}`);
    }
    assert.equal(await run(s, `k.ZwClose(null)`), "0xC0000008 (STATUS_INVALID_HANDLE)");
    await run(s, `expectStatus("STATUS_INVALID_HANDLE")`);

    const saved = await run(s, `.save ${file}`);
    assert.match(saved, new RegExp(`^Saved \\d+ steps to ${file.replace(/[.\\]/g, "\\$&")}$`));
    const text = await Deno.readTextFile(file);
    assert.match(text, /^# yaml-language-server: \$schema=.*scenarios\/schema\.json\n/);
    assert.match(text, /routine: IoOpenDeviceRegistryKey/);
    // The handle held in a variable is saved as the result field it came from.
    assert.match(text, /routine: ZwSetValueKey\n\s+args:\n\s+- r\d+\.devInstRegKey\n\s+- Color/);
    assert.match(text, /expectState:\n\s+device: d1\n\s+state: Started/);

    const result = await runScenarioFile(file);
    assert.ok(result.passed, result.failures.map((f) => f.message).join("\n"));

    const cli = await new Deno.Command(Deno.execPath(), {
      args: ["task", "scenario", file],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const report = new TextDecoder().decode(cli.stdout);
    assert.equal(cli.code, 0, report + new TextDecoder().decode(cli.stderr));
    assert.match(report, /PASS Saved REPL session/);

    // The saved expectations are real: the same file with another value fails.
    await Deno.writeTextFile(file, text.replace(/data: 7\b/, "data: 8"));
    assert.equal((await runScenarioFile(file)).passed, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(".save after .load keeps the scenario's boot options (a bare machine stays bare)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_save_" });
  try {
    const s = new Session();
    await run(s, `.load ${SCENARIO}`);
    await run(s, `.save ${dir}/again.yaml`);
    const text = await Deno.readTextFile(`${dir}/again.yaml`);
    assert.doesNotMatch(text, /example: true/);
    const result = await runScenarioFile(`${dir}/again.yaml`);
    assert.ok(result.passed, result.failures.map((f) => f.message).join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
