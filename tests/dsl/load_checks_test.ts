/**
 * What `parseScenario` catches before anything runs (README: Scenarios; every problem, with its
 * 1-based line and column, in one pass; a file with any problem yields no scenario). Each test
 * breaks a small scenario on purpose and asserts the exact messages and where they point: at the
 * value that is wrong, not at its step.
 */
import assert from "node:assert/strict";
import { parseScenario } from "../../dsl/yaml.ts";

/** One expected problem: its line (from 1), the text its column points at, and the message. */
type Expected = [line: number, token: string, message: string];

/** Parses the lines and asserts exactly these problems, in this order, and no scenario. */
function assertErrors(lines: string[], expected: Expected[]): void {
  const text = lines.join("\n") + "\n";
  const r = parseScenario(text, "broken.yaml");
  const got = r.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
  const want = expected.map(([line, token, message]) => {
    const column = lines[line - 1]!.indexOf(token) + 1;
    assert.ok(column > 0, `'${token}' is on line ${line}`);
    return `${line}:${column} ${message}`;
  });
  assert.deepEqual(got, want);
  assert.ok(r.errors.every((e) => e.file === "broken.yaml"));
  assert.deepEqual(r.scenarios, [], "a file with problems yields no scenario");
  assert.equal(r.scenario, undefined);
}

/** Parses the lines and asserts that there is no problem. */
function assertClean(lines: string[]): void {
  const r = parseScenario(lines.join("\n") + "\n", "clean.yaml");
  assert.deepEqual(r.errors.map((e) => `${e.line}:${e.column} ${e.message}`), []);
  assert.equal(r.scenarios.length, 1);
}

// ---- 1. GUID names inside list fields ---------------------------------------------------------------

Deno.test("a misspelt GUID name inside a list field is a load error at the item, like a single GUID field", () => {
  assertErrors([
    "title: GUID lists", // 1
    "steps:", // 2
    "  - driver: { name: d, interfaces: [GUID_DEVINTERFACE_DISK, GUID_DEVINTERFACE_TOASTR] }", // 3
    "  - driver: { name: w, watchInterfaces: GUID_DEVINTERFACE_DSK }", // 4
    "  - driver: { name: c, classGuid: GUID_DEVCLASS_SYSTM, watchInterfaces: [7] }", // 5
  ], [
    [
      3,
      "GUID_DEVINTERFACE_TOASTR",
      "Unknown GUID name 'GUID_DEVINTERFACE_TOASTR' in 'driver.interfaces' " +
      "(did you mean 'GUID_DEVINTERFACE_TOASTER'?)",
    ],
    [
      4,
      "GUID_DEVINTERFACE_DSK",
      "Unknown GUID name 'GUID_DEVINTERFACE_DSK' in 'driver.watchInterfaces' " +
      "(did you mean 'GUID_DEVINTERFACE_DISK'?)",
    ],
    [
      5,
      "GUID_DEVCLASS_SYSTM",
      "Unknown GUID name 'GUID_DEVCLASS_SYSTM' in 'driver.classGuid' " +
      "(did you mean 'GUID_DEVCLASS_SYSTEM'?)",
    ],
    [5, "[7]", "'driver.watchInterfaces' must be a list of GUIDs or GUID names"],
  ]);
});

// ---- 2. Names from the model's own tables -----------------------------------------------------------

Deno.test("IRP names, PnP states and problem names are checked against lib/constants.ts and DevNodeState", () => {
  assertErrors([
    "title: Tables", // 1
    "steps:", // 2
    "  - plugIn: { id: t1, hardwareId: ROOT\\X }", // 3
    "  - expectIrps: { device: t1, irps: [QUERY_ID, START_DEVIC, IRP_MJ_CREAT] }", // 4
    "  - expectState: { device: t1, state: SurpriseRemovd, problem: CM_PROB_FAILD_START }", // 5
    "  - expectState: { device: t1, state: Started, status: [DN_STARTD] }", // 6
  ], [
    [
      4,
      "START_DEVIC",
      "Unknown IRP 'START_DEVIC' in 'expectIrps.irps' (did you mean 'START_DEVICE'?)",
    ],
    [
      4,
      "IRP_MJ_CREAT",
      "Unknown IRP 'IRP_MJ_CREAT' in 'expectIrps.irps' (did you mean 'IRP_MJ_CREATE'?)",
    ],
    [
      5,
      "SurpriseRemovd",
      "Unknown PnP state 'SurpriseRemovd' in 'expectState.state' (did you mean 'SurpriseRemoved'?)",
    ],
    [
      5,
      "CM_PROB_FAILD_START",
      "Unknown problem 'CM_PROB_FAILD_START' in 'expectState.problem' " +
      "(did you mean 'CM_PROB_FAILED_START'?)",
    ],
    [
      6,
      "DN_STARTD",
      "Unknown devnode status flag 'DN_STARTD' in 'expectState.status' (did you mean 'DN_STARTED'?)",
    ],
  ]);
});

