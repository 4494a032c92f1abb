/**
 * Hardware profiles and docking (docs/profiles-runonce.md#profile-change: query, then complete or
 * cancel; IDConfigDB and the `Hardware Profiles\Current` link) and RunOnce
 * (docs/profiles-runonce.md#runonce-entries, "RunOnce registry key" and the Win32
 * "Run and RunOnce Registry Keys": `!` defers deletion until success, `*` runs in safe mode;
 * entries run right after a device install as well as at boot).
 */
import assert from "node:assert/strict";
import {
  boot,
  EventCategoryHardwareProfileChange,
  exampleMachine,
  GUID_DEVINTERFACE_NET,
  GUID_HWPROFILE_CHANGE_CANCELLED,
  GUID_HWPROFILE_CHANGE_COMPLETE,
  GUID_HWPROFILE_QUERY_CHANGE,
  type Machine,
  type NotificationStructure,
  REG_DWORD,
  REG_SZ,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../../mod.ts";
import { assertStatus, CCS, functionDriver } from "./_helpers.ts";

const PROFILES = `${CCS}\\Hardware Profiles`;
const ID_CONFIG_DB = `${CCS}\\Control\\IDConfigDB`;
const RUNONCE = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce";

/** Registers a kernel hardware-profile listener; returns the events it saw. */
function profileListener(m: Machine, answer: (event: string) => number = () => STATUS_SUCCESS) {
  const events: string[] = [];
  const driver = m.loadDriver({ name: "profilewatch" });
  const r = m.kernel.IoRegisterPlugPlayNotification(
    EventCategoryHardwareProfileChange,
    0,
    null,
    driver,
    (n: NotificationStructure) => {
      events.push(n.Event);
      return answer(n.Event);
    },
    null,
  );
  assertStatus(r.status, STATUS_SUCCESS);
  return events;
}

// ---- Hardware profiles ------------------------------------------------------------------------------

Deno.test("hardware profiles (docs/profiles-runonce.md#profile-change): boot creates Hardware Profiles\\0001 and 0002 and IDConfigDB with their friendly names", () => {
  const m = boot({ hardwareProfiles: ["Docked", "Undocked"] });
  for (const [id, name] of [["0001", "Docked"], ["0002", "Undocked"]]) {
    assert.ok(m.registry.exists(`${PROFILES}\\${id}`), id);
    assert.deepEqual(
      m.registry.getValue(`${ID_CONFIG_DB}\\Hardware Profiles\\${id}`, "FriendlyName"),
      { type: REG_SZ, data: name },
    );
  }
  assert.deepEqual(m.registry.getValue(ID_CONFIG_DB, "CurrentConfig"), {
    type: REG_DWORD,
    data: 1,
  });
  assert.ok(m.registry.exists(`${PROFILES}\\Current`));
  assert.equal(m.registry.isVolatile(`${PROFILES}\\Current`), true, "a link rebuilt at every boot");
  assert.deepEqual(m.currentProfile, { id: "0001", name: "Docked" });
});

Deno.test("hardware profiles (docs/profiles-runonce.md#profile-change): a change switches IDConfigDB\\CurrentConfig and what Hardware Profiles\\Current shows", () => {
  const m = boot({ hardwareProfiles: ["Docked", "Undocked"] });
  m.registry.setValue(`${PROFILES}\\0001\\Software`, "Marker", REG_SZ, "docked");
  m.registry.setValue(`${PROFILES}\\0002\\Software`, "Marker", REG_SZ, "undocked");
  assert.equal(m.registry.getValue(`${PROFILES}\\Current\\Software`, "Marker")?.data, "docked");
  const events = profileListener(m);

  assertStatus(m.changeHardwareProfile("Undocked"), STATUS_SUCCESS);
  assert.deepEqual(m.registry.getValue(ID_CONFIG_DB, "CurrentConfig"), {
    type: REG_DWORD,
    data: 2,
  });
  assert.equal(m.registry.getValue(`${PROFILES}\\Current\\Software`, "Marker")?.data, "undocked");
  assert.deepEqual(m.currentProfile, { id: "0002", name: "Undocked" });
  assert.deepEqual(events, [GUID_HWPROFILE_QUERY_CHANGE, GUID_HWPROFILE_CHANGE_COMPLETE]);

  // By id as well as by name.
  assertStatus(m.changeHardwareProfile("0001"), STATUS_SUCCESS);
  assert.equal(m.registry.getValue(`${PROFILES}\\Current\\Software`, "Marker")?.data, "docked");
});

Deno.test("hardware profiles (docs/profiles-runonce.md#profile-change): a kernel registrant failing GUID_HWPROFILE_QUERY_CHANGE vetoes; it hears CHANGE_CANCELLED and nothing changes", () => {
  const m = boot({ hardwareProfiles: ["Docked", "Undocked"] });
  m.registry.setValue(`${PROFILES}\\0001\\Software`, "Marker", REG_SZ, "docked");
  const events = profileListener(
    m,
    (e) => e === GUID_HWPROFILE_QUERY_CHANGE ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS,
  );
  assertStatus(m.changeHardwareProfile("Undocked"), STATUS_UNSUCCESSFUL);
  assert.deepEqual(events, [GUID_HWPROFILE_QUERY_CHANGE, GUID_HWPROFILE_CHANGE_CANCELLED]);
  assert.deepEqual(m.registry.getValue(ID_CONFIG_DB, "CurrentConfig"), {
    type: REG_DWORD,
    data: 1,
  });
  assert.equal(m.registry.getValue(`${PROFILES}\\Current\\Software`, "Marker")?.data, "docked");
  assert.deepEqual(m.currentProfile, { id: "0001", name: "Docked" });
});

Deno.test("docking (docs/profiles-runonce.md#profile-change): ejecting the dock removes the devices in it and switches to the Undocked profile", () => {
  const m = exampleMachine();
  const dock = "ACPI\\PNP0C15\\1";
  const inDock = m.devnode(dock)!.children;
  assert.equal(inDock.length, 1, "the second network card sits in the dock");
  const events = profileListener(m);
  assertStatus(m.eject(m.device(dock)!), STATUS_SUCCESS);
  for (const id of [dock, ...inDock]) {
    assert.equal(m.devices().includes(id), false, `${id} left the tree`);
  }
  assert.deepEqual(m.currentProfile, { id: "0002", name: "Undocked" });
  assert.deepEqual(m.registry.getValue(ID_CONFIG_DB, "CurrentConfig"), {
    type: REG_DWORD,
    data: 2,
  });
  assert.deepEqual(events, [GUID_HWPROFILE_QUERY_CHANGE, GUID_HWPROFILE_CHANGE_COMPLETE]);
  // The devices outside the dock are untouched.
  assert.equal(m.devnode("ACPI\\PNP0A03\\0")?.state, "Started");
});

Deno.test("docking (docs/profiles-runonce.md#profile-change): a profile-change veto fails the undock; the dock and its devices stay", () => {
  const m = exampleMachine();
  const dock = "ACPI\\PNP0C15\\1";
  const inDock = m.devnode(dock)!.children;
  profileListener(m, (e) => e === GUID_HWPROFILE_QUERY_CHANGE ? STATUS_UNSUCCESSFUL : 0);
  assertStatus(m.eject(m.device(dock)!), STATUS_UNSUCCESSFUL);
  for (const id of [dock, ...inDock]) assert.equal(m.devnode(id)?.state, "Started", id);
  assert.deepEqual(m.currentProfile, { id: "0001", name: "Docked" });
});

Deno.test("docking (docs/profiles-runonce.md#profile-change): an undock the profile query allowed but an open handle in the dock vetoes sends GUID_HWPROFILE_CHANGE_CANCELLED, and the profile stays", () => {
  const m = exampleMachine();
  const dock = "ACPI\\PNP0C15\\1";
  const nic = m.devnode(dock)!.children[0]!;
  const [link] = m.kernel.IoGetDeviceInterfaces(GUID_DEVINTERFACE_NET, m.device(nic)!, 0)
    .symbolicLinkList!;
  m.openDevice(link!, { closeOnQueryRemove: false });
  const events = profileListener(m);
  assertStatus(m.eject(m.device(dock)!), STATUS_UNSUCCESSFUL);
  assert.deepEqual(events, [GUID_HWPROFILE_QUERY_CHANGE, GUID_HWPROFILE_CHANGE_CANCELLED]);
  assert.deepEqual(m.currentProfile, { id: "0001", name: "Docked" });
  assert.equal(m.devnode(nic)?.state, "Started");
});

// ---- RunOnce ------------------------------------------------------------------------------------------

/** A machine with two RunOnce commands: `ok` succeeds, `fail` fails until `fixed` is set. Returns the calls made. */
function runOnceMachine() {
  const m = boot();
  const calls: string[] = [];
  const state = { fixed: false };
  m.registerCommand("ok", (args) => {
    calls.push(`ok ${args}`.trim());
    return true;
  });
  m.registerCommand("fail.exe", (args) => {
    calls.push(`fail ${args}`.trim());
    return state.fixed;
  });
  return { m, calls, state };
}

Deno.test("runonce-registry-key: a plain entry is deleted before it runs, so a failing command is not retried", () => {
  const { m, calls } = runOnceMachine();
  m.registry.setValue(RUNONCE, "Plain", REG_SZ, "fail.exe once");
  m.reboot();
  assert.deepEqual(calls, ["fail once"]);
  assert.equal(m.registry.getValue(RUNONCE, "Plain"), undefined);
  m.reboot();
  assert.deepEqual(calls, ["fail once"], "not run again");
});

Deno.test("runonce-registry-key: a `!` entry is kept after a failure and deleted after it succeeds", () => {
  const { m, calls, state } = runOnceMachine();
  m.registry.setValue(RUNONCE, "!Retry", REG_SZ, "fail.exe retry");
  m.reboot();
  assert.deepEqual(calls, ["fail retry"]);
  assert.ok(m.registry.getValue(RUNONCE, "!Retry"), "kept after the failure");
  state.fixed = true;
  m.reboot();
  assert.deepEqual(calls, ["fail retry", "fail retry"]);
  assert.equal(m.registry.getValue(RUNONCE, "!Retry"), undefined, "deleted after the success");
});

Deno.test("runonce-registry-key: the prefix may be on the value name (Win32 page) or on the data (driver page)", () => {
  const { m } = runOnceMachine();
  m.registry.setValue(RUNONCE, "!OnName", REG_SZ, "fail.exe a");
  m.registry.setValue(RUNONCE, "OnData", REG_SZ, "!fail.exe b");
  m.registry.setValue(RUNONCE, "Neither", REG_SZ, "fail.exe c");
  m.reboot();
  assert.deepEqual(m.registry.valueNames(RUNONCE).sort(), ["!OnName", "OnData"]);
});

Deno.test("runonce-registry-key: in safe mode only `*` entries run; the others wait for a normal boot", () => {
  const { m, calls } = runOnceMachine();
  m.registry.setValue(RUNONCE, "*SafeName", REG_SZ, "ok name");
  m.registry.setValue(RUNONCE, "SafeData", REG_SZ, "*ok data");
  m.registry.setValue(RUNONCE, "Normal", REG_SZ, "ok normal");
  m.reboot({ safeMode: true });
  assert.deepEqual(calls, ["ok name", "ok data"]);
  assert.deepEqual(m.registry.valueNames(RUNONCE), ["Normal"]);
  m.reboot();
  assert.deepEqual(calls, ["ok name", "ok data", "ok normal"]);
  assert.deepEqual(m.registry.valueNames(RUNONCE), []);
});

Deno.test("runonce-registry-key: an unknown program fails (and a plain entry is still deleted)", () => {
  const { m, calls } = runOnceMachine();
  m.registry.setValue(RUNONCE, "Ghost", REG_SZ, "C:\\Windows\\nosuch.exe /quiet");
  m.registry.setValue(RUNONCE, "!GhostKept", REG_SZ, "nosuch.exe");
  m.reboot();
  assert.deepEqual(calls, []);
  assert.deepEqual(m.registry.valueNames(RUNONCE), ["!GhostKept"]);
  const failures = m.trace.filter((e) => e.kind === "info" && e.what === "RunOnce command failed");
  assert.equal(failures.length, 2);
  assert.match(JSON.stringify(failures), /unknown command 'nosuch'/);
});

Deno.test("runonce-registry-key (docs/profiles-runonce.md#runonce-entries, Timing: entries run right after device install): an entry added before a device's first install runs once the device has started, and is deleted", () => {
  const { m, calls } = runOnceMachine();
  m.loadDriver(functionDriver("widget", ["ROOT\\WIDGET"]));
  m.registerCommand("rundll32", (args) => {
    calls.push(`rundll32 ${args} (device ${m.devnode("ROOT\\WIDGET\\0")?.state})`);
  });
  m.registry.setValue(RUNONCE, "WidgetSetup", REG_SZ, "rundll32.exe widget.dll,Setup");
  assert.deepEqual(calls, [], "nothing runs before the install");
  m.plugIn("ROOT\\WIDGET");
  assert.deepEqual(calls, ["rundll32 widget.dll,Setup (device Started)"]);
  assert.deepEqual(m.registry.valueNames(RUNONCE), []);
  const reasons = m.trace.flatMap((e) =>
    e.kind === "info" && e.what === "RunOnce command succeeded" ? [e.detail?.reason] : []
  );
  assert.deepEqual(reasons, ["install"]);
});

Deno.test("runonce-registry-key (docs/profiles-runonce.md#runonce-entries, Timing): a second device of the same kind is another install and runs the entries added since; a device already installed that comes back is not installed again, so its entry waits for the next boot", () => {
  const { m, calls } = runOnceMachine();
  m.loadDriver(functionDriver("widget", ["ROOT\\WIDGET"]));
  const first = m.plugIn("ROOT\\WIDGET");
  m.registry.setValue(RUNONCE, "Second", REG_SZ, "ok second");
  const second = m.plugIn("ROOT\\WIDGET");
  assert.equal(m.devnode(second)?.instanceId, "ROOT\\WIDGET\\1");
  assert.deepEqual(calls, ["ok second"]);
  assert.deepEqual(m.registry.valueNames(RUNONCE), []);

  m.registry.setValue(RUNONCE, "Third", REG_SZ, "ok third");
  m.unplug(first);
  const back = m.plugIn({ hardwareIds: ["ROOT\\WIDGET"], instanceId: "0" });
  assert.equal(m.devnode(back)?.state, "Started");
  assert.deepEqual(
    calls,
    ["ok second"],
    "its drivers are installed already: no install, nothing runs",
  );
  assert.deepEqual(m.registry.valueNames(RUNONCE), ["Third"]);
  m.reboot();
  assert.deepEqual(calls, ["ok second", "ok third"]);
  assert.deepEqual(m.registry.valueNames(RUNONCE), []);
});
