/**
 * Safe mode: a minimal safe boot loads only the drivers named, by service or load order group,
 * under Control\SafeBoot\Minimal (BcdLibrary_SafeBoot, SafemodeMinimal); drivers read
 * InitSafeBootMode ("Determining Whether the Operating System Is Running in Safe Mode").
 */
import assert from "node:assert/strict";
import {
  boot,
  BugCheck,
  type DriverObject,
  type Kernel,
  REG_SZ,
  STATUS_NOT_SAFE_MODE_DRIVER,
  STATUS_SUCCESS,
} from "../../mod.ts";
import { CCS, functionDriver } from "./_helpers.ts";

const MINIMAL = `${CCS}\\Control\\SafeBoot\\Minimal`;

Deno.test("BcdLibrary_SafeBoot: in safe mode a driver SafeBoot\\Minimal does not name is not loaded (DriverEntry never runs) and its device has no driver", () => {
  const m = boot({ safeMode: true });
  const entries: string[] = [];
  m.loadDriver({
    ...functionDriver("toaster", ["ROOT\\TOASTER"]),
    DriverEntry: () => {
      entries.push("toaster");
      return STATUS_SUCCESS;
    },
  });
  assert.deepEqual(entries, []);
  const info = m.devnode(m.plugIn({ hardwareIds: ["ROOT\\TOASTER"] }))!;
  assert.notEqual(info.state, "Started");
  assert.equal(info.problemName, "CM_PROB_DRIVER_FAILED_LOAD");
  const e = m.trace.find((t) => t.kind === "info" && t.what === "driver not loaded in safe mode");
  assert.equal(
    (e as { detail?: { status?: string } } | undefined)?.detail?.status,
    "STATUS_NOT_SAFE_MODE_DRIVER",
  );
  assert.equal(m.kernel.InitSafeBootMode, 1);
  assert.equal(m.safeMode, true);
});

Deno.test("BcdLibrary_SafeBoot: a driver named under SafeBoot\\Minimal, or in a load order group named there, loads in safe mode", () => {
  const m = boot({ safeMode: true });
  m.registry.setValue(`${MINIMAL}\\keyboard`, "", REG_SZ, "Driver");
  m.loadDriver(functionDriver("keyboard", ["ROOT\\KBD"]));
  m.loadDriver({ ...functionDriver("pcibus", ["ROOT\\PCIBUS"]), group: "Boot Bus Extender" });
  assert.equal(m.devnode(m.plugIn("ROOT\\KBD"))?.state, "Started");
  assert.equal(m.devnode(m.plugIn("ROOT\\PCIBUS"))?.state, "Started");
  assert.deepEqual(m.registry.getValue(`${CCS}\\Services\\pcibus`, "Group"), {
    type: REG_SZ,
    data: "Boot Bus Extender",
  });
});

Deno.test("Safe mode is the way out of a driver's boot loop: its AddDevice crashes at every normal boot, a safe boot skips it, and it can return STATUS_NOT_SAFE_MODE_DRIVER itself", () => {
  const m = boot();
  let crash = true;
  m.loadDriver({
    name: "crashy",
    hardwareIds: ["ROOT\\CRASHY"],
    AddDevice(_k: Kernel, _d: DriverObject): number {
      if (crash) throw new Error("null pointer");
      return STATUS_SUCCESS;
    },
  });
  assert.throws(() => m.plugIn("ROOT\\CRASHY"), BugCheck);
  assert.throws(() => m.reboot(), BugCheck, "the same driver crashes the next boot");
  m.reboot({ safeMode: true });
  assert.equal(m.halted, false);
  assert.equal(m.kernel.InitSafeBootMode, 1);
  assert.equal(m.devnode("ROOT\\CRASHY\\0")?.problemName, "CM_PROB_DRIVER_FAILED_LOAD");
  crash = false; // the fix, made in safe mode
  m.reboot();
  assert.equal(m.kernel.InitSafeBootMode, 0);
  assert.equal(m.devnode("ROOT\\CRASHY\\0")?.state, "Started");
});

Deno.test("Determining Whether the Operating System Is Running in Safe Mode: a driver named in SafeBoot\\Minimal may still refuse with STATUS_NOT_SAFE_MODE_DRIVER from DriverEntry", () => {
  const m = boot({ safeMode: true });
  m.registry.setValue(`${MINIMAL}\\cautious.sys`, "", REG_SZ, "Driver");
  const driver = m.loadDriver({
    ...functionDriver("cautious", ["ROOT\\CAUTIOUS"]),
    DriverEntry: (k: Kernel) => k.InitSafeBootMode > 0 ? STATUS_NOT_SAFE_MODE_DRIVER : 0,
  });
  assert.equal(driver.entryStatus, STATUS_NOT_SAFE_MODE_DRIVER);
  // Its DriverEntry ran and failed: Code 37, not 39.
  assert.equal(m.devnode(m.plugIn("ROOT\\CAUTIOUS"))?.problemName, "CM_PROB_FAILED_DRIVER_ENTRY");
});