Deno.test("routine, event, DBT message, status, verifier rule, IOCTL and property key names are checked at load time", () => {
  assertErrors([
    "title: More tables", // 1
    "steps:", // 2
    "  - call: { routine: ZwOpenKy, args: [KEY_READ, \\Registry\\Machine\\SOFTWARE] }", // 3
    "  - listen: { id: mon, interfaces: GUID_DEVINTERFACE_DISK }", // 4
    "  - expectNotifications: { listener: mon, events: [ARRIVAL, QUERY_REMOV] }", // 5
    "  - app: explorer", // 6
    "  - expectMessages: { app: explorer, messages: [DBT_DEVICEARIVAL] }", // 7
    "  - expectStatus: STATUS_ACCES_DENIED", // 8
    "  - expectFinding: PnpRemov", // 9
    "  - driver: { name: d, misbehave: [loseIrq] }", // 10
    "  - expectProperty: { device: nobody, key: DEVPKEY_Device_FriendlName }", // 11
  ], [
    [
      3,
      "ZwOpenKy",
      "Unknown kernel routine 'ZwOpenKy' in 'call.routine' (did you mean 'ZwOpenKey'?)",
    ],
    [
      5,
      "QUERY_REMOV",
      "Unknown notification event 'QUERY_REMOV' in 'expectNotifications.events' " +
      "(did you mean 'QUERY_REMOVE'?)",
    ],
    [
      7,
      "DBT_DEVICEARIVAL",
      "Unknown DBT message 'DBT_DEVICEARIVAL' in 'expectMessages.messages' " +
      "(did you mean 'DBT_DEVICEARRIVAL'?)",
    ],
    [
      8,
      "STATUS_ACCES_DENIED",
      "Unknown status 'STATUS_ACCES_DENIED' in 'expectStatus.status' " +
      "(did you mean 'STATUS_ACCESS_DENIED'?)",
    ],
    [
      9,
      "PnpRemov",
      "Unknown verifier rule 'PnpRemov' in 'expectFinding.rule' (did you mean 'PnpRemove'?)",
    ],
    [
      10,
      "loseIrq",
      "Unknown misbehaviour 'loseIrq' in 'driver.misbehave' (did you mean 'loseIrp'?)",
    ],
    [11, "nobody", "Unknown device 'nobody' (no earlier step defines one)"],
    [
      11,
      "DEVPKEY_Device_FriendlName",
      "Unknown property key 'DEVPKEY_Device_FriendlName' in 'expectProperty.key' " +
      "(did you mean 'DEVPKEY_Device_FriendlyName'?)",
    ],
  ]);
});

Deno.test("an I/O control code is a known IOCTL_ name or a number; a driver's deviceParameters name registry types", () => {
  assertErrors([
    "title: Codes and types", // 1
    "steps:", // 2
    "  - plugIn: { id: t1, hardwareId: ROOT\\X }", // 3
    "  - registerInterface: { device: t1, guid: GUID_DEVINTERFACE_DISK, id: disk }", // 4
    "  - open: { interface: disk, id: h }", // 5
    "  - deviceIoControl: { handle: h, code: IOCTL_TOASTER_DONT_DISPLAY_IN_UI }", // 6
    "  - deviceIoControl: { handle: h, code: 0x222003 }", // 7
    "  - deviceIoControl: { handle: h, code: '0x222003' }", // 8
    "  - driver: { name: d, deviceParameters: { Speed: { type: REG_DWROD, data: 3 }, Mode: 1 } }", // 9
  ], [
    [
      6,
      "IOCTL_TOASTER_DONT_DISPLAY_IN_UI",
      "Unknown I/O control code 'IOCTL_TOASTER_DONT_DISPLAY_IN_UI' in 'deviceIoControl.code' " +
      "(did you mean 'IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE'?)",
    ],
    [
      9,
      "REG_DWROD",
      "Unknown registry type 'REG_DWROD' in 'driver.deviceParameters.Speed.type' " +
      "(did you mean 'REG_DWORD'?)",
    ],
    [9, "1 }", "'driver.deviceParameters.Mode' must be { type, data }"],
  ]);
});

