/**
 * The REPL without a terminal: each test drives `Session.evaluate` (one input, the printed output)
 * or `Session.complete` (the Tab candidates) and names the REPL behaviour it checks. The commands
 * follow WinDbg (`!devnode`, `!devstack`, `!drvobj`, `!irp`, `!analyze`) and reg.exe (`reg query`).
 */
import assert from "node:assert/strict";
import { scenarioProblem, Session } from "../../dsl/session.ts";
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
    /boot safeMode=true/,
  );
  assert.match((await firstEvent(new Session({ empty: true })))!, /boot safeMode=false/);
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

Deno.test("Events at the prompt: KEVENT is in scope; KeSetEvent's previous state prints as a number, KeWaitForSingleObject's result as an NTSTATUS (KeSetEvent returns LONG; KeWaitForSingleObject returns NTSTATUS)", async () => {
  const s = new Session({ empty: true });
  await run(s, "const e = new KEVENT()");
  await run(s, "k.KeInitializeEvent(e, SynchronizationEvent, false)");
  assert.equal(
    await run(s, "k.KeWaitForSingleObject(e, Executive, KernelMode, false, 0)"),
    "0x00000102 (STATUS_TIMEOUT)",
  );
  assert.equal(await run(s, "k.KeSetEvent(e, 0, false)"), "0");
  assert.equal(
    await run(s, "k.KeWaitForSingleObject(e, Executive, KernelMode, false, 0)"),
    "0x00000000 (STATUS_SUCCESS)",
  );
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
  assert.equal(await run(new Session(), "!irp zero"), "Usage: !irp [n | #id] (n >= 1)");
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
  assert.equal(await run(s, "reg query"), "Usage: reg query <path> [/s] [/v name | /ve]");
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

Deno.test("!devstack takes a device object name as !devstack prints them (\\Device\\00000002, #6) and marks that device with >, as WinDbg does", async () => {
  const s = new Session();
  const stack = (await run(s, `!devstack ${TOASTER_1}`)).split("\n").slice(1, 4);
  const names = stack.map((l) => l.slice(2).split(/\s+/)[0]!);
  assert.equal(names.length, 3);
  for (const [i, name] of names.entries()) {
    const out = await run(s, `!devstack ${name}`);
    assert.match(out, new RegExp(`DeviceInst is "${TOASTER_1.replace(/[\\{}&]/g, "\\$&")}"`));
    const rows = out.split("\n").slice(1, 4);
    assert.deepEqual(rows.map((r) => r.startsWith(">")), [0, 1, 2].map((j) => j === i), out);
  }
  // pdo() takes them too and gives the stack's PDO.
  assert.equal(
    await run(
      s,
      `pdo("${names[0]!.replace(/\\/g, "\\\\")}") === pdo("${names[2]!.replace(/\\/g, "\\\\")}")`,
    ),
    "true",
  );
});

Deno.test("!devstack and !drvobj say plainly when nothing has that name (no TypeError prefix)", async () => {
  const s = new Session();
  assert.equal(await run(s, "!devstack NOPE"), "No present device 'NOPE' (try !devnode)");
  assert.equal(
    await run(s, "!devstack \\Device\\99999999"),
    "No present device '\\Device\\99999999' (try !devnode)",
  );
  assert.equal(await run(s, "!drvobj \\Driver\\nope"), "No driver '\\Driver\\nope'");
});

Deno.test("!drvobj takes every driver name !devstack prints, \\Driver\\PnpManager (the root enumerator's PDOs) included", async () => {
  const s = new Session();
  const drivers = new Set<string>();
  for (const instance of s.machine.devices()) {
    for (const m of (await run(s, `!devstack ${instance}`)).matchAll(/(\\Driver\\\S+)/g)) {
      drivers.add(m[1]!);
    }
  }
  assert.ok(drivers.has("\\Driver\\PnpManager"), [...drivers].join());
  for (const d of drivers) {
    assert.match(
      await run(s, `!drvobj ${d}`),
      new RegExp(`^Driver object \\(${d.replace(/\\/g, "\\\\")}\\) is for:`),
      d,
    );
  }
  assert.match(await run(s, "!drvobj \\Driver\\PnpManager"), /\(PDO, ROOT\\BUSENUM\\0\)/);
});

Deno.test("!irp #id prints that one IRP as the list prints it; !irp n stays the last n; an unknown id says which there are", async () => {
  const s = new Session();
  const blocks = (await run(s, "!irp 3")).split(/\n(?=Irp #)/);
  assert.equal(blocks.length, 3);
  for (const block of blocks) {
    const id = /^Irp #(\d+) /.exec(block)![1];
    assert.equal(await run(s, `!irp #${id}`), block);
  }
  assert.match(
    await run(s, "!irp #999999"),
    /^No IRP #999999 in the trace \(the IRPs are #\d+ to #\d+\)$/,
  );
  assert.match(await run(s, ".help"), /!irp \[n \| #id\]/);
});

Deno.test("!devnode 0 1 (WinDbg's whole-tree form) prints the whole tree; a flags argument after an instance ID is ignored", async () => {
  const s = new Session();
  assert.equal(await run(s, "!devnode 0 1"), await run(s, "!devnode"));
  assert.equal(
    await run(s, "!devnode ROOT\\BUSENUM\\0 1"),
    await run(s, "!devnode ROOT\\BUSENUM\\0"),
  );
});

Deno.test("reg query <path> /v <name> prints that one value as reg.exe does (Wine's reg query tests); a missing one prints reg.exe's error", async () => {
  const s = new Session();
  const key = "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\ROOT\\BUSENUM\\0";
  assert.equal(
    await run(s, `reg query ${key} /v service`),
    "\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Enum\\ROOT\\BUSENUM\\0\n    Service    REG_SZ    busenum",
  );
  assert.equal(
    await run(s, `reg query "${key}" /v "Service"`),
    await run(s, `reg query ${key} /v Service`),
  );
  assert.equal(
    await run(s, `reg query ${key} /v Nope`),
    "ERROR: The system was unable to find the specified registry key or value.",
  );
  // With /s: every key below that holds the value, then the count.
  const deep = await run(s, "reg query HKLM\\SYSTEM\\CurrentControlSet\\Enum\\ROOT /v Service /s");
  assert.match(deep, /\n {4}Service {4}REG_SZ {4}busenum\n\n/);
  assert.match(deep, /\nEnd of search: \d+ match\(es\) found\.$/);
  assert.equal(await run(s, `reg query ${key} /v`), "Usage: reg query <path> [/s] [/v name | /ve]");
});

Deno.test("a reg command reg.exe has not, or a misspelt one, gets a did-you-mean instead of a JavaScript error", async () => {
  const s = new Session();
  assert.equal(
    await run(s, "reg qury HKLM"),
    "Unknown reg command 'qury' (did you mean 'reg query'?)",
  );
  assert.equal(
    await run(s, "reg"),
    "Unknown reg command '(none)' (one of: reg query, reg add, reg delete, reg export, reg import)",
  );
  // A variable named reg is still TypeScript.
  assert.equal(await run(s, "const reg = 4; reg + 1"), "5");
  assert.equal(await run(s, "reg + 1"), "5");
});

Deno.test("a misspelt !command or .command gets a did-you-mean", async () => {
  const s = new Session({ empty: true });
  assert.equal(await run(s, "!devnod"), "Unknown extension '!devnod' (did you mean '!devnode'?)");
  assert.equal(await run(s, "!drvob"), "Unknown extension '!drvob' (did you mean '!drvobj'?)");
  assert.equal(await run(s, ".hepl"), "Unknown command '.hepl' (did you mean '.help'?)");
  assert.equal(await run(s, ".rebot"), "Unknown command '.rebot' (did you mean '.reboot'?)");
});

Deno.test("completion: device object names after !devstack \\ or #, and \\Driver\\ names after !drvobj", () => {
  const s = new Session();
  assert.ok(s.complete("!devstack \\Device\\")[0].length > 3);
  assert.ok(s.complete("!devstack #")[0].every((n) => /^#\d+$/.test(n)));
  assert.deepEqual(s.complete("!drvobj \\Driver\\Pnp"), [
    ["\\Driver\\PnpManager"],
    "\\Driver\\Pnp",
  ]);
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

Deno.test("after a bug check, TypeScript that does not touch the machine prints its value, and the machine can still be read", async () => {
  const s = new Session({ empty: true });
  assert.match(
    await run(s, 'machine.plugIn({ hardwareIds: ["ROOT\\\\A,B"], rawDeviceOk: true })'),
    /^A problem has been detected/,
  );
  assert.equal(await run(s, "1+1"), "2");
  assert.equal(await run(s, "'stop'.toUpperCase()"), "'STOP'");
  assert.equal(await run(s, "machine.halted"), "true");
  assert.match(await run(s, "!devnode"), /^DevNode HTREE\\ROOT\\0/);
  assert.match(await run(s, "!analyze"), /PNP_DETECTED_FATAL_ERROR \(ca\)/);
});

Deno.test("after a bug check, a kernel call, a machine verb or a DSL verb prints one line saying the machine is stopped, not the blue screen again", async () => {
  const s = new Session();
  await run(s, "k.KeRaiseIrql(DISPATCH_LEVEL)");
  assert.match(await run(s, "k.ZwClose(null)"), /^A problem has been detected/);
  const line =
    "The machine is stopped (0x000000C4 DRIVER_VERIFIER_DETECTED_VIOLATION): .reboot, .reboot safe or .reset";
  for (
    const input of [
      "k.ZwClose(null)",
      `machine.requestRemoval(pdo("ROOT\\\\BUSENUM\\\\0"))`,
      "machine.settle()",
      `device("ROOT\\\\WIDGET")`,
    ]
  ) {
    assert.equal(await run(s, input), line, input);
  }
  assert.equal(await run(s, ".reboot"), "Rebooted");
  assert.equal(await run(s, "k.ZwClose(null)"), "0xC0000008 (STATUS_INVALID_HANDLE)");
});

Deno.test("a stop caused by hardware that is still plugged in: the one-line message says a reboot stops again until it is pulled", async () => {
  const s = new Session({ empty: true });
  await run(s, 'machine.plugIn({ hardwareIds: ["ROOT\\\\A,B"], rawDeviceOk: true })');
  assert.equal(
    await run(s, "machine.settle()"),
    "The machine is stopped (0x000000CA PNP_DETECTED_FATAL_ERROR): .reboot, .reboot safe or .reset; a reboot stops again until machine.unplug(machine.bugCheck.device)",
  );
  // A reboot typed as code that stops again is a new stop: the whole screen.
  assert.match(
    await run(s, "machine.reboot()"),
    /^A problem has been detected[\s\S]*PNP_DETECTED_FATAL_ERROR/,
  );
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
  assert.equal(
    await run(s, ".load /nonexistent/x.yaml"),
    "Cannot read '/nonexistent/x.yaml': no such file",
  );
  assert.equal(await run(s, ".load"), "Usage: .load <scenario.yaml>[#n]");
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

Deno.test(".load and .save say in one plain line why a file cannot be read or written", async () => {
  const s = new Session({ empty: true });
  assert.equal(await run(s, ".load missing.yaml"), "Cannot read 'missing.yaml': no such file");
  assert.equal(
    await run(s, ".save /nonexistent/dir/x.yaml"),
    "Cannot write '/nonexistent/dir/x.yaml': no such folder",
  );
  const dir = await Deno.makeTempDir({ prefix: "pnplab_load_" });
  try {
    assert.equal(await run(s, `.load ${dir}`), `Cannot read '${dir}': it is a folder`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scenarioProblem (the REPL's --scenario check): a missing file, a bad #n, or nothing wrong", async () => {
  assert.equal(
    scenarioProblem("/nonexistent.yaml"),
    "Cannot read '/nonexistent.yaml': no such file",
  );
  assert.equal(scenarioProblem(SCENARIO), undefined);
  assert.match(scenarioProblem(`${SCENARIO}#2`)!, /holds 1 scenario: #2 is not one of #1 to #1$/);
  const dir = await Deno.makeTempDir({ prefix: "pnplab_load_" });
  try {
    await Deno.writeTextFile(`${dir}/bad.yaml`, "title: t\nsteps:\n  - plugin: X\n");
    assert.match(scenarioProblem(`${dir}/bad.yaml`)!, /bad\.yaml:3:\d+: .*did you mean 'plugIn'/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(".load of a file with several scenarios runs the first and lists the others; .load file.yaml#2 runs the second", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_load_" });
  try {
    const file = `${dir}/three.yaml`;
    await Deno.writeTextFile(
      file,
      `scenarios:
  - title: First
    steps:
      - plugIn: { hardwareId: "ROOT\\\\ONE", id: one }
  - title: Second
    steps:
      - plugIn: { hardwareId: "ROOT\\\\TWO", id: two }
      - expectState: { device: two, state: Started }
  - title: Third
    steps: []
`,
    );
    const s = new Session();
    assert.equal(
      await run(s, `.load ${file}`),
      [
        "Loaded 'First' (1 step; scenario 1 of 3)",
        "All expectations hold",
        `The file holds 2 more (.load ${file}#n loads one):`,
        "  #2 Second",
        "  #3 Third",
      ].join("\n"),
    );
    assert.match(await run(s, "!devnode"), /ROOT\\ONE\\0/);
    const second = await run(s, `.load ${file}#2`);
    assert.match(second, /^Loaded 'Second' \(2 steps; scenario 2 of 3\)\nAll expectations hold\n/);
    assert.match(second, /\n {2}#1 First\n {2}#3 Third$/);
    const tree = await run(s, "!devnode");
    assert.match(tree, /ROOT\\TWO\\0/);
    assert.doesNotMatch(tree, /ROOT\\ONE/);
    assert.equal(
      await run(s, `.load ${file}#4`),
      `'${file}' holds 3 scenarios: #4 is not one of #1 to #3`,
    );
    // .save after .load file#2 replays that scenario.
    await run(s, `.load ${file}#2`);
    await run(s, `.save ${dir}/again.yaml`);
    const result = await runScenarioFile(`${dir}/again.yaml`);
    assert.ok(result.passed, result.failures.map((f) => f.message).join("\n"));
    assert.match(await Deno.readTextFile(`${dir}/again.yaml`), /ROOT\\TWO/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
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
  assert.deepEqual(s.complete(".re"), [[".reset", ".reboot", ".reload"], ".re"]);
  assert.deepEqual(s.complete(".sa"), [[".save"], ".sa"]);
});

Deno.test("completion: kernel routine names after k.", () => {
  const s = new Session({ empty: true });
  assert.deepEqual(s.complete("k.IoRegister"), [
    [
      "k.IoRegisterDeviceInterface",
      "k.IoRegisterPlugPlayNotification",
      "k.IoRegisterShutdownNotification",
    ],
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

Deno.test(".save records machine verbs typed as machine.*(...) as the equivalent steps; the saved file replays and passes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_save_" });
  try {
    const file = `${dir}/verbs.yaml`;
    const s = new Session();
    for (
      const [line, expected] of [
        [`const t = pdo("${TOASTER_1.replace(/\\/g, "\\\\")}")`, ""],
        ["machine.requestRemoval(t)", "0x00000000 (STATUS_SUCCESS)"],
        [`machine.unplug(pdo("ROOT\\\\TOASTMON\\\\0"))`, ""],
        // No loaded driver lists this ID: it stays without one, in the session and the replay.
        [`const w = machine.plugIn("ROOT\\\\WIDGET")`, ""],
        [`const d = device("PCI\\\\VEN_1234&DEV_5678")`, ""],
        ["machine.eject(d.pdo)", "0x00000000 (STATUS_SUCCESS)"],
        [`machine.registry.setValue("HKLM\\\\SOFTWARE\\\\Lab", "Answer", REG_DWORD, 42)`, ""],
      ] as const
    ) {
      assert.equal(await run(s, line), expected, line);
    }
    assert.match(await run(s, "!devnode ROOT\\WIDGET\\0"), /CM_PROB_FAILED_INSTALL/);
    assert.match(await run(s, `.save ${file}`), /^Saved \d+ steps to .*verbs\.yaml$/);
    const text = await Deno.readTextFile(file);
    assert.match(text, /- requestRemoval: dev\d+\n/);
    assert.match(text, /- unplug: dev\d+\n/);
    assert.match(text, /- plugIn:\n\s+hardwareId: ROOT\\WIDGET\n\s+driver: \(none\)\n/);
    assert.match(text, /- eject: d\d+\n/);
    assert.match(
      text,
      /- setValue:\n\s+path: HKLM\\SOFTWARE\\Lab\n\s+name: Answer\n\s+type: REG_DWORD\n\s+data: 42\n/,
    );
    assert.match(text, /state: Enumerated/);
    const result = await runScenarioFile(file);
    assert.ok(result.passed, result.failures.map((f) => f.message).join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(".save says which inputs it left out when a call has no step form", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_save_" });
  try {
    const s = new Session({ empty: true });
    await run(s, `machine.loadDriver({ name: "handmade" })`);
    await run(s, `machine.plugIn("ROOT\\\\KEPT")`);
    assert.equal(
      await run(s, `.save ${dir}/x.yaml`),
      [
        `Saved 1 step to ${dir}/x.yaml`,
        "Left out 1 call that no step can replay:",
        "  machine.loadDriver: a driver spec's routines have no step form (driver({ name, ... }) declares one)",
        `    in: machine.loadDriver({ name: "handmade" })`,
      ].join("\n"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(".save records machine.loadDriver of a bundled driver as the sampleDriver step; the saved file replays and passes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_save_" });
  try {
    const file = `${dir}/sample.yaml`;
    const s = new Session({ empty: true });
    await run(s, `machine.loadDriver(sampleDrivers.statbus)`);
    await run(
      s,
      `machine.plugIn({ hardwareIds: ["root\\\\statbus"], deviceId: "ROOT\\\\STATBUS" })`,
    );
    assert.match(await run(s, `.save ${file}`), /^Saved \d+ steps to .*sample\.yaml$/);
    const text = await Deno.readTextFile(file);
    assert.match(text, /- sampleDriver: statbus\n/);
    const result = await runScenarioFile(file);
    assert.ok(result.passed, result.failures.map((f) => f.message).join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(".save after a bug check writes expectBugCheck after the step that caused it, so the file replays and passes (unplug and reboot included)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab_save_" });
  try {
    for (
      const [boot, lines] of [
        [{ empty: true }, [
          'machine.plugIn({ hardwareIds: ["ROOT\\\\A,B"], rawDeviceOk: true })',
          "machine.unplug(machine.bugCheck.device)",
          ".reboot",
        ]],
        [{}, ["k.KeRaiseIrql(DISPATCH_LEVEL)", "k.ZwClose(null)"]],
        [{ empty: true }, [`device({ hardwareIds: ["ROOT\\\\A,B"], rawDeviceOk: true })`]],
      ] as const
    ) {
      const s = new Session(boot);
      for (const line of lines) await run(s, line);
      const file = `${dir}/stopped.yaml`;
      await run(s, `.save ${file}`);
      const text = await Deno.readTextFile(file);
      assert.match(text, /- expectBugCheck:\n\s+code: 0x(ca|c4)\n/, text);
      const result = await runScenarioFile(file);
      assert.ok(
        result.passed,
        `${lines.join("; ")}\n${text}\n` + result.failures.map((f) => f.message).join("\n"),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a device builder's requestRemoval() prints the status as machine.requestRemoval does, and still chains", async () => {
  const s = new Session({ empty: true });
  await run(s, `const t = device("ROOT\\\\WIDGET")`);
  assert.equal(await run(s, "t.requestRemoval()"), "0x00000000 (STATUS_SUCCESS)");
  assert.equal(await run(s, `const u = device("ROOT\\\\OTHER")`), "");
  assert.equal(await run(s, "u.requestRemoval().expectState('Removed')"), "");
  assert.equal(await run(s, "u.restart()"), "");
});

Deno.test("a device object or driver object typed at the prompt prints as one line (DEVICE_OBJECT, DRIVER_OBJECT), not its fields", async () => {
  const s = new Session();
  assert.equal(
    await run(s, 'machine.device("ROOT\\\\BUSENUM\\\\0")'),
    "DEVICE_OBJECT \\Device\\00000001 (PDO PnpManager)",
  );
  assert.equal(
    await run(s, 'machine.device("ROOT\\\\BUSENUM\\\\0").DriverObject'),
    "DRIVER_OBJECT \\Driver\\PnpManager",
  );
});