// ---- 3. Names no earlier step defines --------------------------------------------------------------

Deno.test("a device, interface, listener, handle, result or application no earlier step defines is a load error", () => {
  assertErrors([
    "title: References", // 1
    "steps:", // 2
    "  - plugIn: { id: t1, hardwareId: ROOT\\X }", // 3
    "  - unplug: t2", // 4
    "  - registerInterface: { device: t1, guid: GUID_DEVINTERFACE_DISK, id: port }", // 5
    "  - enable: prot", // 6
    "  - listen: { id: mon, target: t3 }", // 7
    "  - expectNoMore: mn", // 8
    "  - open: { interface: port, id: h }", // 9
    "  - close: h1", // 10
    "  - call: { routine: IoGetDeviceInterfaceAlias, args: [port, GUID_DEVINTERFACE_VOLUME], id: a }", // 11
    "  - expectResult: { result: b.aliasSymbolicLinkName, exists: false }", // 12
    "  - expectMessages: { app: explorer, messages: [] }", // 13
    "  - plugIn: { id: late, hardwareId: ROOT\\Y }", // 14
  ], [
    [4, "t2", "Unknown device 't2' (defined so far: t1)"],
    [6, "prot", "Unknown interface 'prot' (defined so far: port)"],
    [7, "t3", "Unknown device or interface 't3' (defined so far: t1, port)"],
    [8, "mn", "Unknown listener 'mn' (defined so far: mon)"],
    [10, "h1", "Unknown handle 'h1' (defined so far: h)"],
    [12, "b.alias", "Unknown result 'b' (defined so far: a)"],
    // open without `app` opens as the application 'app'.
    [13, "explorer", "Unknown application 'explorer' (defined so far: app)"],
  ]);
});

Deno.test("names the runner gives without an id: plugIn's hardware ID, open's interface and 'app', a name step on the example machine", () => {
  assertClean([
    "title: Implicit names",
    "boot: { example: true }",
    "steps:",
    "  - name: { id: bus, instance: ROOT\\BUSENUM\\0 }",
    "  - plugIn: { parent: bus, hardwareId: ROOT\\WIDGET }",
    "  - expectState: { device: ROOT\\WIDGET, state: Started }",
    "  - registerInterface: { device: ROOT\\WIDGET, guid: GUID_DEVINTERFACE_DISK, id: port }",
    "  - open: port",
    "  - close: port",
    "  - expectMessages: { app: app, messages: [] }",
    // Interfaces registered without an id are named by their symbolic link: not checked.
    "  - enable: \\??\\ROOT#WIDGET#0000#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}",
  ]);
});

Deno.test("a misspelt or malformed step that defines a name does not make its later uses errors too", () => {
  assertErrors([
    "title: One mistake, one error", // 1
    "steps:", // 2
    "  - plugin: { id: dev, hardwareId: ROOT\\X }", // 3
    "  - unplug: dev", // 4
    "  - listen: { id: mon, profiles: true }", // 5
    "    unlisten: mon", // 6
    "  - expectNoMore: mon", // 7
    "  - listen: { id: twice, profiles: true }", // 8
    "  - listen: { id: twice, profiles: true }", // 9
  ], [
    [3, "plugin", "Unknown step 'plugin' (did you mean 'plugIn'?)"],
    [
      5,
      "listen",
      "Each step is a map with one key, the step name (e.g. '- plugIn: {hardwareId: ...}')",
    ],
    [9, "twice", "A listener named 'twice' exists already"],
  ]);
});

// ---- 4. Constant names in call arguments ----------------------------------------------------------

Deno.test("an unquoted ALL_CAPS argument that is no constant, GUID name, status or defined name is a load error", () => {
  assertErrors([
    "title: Constants", // 1
    "steps:", // 2
    "  - plugIn: { id: dev, hardwareId: ROOT\\X }", // 3
    "  - call: { routine: IoOpenDeviceRegistryKey, args: [dev, PLUGPLAY_REGKEY_DEVICE, KEY_RAED], id: k }", // 4
    "  - call: { routine: ZwClose, args: [kk.devInstRegKey] }", // 5
    "  - call: { routine: ZwOpenKey, args: [KEY_READ, \\Registry\\Machine\\SOFTWARE, MY_FLAG_X] }", // 6
    "  - expectResult: { result: k.status, data: STATUS_SUCESS }", // 7
  ], [
    [4, "KEY_RAED", "Unknown constant 'KEY_RAED' in 'call.args' (did you mean 'KEY_READ'?)"],
    [5, "kk.", "Unknown result 'kk' in 'call.args' (did you mean 'k'?)"],
    [
      6,
      "MY_FLAG_X",
      "Unknown constant 'MY_FLAG_X' in 'call.args' (quote it to pass the text itself)",
    ],
    [
      7,
      "STATUS_SUCESS",
      "Unknown constant 'STATUS_SUCESS' in 'expectResult.data' (did you mean 'STATUS_SUCCESS'?)",
    ],
  ]);
  // Known constants, statuses, GUID names and defined ids pass; quoted text is text.
  assertClean([
    "title: Constants that exist",
    "steps:",
    "  - plugIn: { id: DEV_ONE, hardwareId: ROOT\\X }",
    "  - call: { routine: IoOpenDeviceRegistryKey, args: [DEV_ONE, PLUGPLAY_REGKEY_DEVICE, KEY_READ], id: k }",
    "  - call: { routine: ZwSetValueKey, args: [k.devInstRegKey, 'MY_VALUE_NAME', 0, REG_DWORD, 1] }",
    "  - call: { routine: IoGetDeviceInterfaces, args: [GUID_DEVINTERFACE_DISK, null, 0] }",
    "  - expectResult: { result: k.status, data: STATUS_SUCCESS }",
  ]);
});

// ---- 5. Numbers where an ID is a string ------------------------------------------------------------

Deno.test("a YAML number in an ID-like string field is an error that says how to quote it; data fields keep numbers", () => {
  assertErrors([
    "title: Numbers", // 1
    "steps:", // 2
    "  - plugIn: { id: t1, hardwareId: ROOT\\X, instanceId: 1 }", // 3
    "  - plugIn: { id: t2, hardwareId: ROOT\\X, instanceId: 01 }", // 4
    "  - changeProfile: 2", // 5
  ], [
    [3, "1 }", "'plugIn.instanceId' must be a string; quote it: \"1\""],
    [4, "01 }", "'plugIn.instanceId' must be a string; quote it: \"01\""],
    [5, "2", "'changeProfile.profile' must be a string; quote it: \"2\""],
  ]);
  assertClean([
    "title: Numbers where numbers belong",
    "steps:",
    "  - plugIn: { id: t1, hardwareId: ROOT\\X, instanceId: '1' }",
    "  - setValue: { path: HKLM\\SOFTWARE\\X, name: v, type: REG_DWORD, data: 1 }",
    "  - expectRegistry: { path: HKLM\\SOFTWARE\\X, name: v, data: 1 }",
    "  - expectBugCheck: 0xCA",
  ]);
});

// ---- 6. Every problem in one pass ------------------------------------------------------------------

Deno.test("every problem of a file is reported in one pass, in file order, syntax errors included", () => {
  assertErrors([
    "title: Five mistakes", // 1
    "steps:", // 2
    "  - driver: { name: toaster, interfaces: [GUID_DEVINTERFACE_TOASTR] }", // 3
    "  - plugIn: { id: t1, hardwareId: ROOT\\X, id: t1b }", // 4
    "  - expectIrps: { device: t1, irps: [START_DEVIC] }", // 5
    "  - call: { routine: ZwOpenKy, args: [KEY_RAED] }", // 6
    "  - expectState: { device: t2, state: Started }", // 7
  ], [
    [
      3,
      "GUID_DEVINTERFACE_TOASTR",
      "Unknown GUID name 'GUID_DEVINTERFACE_TOASTR' in 'driver.interfaces' " +
      "(did you mean 'GUID_DEVINTERFACE_TOASTER'?)",
    ],
    [4, "id: t1b", "Map keys must be unique"],
    [
      5,
      "START_DEVIC",
      "Unknown IRP 'START_DEVIC' in 'expectIrps.irps' (did you mean 'START_DEVICE'?)",
    ],
    [
      6,
      "ZwOpenKy",
      "Unknown kernel routine 'ZwOpenKy' in 'call.routine' (did you mean 'ZwOpenKey'?)",
    ],
    [6, "KEY_RAED", "Unknown constant 'KEY_RAED' in 'call.args' (did you mean 'KEY_READ'?)"],
    // The duplicated id names the device either way (the later one, as yaml reads it).
    [7, "t2", "Unknown device 't2' (defined so far: t1b)"],
  ]);
});
